import { SluiceError } from '../../types/ErrorRecord.js';
import { currentProgress, effectiveSignal } from '../progress.js';
import { workerPool } from './pool.js';
import { describeSplit, rangeBoundaries, type Split } from './splits.js';
import { poolThreads } from './settings.js';
import type { RegionTask, TaskResult, TaskSuccess } from './task.js';
import { runRegionTaskHere } from './runRegionTask.js';

export interface DispatchOptions {
  /** Tasks in flight are at most 2 × threads: enough to keep every thread busy, few results held. */
  threads: number;
  /** The driver runs splits too, as one of the `threads` (settings.ts). */
  driverSplits: boolean;
  signal?: AbortSignal;
}

/**
 * How long cancelled tasks get to notice the cancel flag (they check it before every batch)
 * before their threads are terminated — stuck row functions included.
 */
const CANCEL_GRACE_MS = 2_000;

/**
 * Runs one task per split and yields the results in split order, so that a consumer sees exactly
 * what a single-threaded run would produce. The driver thread takes splits too (unless
 * `driverSplits` is off): it would otherwise idle while the workers run, and every thread pays its
 * own start-up and JIT warm-up, so `threads` threads in all means one worker fewer. A split goes to
 * whichever lane is free (no task waits in the pool's queue while the driver idles), and at most
 * 2 × threads results are held: the driver never holds more finished results than that. Neighbouring
 * byte ranges of one file share a movable boundary (splits.ts `rangeBoundaries`): a range that
 * starts while the one before it runs takes half of what is left of the two, so the thread that
 * started first (the driver; a worker first starts up) does not idle at the end.
 *
 * A failed split fails the job with the split named; the other tasks are then cancelled and
 * awaited before this generator ends, so when it has thrown (or been returned early, or the
 * signal has fired) no worker is still writing — the caller can clean up safely.
 */
export async function* runSplitsInOrder(
  splits: Split[],
  makeTask: (split: Split, cancel: SharedArrayBuffer) => RegionTask,
  options: DispatchOptions,
): AsyncGenerator<{ split: Split; result: TaskSuccess }> {
  const driverLane = options.driverSplits;
  const workers = poolThreads(options);
  const pool = workerPool(workers);
  const progress = currentProgress();
  options = { ...options, signal: effectiveSignal(options.signal) };
  progress?.addSplits(splits.length, splits.reduce((n, s) => n + s.bytes, 0));
  const cancelFlag = new SharedArrayBuffer(4);
  const boundaries = rangeBoundaries(splits);
  const kill = new AbortController();
  const maxHeld = Math.max(1, 2 * options.threads);
  const pending: { split: Split; label: string; done: Promise<TaskResult | { ok: 'died'; error: unknown }> }[] = [];
  let next = 0;
  let poolBusy = 0;
  let driverBusy = false;
  let killTimer: NodeJS.Timeout | undefined;

  const cancel = () => {
    if (Atomics.load(new Int32Array(cancelFlag), 0) !== 0) return;
    Atomics.store(new Int32Array(cancelFlag), 0, 1);
    killTimer = setTimeout(() => kill.abort(new SluiceError('cancelled tasks did not stop in time')), CANCEL_GRACE_MS);
  };
  const onAbort = () => cancel();
  options.signal?.addEventListener('abort', onAbort);
  const cancelled = () => Atomics.load(new Int32Array(cancelFlag), 0) !== 0;
  // Starts tasks while a lane is free and fewer than maxHeld results are pending; every task
  // that settles calls it again, so a lane never waits for the consumer to reach its split.
  const fill = (): void => {
    while (next < splits.length && pending.length < maxHeld && !cancelled()) {
      const inDriver = driverLane && !driverBusy;
      if (!inDriver && poolBusy >= workers) return;
      const split = splits[next++];
      const task = makeTask(split, cancelFlag);
      const movable = boundaries.get(split.index);
      if (movable) task.rangeBoundaries = movable;
      let done: Promise<TaskResult | { ok: 'died'; error: unknown }>;
      if (inDriver) {
        driverBusy = true;
        done = runRegionTaskHere(task).finally(() => {
          driverBusy = false;
          fill();
        });
      } else {
        poolBusy++;
        done = (pool.run(task, { signal: kill.signal }) as Promise<TaskResult>)
          .catch((error: unknown) => ({ ok: 'died' as const, error }))
          .finally(() => {
            poolBusy--;
            fill();
          });
      }
      pending.push({ split, label: task.scan.label, done });
    }
  };

  try {
    options.signal?.throwIfAborted();
    fill();
    while (pending.length > 0) {
      const head = pending.shift()!;
      const result = await head.done;
      options.signal?.throwIfAborted();
      if (result.ok === 'died') throw splitDied(head.split, result.error);
      if (result.ok === false) throw splitFailed(head.split, result.error);
      fill();
      // Row groups the worker skipped count in the driver's metrics, as an inline scan's do.
      if (result.rowGroups) progress?.rowGroupsPruned(head.label, result.rowGroups.skipped, result.rowGroups.read);
      progress?.splitDone(head.split.bytes);
      yield { split: head.split, result };
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (pending.length > 0) {
      cancel();
      await Promise.allSettled(pending.map((p) => p.done));
    }
    clearTimeout(killTimer);
  }
}

function splitFailed(split: Split, error: { name: string; message: string; details?: object }): Error {
  return new SluiceError(`${describeSplit(split)} failed: ${error.message}`, error.details ?? { file: split.parts[0]?.file });
}

function splitDied(split: Split, error: unknown): Error {
  const why = error instanceof Error ? error.message : String(error);
  return new SluiceError(
    `${describeSplit(split)} failed: its worker thread stopped (${why}); a row function may have called process.exit ` +
      'or thrown outside of a record. No output was published.',
    { file: split.parts[0]?.file },
  );
}
