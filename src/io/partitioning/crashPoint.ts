import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/**
 * TEST HOOK. With `SLUICE_CRASH_AT=<point>` in the environment, the process kills itself with
 * SIGKILL (no cleanup, no finally blocks) when it reaches that point of a bookmarked run or of a
 * plain write's commit (WRITE_CRASH_POINTS; a split written on a worker thread passes none). The
 * crash tests (test/bookmarks/crash.test.ts) use it to prove that a run that dies anywhere is
 * finished or undone by the next one.
 *
 * With `SLUICE_CRASH_THROTTLE_MS=<ms>`, each point instead writes `sluice-crash-point <point>` to
 * stderr and then blocks the process for that long, so a run lasts at least (points passed × ms)
 * whatever the machine's speed: a test that kills it at a random moment inside that span knows the
 * kill lands before the run ends. Both do nothing when unset.
 */
export const CRASH_POINTS = [
  'after-init',
  'after-stage-sink-1',
  'after-stage-sink-2',
  'before-manifest',
  'after-manifest',
  'mid-rename',
  'after-renames',
  'before-state-write',
  'after-state-write',
] as const;

/** The points a plain (not bookmarked) write passes: a single write or a job spec's sinks. */
export const WRITE_CRASH_POINTS = ['after-stage-sink-1', 'before-manifest', 'after-manifest', 'mid-rename', 'after-renames'] as const;

/** The points a catalog sink passes besides a plain write's (src/job/catalogSink.ts). */
export const CATALOG_CRASH_POINTS = ['after-catalog-intent', 'before-catalog-update'] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint | (typeof CATALOG_CRASH_POINTS)[number] | `after-stage-sink-${number}`): void {
  if (!isMainThread) return;
  if (process.env.SLUICE_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
  const throttle = Number(process.env.SLUICE_CRASH_THROTTLE_MS ?? 0);
  if (throttle > 0) {
    writeSync(2, `sluice-crash-point ${point}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, throttle);
  }
}
