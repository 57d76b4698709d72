import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WRITE_CRASH_POINTS } from '../../src/io/partitioning/crashPoint.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { seededRandom } from '../bookmarks/randomKills.js';
import { runSluice } from '../support/cli.js';
import { tempDir } from '../support/files.js';
import { duckIds, ids, sorted, stagedUnder, twoSinkSpec, writeIds } from './writeHelpers.js';

/**
 * SIGKILL a plain (not bookmarked) write anywhere: at each named commit step (SLUICE_CRASH_AT) and
 * at random moments (SLUICE_CRASH_THROTTLE_MS spreads the steps out). The next write to the
 * output — here an append of one marker row, in this process — recovers the killed run's
 * leftovers first, so the output is then exactly the old rows or exactly the new ones (plus the
 * marker), never a mix, never doubled, with nothing left staged.
 */

const THROTTLE_MS = 120;
const COMMITTED = new Set(['after-manifest', 'mid-rename', 'after-renames']);

/** The next write to `out`: appends the id `marker` (recovering what a killed run left first). */
async function appendMarker(dir: string, out: string, marker: number): Promise<void> {
  const file = join(dir, `marker-${marker}.csv`);
  await writeIds(file, [marker]);
  await read.csv(file, { withHeader: true, schema: { id: 'int64', grp: 'string' } }).write.parquet(out, { mode: 'append' });
}

/** Asserts `out` holds exactly `old` or exactly `next` (each with `marker`), and returns which. */
async function expectOldOrNew(out: string, old: number[], next: number[], marker: number): Promise<'old' | 'new'> {
  const seen = await duckIds(out);
  const asOld = sorted([...old, marker]);
  const asNew = sorted([...next, marker]);
  if (JSON.stringify(seen) === JSON.stringify(asNew)) return 'new';
  expect(seen, `${out} is neither the old rows nor the new ones`).toEqual(asOld);
  return 'old';
}

const convertArgs = (input: string, out: string, mode: string) => ['convert', input, out, '--mode', mode, '--partition-by', 'grp'];

describe('a plain overwrite killed at a named commit step is rolled back or forward by the next write', () => {
  it.each(WRITE_CRASH_POINTS.map((p) => [p]))('killed at %s', async (point) => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    await writeIds(join(dir, 'old.csv'), ids(1, 3));
    await writeIds(join(dir, 'new.csv'), ids(100, 5));
    await runJobSpec({ name: 'seed', nodes: [
      { id: 'r', type: 'read', format: 'csv', paths: [join(dir, 'old.csv')], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string' } },
      { id: 'w', type: 'write', input: 'r', format: 'parquet', path: out, partitionKeys: ['grp'] },
    ] });
    const crashed = await runSluice(convertArgs(join(dir, 'new.csv'), out, 'overwrite'), { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    if (!COMMITTED.has(point)) expect(await duckIds(out)).toEqual(ids(1, 3)); // before the commit point: untouched
    await appendMarker(dir, out, 999);
    expect(await expectOldOrNew(out, ids(1, 3), ids(100, 5), 999)).toBe(COMMITTED.has(point) ? 'new' : 'old');
    expect(await stagedUnder(out)).toEqual([]);
  }, 60_000);
});

describe('a job with two sinks killed at a named step publishes both or neither', () => {
  const POINTS = ['after-stage-sink-1', 'after-stage-sink-2', 'before-manifest', 'after-manifest', 'mid-rename', 'after-renames'];
  it.each(POINTS.map((p) => [p]))('killed at %s; recovered by a write to the second output only', async (point) => {
    const dir = await tempDir();
    const spec = join(dir, 'job.json');
    await writeFile(spec, JSON.stringify(twoSinkSpec(dir, 'overwrite')));
    await writeIds(join(dir, 'in', 'a.csv'), ids(1, 3));
    await runJobSpec(spec);
    await writeIds(join(dir, 'in', 'a.csv'), ids(100, 5));
    const crashed = await runSluice(['run', spec], { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // out-b's recovery finds the run's prepared manifest and follows it to the commit point in out-a.
    await appendMarker(dir, join(dir, 'out-b'), 999);
    const b = await expectOldOrNew(join(dir, 'out-b'), ids(1, 3), ids(100, 5), 999);
    expect(b).toBe(COMMITTED.has(point) ? 'new' : 'old');
    expect(await duckIds(join(dir, 'out-a'))).toEqual(b === 'new' ? ids(100, 5) : ids(1, 3));
    await appendMarker(dir, join(dir, 'out-a'), 998);
    for (const out of ['out-a', 'out-b']) expect(await stagedUnder(join(dir, out))).toEqual([]);
  }, 60_000);
});

describe('plain writes killed at random moments: the output is always exactly old or exactly new', () => {
  it('overwrite and append (one output) and a two-sink job, round after round', async () => {
    const dir = await tempDir();
    const random = seededRandom();
    const out = join(dir, 'out');
    const spec = join(dir, 'job.json');
    await writeFile(spec, JSON.stringify(twoSinkSpec(dir, 'overwrite')));
    let single: number[] = [];
    let pair: number[] = [];
    const outcomes: string[] = [];
    let killed = 0;
    const ROUNDS = 9;
    for (let round = 0; round < ROUNDS; round++) {
      const kind = (['overwrite', 'append', 'job'] as const)[round % 3];
      const fresh = ids(1000 * (round + 1), 300);
      const marker = 900_000 + round;
      // Steps after the anchor: staged, before/after the manifest, the renames (2 grp partitions), after them.
      const steps = kind === 'job' ? 8 : 6;
      const delay = Math.floor(random() * steps * THROTTLE_MS * 0.75);
      const killWhen = (stderr: string) => (stderr.includes('sluice-crash-point after-stage-sink-1\n') ? delay : undefined);
      let child;
      if (kind === 'job') {
        await writeIds(join(dir, 'in', 'a.csv'), fresh);
        child = await runSluice(['run', spec], { SLUICE_CRASH_THROTTLE_MS: String(THROTTLE_MS) }, killWhen);
      } else {
        await writeIds(join(dir, `r${round}.csv`), fresh);
        child = await runSluice(convertArgs(join(dir, `r${round}.csv`), out, kind), { SLUICE_CRASH_THROTTLE_MS: String(THROTTLE_MS) }, killWhen);
      }
      if (child.signal === 'SIGKILL') killed++;
      else expect(child.code, child.stderr).toBe(0);
      const last = [...child.stderr.matchAll(/sluice-crash-point (\S+)/g)].at(-1)?.[1] ?? 'none';
      outcomes.push(`round ${round} (${kind}): ${child.signal === 'SIGKILL' ? `killed ${delay} ms after staging, after ${last}` : 'ran to the end'}`);
      const context = (e: Error) => {
        throw new Error(`${outcomes.at(-1)}: ${e.message}`);
      };
      if (kind === 'job') {
        await appendMarker(dir, join(dir, 'out-b'), marker);
        const b = await expectOldOrNew(join(dir, 'out-b'), pair, fresh, marker).catch(context);
        pair = b === 'new' ? fresh : pair;
        expect(await duckIds(join(dir, 'out-a'))).toEqual(sorted(pair));
        await appendMarker(dir, join(dir, 'out-a'), marker);
        pair = [...pair, marker];
      } else {
        await appendMarker(dir, out, marker);
        const next = kind === 'overwrite' ? fresh : [...single, ...fresh];
        single = [...((await expectOldOrNew(out, single, next, marker).catch(context)) === 'new' ? next : single), marker];
      }
      for (const o of [out, join(dir, 'out-a'), join(dir, 'out-b')]) expect(await stagedUnder(o)).toEqual([]);
    }
    if (process.env.SLUICE_SHOW_KILLS) console.log(outcomes.join('\n'));
    expect(killed, outcomes.join('; ')).toBeGreaterThanOrEqual(6);
  }, 240_000);
});
