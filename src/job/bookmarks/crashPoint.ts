/**
 * TEST HOOK. With `SLUICE_CRASH_AT=<point>` in the environment, the process kills itself with
 * SIGKILL (no cleanup, no finally blocks) when it reaches that point of a bookmarked run. The
 * crash tests (test/bookmarks/crash.test.ts) use it to prove that a run that dies anywhere is
 * finished or undone by the next one. It does nothing when the variable is unset.
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

export type CrashPoint = (typeof CRASH_POINTS)[number];

export function crashPoint(point: CrashPoint | `after-stage-sink-${number}`): void {
  if (process.env.SLUICE_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}
