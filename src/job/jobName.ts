import { SluiceError } from '../types/ErrorRecord.js';

/**
 * A job name keys the job's state folder (`<stateDir>/<encoded name>/`), and may come from a spec,
 * a --JOB_NAME argument or a file name: it must stay one folder inside the state folder. The
 * stores percent-encode it (`a/b` → `a%2Fb`, one folder), but `.` and `..` encode to themselves
 * and would be the state folder itself or its parent.
 */
export function checkJobName(name: string): string {
  if (name === '' || name === '.' || name === '..') {
    throw new SluiceError(`job name ${JSON.stringify(name)} cannot name a state folder: it would be the state folder itself or its parent; choose another name`);
  }
  return name;
}
