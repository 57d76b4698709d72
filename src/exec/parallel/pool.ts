import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
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
 * The pool, started with `threads` workers the first time (later calls share it; a job asking
 * for fewer threads simply keeps fewer tasks in flight). The worker's entry sits above exec/
 * (src/workers/splitWorker: it loads the transforms); from compiled code it is its .js in dist/,
 * from TypeScript sources (vitest, tsx) the .ts, loaded through tsx in the worker thread.
 */
export function workerPool(threads: number): Piscina {
  if (pool) return pool;
  const fromSources = import.meta.url.endsWith('.ts');
  const filename = fileURLToPath(new URL(fromSources ? '../../workers/splitWorker.ts' : '../../workers/splitWorker.js', import.meta.url));
  // piscina is loaded here, when a job first runs in parallel: inline runs never load it.
  const { Piscina: PiscinaPool } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
  pool = new PiscinaPool({
    filename,
    // All threads start at once, when a job first decides to run in parallel, so their start
    // (~0.5 s of module loading each) overlaps the driver's planning. Idle threads are unref'd:
    // they never keep the process alive.
    minThreads: Math.max(1, threads),
    maxThreads: Math.max(1, threads),
    execArgv: fromSources ? ['--import', 'tsx'] : [],
  });
  return pool;
}

/** Stops the pool's threads (tests, or a CLI about to exit); the next job starts a new pool. */
export async function closeWorkerPool(): Promise<void> {
  const current = pool;
  pool = undefined;
  await current?.destroy();
}
