import { parseByteSize } from '../../types/byteSize.js';
import type { ReadBound } from './selectFiles.js';
import { parseJobArguments } from '../getResolvedOptions.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** Glue's `--job-bookmark-option` values; sluice also takes the short names in job specs. */
export const BOOKMARK_OPTIONS = ['job-bookmark-enable', 'job-bookmark-disable', 'job-bookmark-pause'] as const;

export type BookmarkMode = 'enable' | 'disable' | 'pause';

/** How one run uses bookmarks. */
export interface BookmarkSettings {
  mode: BookmarkMode;
  /** pause: read from the bookmark after this run (default: the last commit). */
  fromRunId?: string;
  /** pause: read up to the bookmark after this run (default: everything there now). */
  toRunId?: string;
  /** Glue's maxBand in milliseconds: files this close to a run's start are tracked one by one. */
  maxBandMs: number;
}

/** Glue's default band: 15 minutes. */
export const DEFAULT_MAX_BAND_MS = 900_000;

/** The job arguments that carry bookmark settings (as Glue passes them to a script). */
export const BOOKMARK_ARGUMENTS = ['job-bookmark-option', 'job-bookmark-from', 'job-bookmark-to', 'state-dir'] as const;

/** `job-bookmark-enable` or `enable` → `enable`; anything else is an error listing the values. */
export function parseBookmarkMode(value: string, where: string): BookmarkMode {
  const short = value.startsWith('job-bookmark-') ? value.slice('job-bookmark-'.length) : value;
  if (short === 'enable' || short === 'disable' || short === 'pause') return short;
  throw new SluiceError(`${where}: unknown bookmark option '${value}'; use ${BOOKMARK_OPTIONS.join(', ')}`);
}

/** Checks a maxBand value (milliseconds, as Glue's connection option). */
export function parseMaxBand(value: unknown, where: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new SluiceError(`${where}: maxBand must be a number of milliseconds >= 0 (Glue's default is 900000), got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * Glue's bounded execution from connection options: `boundedFiles` (a file count) and
 * `boundedSize` (bytes; `128MB` accepted too), numbers or the strings Glue scripts pass.
 */
export function parseReadBound(options: Readonly<Record<string, unknown>>, where: string): ReadBound {
  const bound: ReadBound = {};
  if (options.boundedFiles !== undefined) {
    const n = typeof options.boundedFiles === 'string' && options.boundedFiles.trim() !== '' ? Number(options.boundedFiles) : options.boundedFiles;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new SluiceError(`${where}: boundedFiles must be a whole number of files >= 1, got ${JSON.stringify(options.boundedFiles)}`);
    bound.files = n;
  }
  if (options.boundedSize !== undefined) {
    const size = options.boundedSize;
    if (typeof size === 'number') {
      if (!Number.isInteger(size) || size < 1) throw new SluiceError(`${where}: boundedSize must be a whole number of bytes >= 1, got ${size}`);
      bound.bytes = size;
    } else if (typeof size === 'string') bound.bytes = parseByteSize(size, `${where}: boundedSize`);
    else throw new SluiceError(`${where}: boundedSize must be a number of bytes, got ${JSON.stringify(size)}`);
  }
  return bound;
}

/**
 * The settings from job arguments `{ 'job-bookmark-option': ..., 'job-bookmark-from': ... }`:
 * Glue's default is disable; from/to belong to pause only.
 */
export function bookmarkSettings(args: Readonly<Record<string, string | undefined>>, where = 'job arguments'): BookmarkSettings {
  const option = args['job-bookmark-option'];
  const mode = option === undefined ? 'disable' : parseBookmarkMode(option, `${where}: --job-bookmark-option`);
  const from = args['job-bookmark-from'];
  const to = args['job-bookmark-to'];
  if ((from !== undefined || to !== undefined) && mode !== 'pause') {
    throw new SluiceError(`${where}: --job-bookmark-from and --job-bookmark-to go with --job-bookmark-option job-bookmark-pause, not ${option ?? 'the default (disable)'}`);
  }
  const maxBand = args.maxBand;
  return {
    mode,
    ...(from !== undefined ? { fromRunId: from } : {}),
    ...(to !== undefined ? { toRunId: to } : {}),
    maxBandMs: maxBand === undefined ? DEFAULT_MAX_BAND_MS : parseMaxBand(maxBand, where),
  };
}

/**
 * The bookmark arguments of a job: those in `args` win, the rest come from the command line
 * (Glue passes `--job-bookmark-option` to the script even when it does not ask for it).
 */
export function bookmarkArguments(args: Readonly<Record<string, string>>, argv: readonly string[] = process.argv): Record<string, string> {
  const fromArgv = parseJobArguments(argv, BOOKMARK_ARGUMENTS);
  const out: Record<string, string> = { ...fromArgv };
  for (const name of BOOKMARK_ARGUMENTS) if (args[name] !== undefined) out[name] = args[name];
  return out;
}
