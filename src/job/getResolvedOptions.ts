import { SluiceError } from '../types/ErrorRecord.js';

/**
 * Glue's `getResolvedOptions(sys.argv, ['JOB_NAME', 'INPUT'])`: the values of the named
 * `--NAME value` / `--NAME=value` arguments. Other arguments (the script path, options meant
 * for someone else) are ignored, as Glue does; a repeated name keeps its last value; every
 * missing name is reported at once.
 */
export function getResolvedOptions<const K extends string>(argv: readonly string[], names: readonly K[]): Record<K, string> {
  const all = parseJobArguments(argv, names);
  const missing = names.filter((n) => !Object.hasOwn(all, n));
  if (missing.length > 0) {
    throw new SluiceError(`missing job argument${missing.length > 1 ? 's' : ''}: ${missing.map((n) => `--${n}`).join(', ')} (pass --NAME value or --NAME=value)`);
  }
  const out = {} as Record<K, string>;
  for (const n of names) out[n] = all[n];
  return out;
}

/**
 * Every `--NAME value` / `--NAME=value` pair in `argv`. With `only`, a `--NAME` outside that
 * list is skipped without taking the next token as its value (Glue's parser ignores unknown
 * options); without it every `--NAME` must have a value.
 */
export function parseJobArguments(argv: readonly string[], only?: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--') || token === '--') continue;
    const eq = token.indexOf('=');
    const name = eq >= 0 ? token.slice(2, eq) : token.slice(2);
    if (only && !only.includes(name)) continue;
    if (eq >= 0) {
      out[name] = token.slice(eq + 1);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || (value.startsWith('--') && value.length > 2)) {
      throw new SluiceError(`job argument --${name} needs a value: --${name} value or --${name}=value`);
    }
    out[name] = value;
    i++;
  }
  return out;
}
