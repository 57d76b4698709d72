import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Piscina } from 'piscina';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * The process's worker pool, created on first use — the one global of the parallel executor,
 * because threads are costly to start and every job of a process should share them.
 */
let pool: Piscina | undefined;

/** Threads of the pool: env SLUICE_THREADS, else one per core. */
export function defaultThreads(): number {
  const fromEnv = process.env.SLUICE_THREADS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) throw new SluiceError(`SLUICE_THREADS must be a whole number >= 1, got '${fromEnv}'`);
    return n;
  }
  return availableParallelism();
}

/**
 * The worker's entry file and the flags its thread needs. The entry sits above exec/
 * (src/workers/splitWorker: it loads the transforms):
 * - env SLUICE_WORKER_ENTRY, when set (a bundle of one's own);
 * - from TypeScript sources (vitest, tsx), the .ts, loaded through tsx in the worker thread;
 * - from the library bundle (dist/lib/), or compiled code (dist/src/), the bundle `npm run build` writes to dist/worker/ (scripts/bundleWorker.mjs):
 *   one script run from V8's code cache instead of ~400 modules; else the compiled module.
 */
function workerEntry(): { filename: string; execArgv: string[] } {
  const override = process.env.SLUICE_WORKER_ENTRY;
  if (override) return { filename: resolve(override), execArgv: [] };
  // The library bundle (dist/lib/, scripts/bundleLibrary.mjs) says where the worker bundle lies.
  if (typeof SLUICE_BUNDLED_WORKER_ENTRY === 'string') return { filename: fileURLToPath(new URL(SLUICE_BUNDLED_WORKER_ENTRY, import.meta.url)), execArgv: [] };
  if (import.meta.url.endsWith('.ts')) return { filename: fileURLToPath(new URL('../../workers/splitWorker.ts', import.meta.url)), execArgv: ['--import', 'tsx'] };
  const bundled = fileURLToPath(new URL('../../../worker/splitWorker.js', import.meta.url));
  return { filename: existsSync(bundled) ? bundled : fileURLToPath(new URL('../../workers/splitWorker.js', import.meta.url)), execArgv: [] };
}

/** Set by esbuild's `define` in the library bundle; undeclared (typeof 'undefined') everywhere else. */
declare const SLUICE_BUNDLED_WORKER_ENTRY: string | undefined;

let entryExists: boolean | undefined;

/**
 * Whether this process can start workers: their entry file exists. A single-file bundle (a Lambda
 * function built by jobs/lambda/bundle.mjs) has none, so its actions run inline whatever their size.
 */
export function canStartWorkers(): boolean {
  if (entryExists !== undefined) return entryExists;
  const { filename } = workerEntry();
  const exists = existsSync(filename);
  // A missing bundled entry means "run inline"; a missing entry the user named is their mistake.
  if (!exists && process.env.SLUICE_WORKER_ENTRY) throw new SluiceError(`SLUICE_WORKER_ENTRY names ${filename}, which does not exist`);
  return (entryExists = exists);
}

/**
 * The pool, started with `threads` workers the first time (later calls share it; a job asking
 * for fewer threads simply keeps fewer tasks in flight).
 */
export function workerPool(threads: number): Piscina {
  if (pool) return pool;
  const { filename, execArgv } = workerEntry();
  // piscina is loaded here, when a job first runs in parallel: inline runs never load it.
  const { Piscina: PiscinaPool } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
  pool = new PiscinaPool({
    filename,
    // All threads start at once, when a job first decides to run in parallel, so their start
    // (module loading) overlaps the driver's planning. Idle threads are unref'd:
    // they never keep the process alive.
    minThreads: Math.max(1, threads),
    maxThreads: Math.max(1, threads),
    // No flags of its own: the thread inherits the process's (--cpu-prof, --max-old-space-size…).
    execArgv: execArgv.length ? execArgv : undefined,
  });
  return pool;
}

/** Stops the pool's threads (tests, or a CLI about to exit); the next job starts a new pool. */
export async function closeWorkerPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.destroy();
}
