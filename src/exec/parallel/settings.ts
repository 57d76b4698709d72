import { SluiceError } from '../../types/ErrorRecord.js';
import { canStartWorkers, defaultThreads } from './pool.js';
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
   * Inputs smaller than this (default 64 MiB, env SLUICE_INLINE_BELOW) run inline: starting
   * threads and moving batches costs more than it saves on them.
   */
  inlineBelowBytes?: number;
  /** Cancels the action: pending tasks stop, staged output is removed. */
  signal?: AbortSignal;
  /**
   * Whether the calling thread runs splits too, beside `threads − 1` workers (default env
   * SLUICE_DRIVER_SPLITS `on`/`off`, else on). Off: `threads` workers, and the caller only
   * coordinates — a row function that ends its thread then fails the job instead of the process.
   */
  driverSplits?: boolean;
}

/** Every key of RunOptions: a write takes them beside its own options (frame/DataFrameWriter.ts). */
export const RUN_OPTION_KEYS = ['parallel', 'threads', 'splitSize', 'inlineBelowBytes', 'signal', 'driverSplits'] as const;
// A key added to RunOptions and not listed above fails to compile here.
const runOptionKeysComplete: Exclude<keyof RunOptions, (typeof RUN_OPTION_KEYS)[number]> extends never ? true : never = true;
void runOptionKeysComplete;

/** `options` without its run options, and those apart (a write takes both in one object). */
export function splitRunOptions<T extends object>(options: T & RunOptions): { run: RunOptions; rest: Omit<T, keyof RunOptions> } {
  const rest = { ...options } as Record<string, unknown>;
  const run: Record<string, unknown> = {};
  for (const key of RUN_OPTION_KEYS) {
    if (key in rest) run[key] = rest[key];
    delete rest[key];
  }
  return { run, rest: rest as Omit<T, keyof RunOptions> };
}

export interface ParallelSettings {
  threads: number;
  /** The driver thread is one of the `threads`: the pool has one fewer (dispatch.ts). */
  driverSplits: boolean;
  splitSize: number;
  inlineBelowBytes: number;
}

/**
 * Each worker pays a fixed start-up: loading its code (a bundle since scripts/bundleWorker.mjs,
 * ~0.1 CPU-s; ~0.05 s since it runs from V8's code cache) and warming up V8 on the parser and encoder. With parquet-wasm's 1–1.5 CPU-s warm-up
 * gone (our own Parquet encoder), two threads beat one from about one split's worth of input on:
 * the benchmark's 127 MiB CSV, quiet 2-core machine, median of 5 paired runs, wall — W1 1.62 s vs
 * 2.07 s inline, W2 2.17 vs 2.42, W3 1.21 vs 1.32 (more CPU and memory: W1 322 vs 213 MB peak).
 * Below this size a job runs inline.
 */
export const DEFAULT_INLINE_BELOW_BYTES = 64 * 1024 * 1024;

/** The parallel settings of an action, or undefined when it must run inline. */
export function parallelSettings(options: RunOptions): ParallelSettings | undefined {
  if (options.parallel === false) return undefined;
  const threads = options.threads ?? defaultThreads();
  if (!(Number.isInteger(threads) && threads >= 1)) throw new SluiceError(`threads must be a whole number >= 1, got ${threads}`);
  if (threads === 1 || !canStartWorkers()) return undefined;
  const splitSize = options.splitSize ?? envBytes('SLUICE_SPLIT_SIZE') ?? DEFAULT_SPLIT_SIZE;
  if (!(splitSize >= 1)) throw new SluiceError(`splitSize must be at least 1 byte, got ${splitSize}`);
  const inlineBelowBytes = options.inlineBelowBytes ?? envBytes('SLUICE_INLINE_BELOW') ?? DEFAULT_INLINE_BELOW_BYTES;
  return { threads, splitSize, inlineBelowBytes, driverSplits: options.driverSplits ?? envSwitch('SLUICE_DRIVER_SPLITS') ?? true };
}

/** Worker threads of the pool for these settings: the driver, when it runs splits, is the last. */
export const poolThreads = (settings: { threads: number; driverSplits: boolean }): number => settings.threads - (settings.driverSplits ? 1 : 0);

/**
 * The largest Join build side broadcast to the workers (broadcast.ts): env SLUICE_BROADCAST_LIMIT
 * in bytes, else MAX_BROADCAST_BYTES (512 MiB). Past it the join runs inline. Settable so the
 * fallback can be exercised (and tuned on machines with little memory) without 512 MiB of input.
 */
export function broadcastLimitBytes(fallback: number): number {
  return envBytes('SLUICE_BROADCAST_LIMIT') ?? fallback;
}

function envSwitch(name: string): boolean | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  if (text !== 'on' && text !== 'off') throw new SluiceError(`${name} must be 'on' or 'off', got '${text}'`);
  return text === 'on';
}

function envBytes(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= 1)) throw new SluiceError(`${name} must be a whole number of bytes, got '${text}'`);
  return n;
}
