import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './UsageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface VerbArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/**
 * Strict parsing of one verb's flags with node:util parseArgs, its errors reworded into one
 * short line that names the flag and the verb.
 */
export function parseVerbArgs(verb: string, argv: readonly string[], options: Options, positionals: { min: number; max: number; names: string }): VerbArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(reword(e as Error & { code?: string }, verb), verb);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { values, positionals: parsed.positionals };
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(`sluice ${verb} needs ${positionals.names}`, verb);
  if (count > positionals.max) throw new UsageError(`sluice ${verb}: unexpected argument '${parsed.positionals[positionals.max]}'`, verb);
  return { values, positionals: parsed.positionals };
}

function reword(error: Error & { code?: string }, verb: string): string {
  const flag = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${flag}' for 'sluice ${verb}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `option '${flag.split(' ')[0]}' of 'sluice ${verb}' ${/argument missing/.test(error.message) ? 'needs a value' : 'takes no value'}`;
    default:
      return `sluice ${verb}: ${error.message}`;
  }
}

/** A whole number flag value, or a usage error naming the flag. */
export function intFlag(value: string | boolean | undefined, flag: string, verb: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} must be a whole number >= 0, got '${String(value)}'`, verb);
  }
  return n;
}

/** One of `allowed`, or a usage error listing them. */
export function choiceFlag<T extends string>(value: string | boolean | undefined, flag: string, verb: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got '${String(value)}'`, verb);
  }
  return value as T;
}
