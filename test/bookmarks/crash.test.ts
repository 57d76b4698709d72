import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '../../src/job/bookmarks/crashPoint.js';
import type { BookmarkState } from '../../src/job/bookmarks/BookmarkState.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { read } from '../../src/frame/read.js';
import { csvIds, ordersSpec, parquetIds, range, writeOrders } from './helpers.js';
import { killPlan, lastPoint, seededRandom, THROTTLE_MS } from './randomKills.js';
import { runSluice } from '../support/cli.js';
import { filesUnder, tempDir } from '../support/files.js';

/** Points after which the run has committed: the crashed run counts, the next one finishes publishing. */
const COMMITTED = new Set(['after-manifest', 'mid-rename', 'after-renames', 'before-state-write', 'after-state-write']);

async function setUp() {
  const dir = await tempDir();
  const spec = join(dir, 'orders.json');
  await writeFile(spec, JSON.stringify(ordersSpec(dir)));
  await writeOrders(join(dir, 'in', 'a.csv'), range(1, 4));
  await runJobSpec(spec, {}, { bookmarks: { option: 'enable' } }); // a clean first run
  return { dir, spec };
}

const runEnabled = (spec: string) => runJobSpec(spec, {}, { bookmarks: { option: 'enable' } });

/** The rows of `ids` as the job writes them: grp from the id's parity, amount = id × 10. */
const rowsOf = (ids: number[]) => [...ids].sort((a, b) => a - b).map((id) => ({ id, grp: id % 2 === 0 ? 'even' : 'odd', amount: id * 10 }));

/** Both outputs, whole, row for row, sorted by id (the parquet one through its grp= partitions). */
async function outputRows(dir: string) {
  const norm = (rows: Record<string, unknown>[]) =>
    rows.map((r) => ({ id: Number(r.id), grp: String(r.grp), amount: Number(r.amount) })).sort((a, b) => a.id - b.id);
  return {
    lake: norm(await read.parquet(join(dir, 'lake')).toRows()),
    copy: norm(await read.csv(join(dir, 'copy'), { withHeader: true, schema: { id: 'int64', grp: 'string', amount: 'int64' } }).toRows()),
  };
}

/**
 * What a clean sequence of runs would have left: every input row once in both outputs (whole
 * rows, compared row for row), nothing staged, `_SUCCESS` in place, the state at rest, and a
 * bookmark that has seen every file.
 */
async function expectCleanOutput(dir: string, spec: string, ids: number[]): Promise<BookmarkState> {
  expect(await outputRows(dir)).toEqual({ lake: rowsOf(ids), copy: rowsOf(ids) });
  for (const out of ['lake', 'copy']) {
    const files = await filesUnder(join(dir, out));
    expect(await filesUnder(join(dir, `.${out}.sluice-staging`))).toEqual([]); // staged beside the output: none left
    expect(files).toContain('_SUCCESS');
  }
  const state = JSON.parse(await readFile(join(dir, '.sluice', 'orders', 'state.json'), 'utf8')) as BookmarkState;
  expect(state.pending).toBeUndefined();
  expect(state.runs.filter((r) => r.status === 'running')).toEqual([]);
  expect((await runEnabled(spec)).bookmark).toMatchObject({ files: 0, rows: 0 });
  return state;
}

/** Points at which the killed run had staged files in its first sink's folder. */
const STAGED = new Set(['after-stage-sink-1', 'after-stage-sink-2', 'before-manifest', 'after-manifest']);

describe('a run killed with SIGKILL at any point is finished or undone by the next run', () => {
  it.concurrent.each(CRASH_POINTS.map((p) => [p]))('killed at %s', async (point) => {
    const { dir, spec } = await setUp();
    await writeOrders(join(dir, 'in', 'b.csv'), range(5, 9));
    const crashed = await runSluice(['run', spec, '--job-bookmark-option', 'job-bookmark-enable'], { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // The kill left the run half done: staged files (until the renames finish) and a state not at rest.
    const staged = (await filesUnder(join(dir, '.lake.sluice-staging'))).filter((f) => f.includes('/part-'));
    // Killed mid-rename, the renames in flight with the first (up to 16 at once) may all have landed.
    if (point !== 'mid-rename') expect(staged.length > 0, staged.join(', ')).toBe(STAGED.has(point));
    const left = JSON.parse(await readFile(join(dir, '.sluice', 'orders', 'state.json'), 'utf8')) as BookmarkState;
    expect(left.runs.at(-1)!.status).toBe(COMMITTED.has(point) ? 'succeeded' : 'running');
    expect(left.pending !== undefined).toBe(COMMITTED.has(point) && point !== 'after-state-write');

    const next = await runEnabled(spec);
    // Before the commit point the crashed run never happened: the next run reads b.csv again.
    expect(next.bookmark!.files).toBe(COMMITTED.has(point) ? 0 : 1);
    const state = await expectCleanOutput(dir, spec, range(1, 9));
    const killed = state.runs[1];
    expect(killed.status).toBe(COMMITTED.has(point) ? 'succeeded' : 'failed');
    expect(killed.error).toEqual(COMMITTED.has(point) ? undefined : expect.stringMatching(/ended before its commit/));
  }, 60_000);

  it('random kills: at random moments spread over a run, the output equals a clean run, row for row', async () => {
    const { dir, spec } = await setUp();
    const random = seededRandom();
    const ROUNDS = 6;
    const ids = range(1, 4);
    const outcomes: string[] = [];
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const first = 1000 + round * 1000;
      const more = range(first, first + 399);
      await writeOrders(join(dir, 'in', `r${round}.csv`), more);
      ids.push(...more);
      const plan = killPlan(round, random);
      const child = await runSluice(['run', spec, '--job-bookmark-option', 'job-bookmark-enable'], { SLUICE_CRASH_THROTTLE_MS: String(THROTTLE_MS) }, plan.killWhen);
      if (child.signal === 'SIGKILL') killed++;
      else expect(child.code, child.stderr).toBe(0);
      outcomes.push(`round ${round}: ${plan.delay} ms after ${plan.anchor}, ${child.signal === 'SIGKILL' ? `killed after ${lastPoint(child.stderr)}` : 'ran to the end'}`);
      await runEnabled(spec);
      await expectCleanOutput(dir, spec, ids).catch((e: Error) => {
        throw new Error(`${outcomes.at(-1)}: ${e.message}`);
      });
    }
    if (process.env.SLUICE_SHOW_KILLS) console.log(outcomes.join('\n'));
    expect(killed, outcomes.join('; ')).toBeGreaterThanOrEqual(4);
  }, 180_000);
});
