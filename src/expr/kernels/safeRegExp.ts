import { createRequire } from 'node:module';
import { SluiceError } from '../../types/ErrorRecord.js';

/** The part of RegExp the kernels use; RE2 objects have it too. */
export interface LinearRegExp {
  readonly source: string;
  lastIndex: number;
  test(text: string): boolean;
  exec(text: string): RegExpExecArray | null;
}

type RE2Constructor = new (pattern: string, flags?: string) => LinearRegExp;
let RE2: RE2Constructor | undefined;

/**
 * Compiles a pattern from an expression (RLIKE, regexp_extract, split) with RE2, which matches in
 * time linear in the input: a pattern from a job spec such as `^(a+)+$` must not hang a job, as it
 * does a backtracking engine (JavaScript's, Java's). RE2 has no backreferences (`\1`) and no
 * lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`); such a pattern is an error that says so. The native
 * module is loaded on the first pattern, so jobs without regular expressions never need it.
 */
export function linearRegExp(pattern: string, flags: string, what: string): LinearRegExp {
  RE2 ??= loadRe2(what);
  try {
    return new RE2(pattern, flags);
  } catch (error) {
    throw new SluiceError(`${what}: invalid regular expression '${pattern}': ${(error as Error).message}${unsupportedHint(pattern)}`);
  }
}

/** Why RE2 refused a pattern JavaScript or Java would take. */
function unsupportedHint(pattern: string): string {
  if (/\(\?<?[=!]/.test(pattern)) return ' (lookahead and lookbehind are not supported: sluice uses RE2, which matches in linear time)';
  if (/\\[1-9]|\\k</.test(pattern)) return ' (backreferences are not supported: sluice uses RE2, which matches in linear time)';
  if (/\(\?[>+]|[*+?}][+]/.test(pattern)) return ' (atomic groups and possessive quantifiers are not supported: sluice uses RE2, which matches in linear time)';
  return '';
}

function loadRe2(what: string): RE2Constructor {
  try {
    return createRequire(import.meta.url)('re2') as RE2Constructor;
  } catch (e) {
    throw new SluiceError(`${what}: regular expressions need the re2 package (linear-time matching), which cannot be loaded: ${(e as Error).message}; reinstall sluice's dependencies (npm ci)`);
  }
}
