/**
 * Random kill moments for the crash tests that do not depend on the machine's speed. The child
 * runs with SLUICE_CRASH_THROTTLE_MS=THROTTLE_MS (src/job/bookmarks/crashPoint.ts): at each crash
 * point it writes `sluice-crash-point <point>` to stderr and blocks THROTTLE_MS. A bookmarked run
 * of the test job (two sinks, three staged files) passes these points in this order:
 */
const POINTS = [
  'after-init', 'after-stage-sink-1', 'after-stage-sink-2', 'before-manifest', 'after-manifest',
  'mid-rename', 'mid-rename', 'mid-rename', 'after-renames', 'before-state-write', 'after-state-write',
];

export const THROTTLE_MS = 120;

/** Where the kills are anchored, in turn: the start, the end of staging, the commit point. */
const ANCHORS = ['after-init', 'after-stage-sink-2', 'after-manifest'] as const;

export interface KillPlan {
  anchor: string;
  delay: number;
  /** For runSluice's killWhen: the delay once the anchor's line is on stderr. */
  killWhen: (stderr: string) => number | undefined;
}

/**
 * Round `round`'s kill: `delay` ms after the run's `anchor` point shows, with the anchor cycling
 * over ANCHORS and the delay drawn from 3/4 of the time the remaining points alone keep the run
 * alive (the anchor's own pause included). So the kill lands before the run ends however fast the
 * machine (unless this process's timer fires very late), and the kills cover the whole run: the
 * real work between the points (reading, writing, uploading, renaming) as well as the points.
 */
export function killPlan(round: number, random: () => number): KillPlan {
  const anchor = ANCHORS[round % ANCHORS.length];
  const remaining = POINTS.length - POINTS.indexOf(anchor);
  const delay = Math.floor(random() * remaining * THROTTLE_MS * 0.75);
  return { anchor, delay, killWhen: (stderr) => (stderr.includes(`sluice-crash-point ${anchor}\n`) ? delay : undefined) };
}

/** The last crash point a child's stderr shows (where a kill landed, to the nearest point). */
export const lastPoint = (stderr: string) => [...stderr.matchAll(/sluice-crash-point (\S+)/g)].at(-1)?.[1] ?? 'none';

/** A seeded generator (SLUICE_KILL_SEED replays another sequence). */
export function seededRandom(): () => number {
  let seed = Number(process.env.SLUICE_KILL_SEED ?? 20240601);
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}
