import { SluiceError } from '../../types/ErrorRecord.js';
import { defaultThreads } from './pool.js';
import { DEFAULT_SPLIT_SIZE } from './splits.js';

/** How an action runs; every field is optional and the defaults suit most jobs. */
export interface RunOptions {
  /** false runs on the calling thread only (as does env SLUICE_THREADS=1). */
  parallel?: boolean;
  /** Threads to use (default env SLUICE_THREADS, else one per core). */
  threads?: number;
  /** Bytes of input per split (default env SLUICE_SPLIT_SIZE, else 64 MiB). */
  splitSize?: number;
  /**
   * Inputs smaller than this (default 8 MiB) run inline: starting threads and moving batches
   * costs more than it saves on them.
   */
  inlineBelowBytes?: number;
  /** Cancels the action: pending tasks stop, staged output is removed. */
  signal?: AbortSignal;
}

export interface ParallelSettings {
  threads: number;
  splitSize: number;
  inlineBelowBytes: number;
}

export const DEFAULT_INLINE_BELOW_BYTES = 8 * 1024 * 1024;

/** The parallel settings of an action, or undefined when it must run inline. */
export function parallelSettings(options: RunOptions): ParallelSettings | undefined {
  if (options.parallel === false) return undefined;
  const threads = options.threads ?? defaultThreads();
  if (!(Number.isInteger(threads) && threads >= 1)) throw new SluiceError(`threads must be a whole number >= 1, got ${threads}`);
  if (threads === 1) return undefined;
  const splitSize = options.splitSize ?? envBytes('SLUICE_SPLIT_SIZE') ?? DEFAULT_SPLIT_SIZE;
  if (!(splitSize >= 1)) throw new SluiceError(`splitSize must be at least 1 byte, got ${splitSize}`);
  return { threads, splitSize, inlineBelowBytes: options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES };
}

function envBytes(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 1)) throw new SluiceError(`${name} must be a whole number of bytes, got '${text}'`);
  return n;
}
