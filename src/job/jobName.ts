import { SluiceError } from '../types/ErrorRecord.js';

/**
 * A job name keys the job's state folder (`<stateDir>/<name>/`), and may come from a spec, a
 * --JOB_NAME argument or a file name: it must stay one folder inside the state folder. `..` (or
 * `.`) would put the state in the parent (or the state folder itself), `/` in another folder.
 */
export function checkJobName(name: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\u0000-\u001f]/.test(name)) {
    throw new SluiceError(`job name ${JSON.stringify(name)} cannot name a state folder: use a name without '/', '\\' or control characters that is not '.' or '..'`);
  }
  return name;
}
