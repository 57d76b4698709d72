import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '../../src/job/bookmarks/crashPoint.js';
import type { BookmarkState } from '../../src/job/bookmarks/BookmarkState.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { csvIds, ordersSpec, parquetIds, range, writeOrders } from './helpers.js';
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

/**
 * What a clean sequence of runs would have left: every input row once in both outputs, nothing
 * staged, `_SUCCESS` in place, the state at rest, and a bookmark that has seen every file.
 */
async function expectCleanOutput(dir: string, spec: string, ids: number[]): Promise<BookmarkState> {
  expect(await parquetIds(join(dir, 'lake'))).toEqual(ids);
  expect(await csvIds(join(dir, 'copy'))).toEqual(ids);
  for (const out of ['lake', 'copy']) {
    const files = await filesUnder(join(dir, out));
    expect(files.filter((f) => f.startsWith('_temporary'))).toEqual([]);
    expect(files).toContain('_SUCCESS');
  }
  const state = JSON.parse(await readFile(join(dir, '.sluice', 'orders', 'state.json'), 'utf8')) as BookmarkState;
  expect(state.pending).toBeUndefined();
  expect(state.runs.filter((r) => r.status === 'running')).toEqual([]);
  expect((await runEnabled(spec)).bookmark).toMatchObject({ files: 0, rows: 0 });
  return state;
}

describe('a run killed with SIGKILL at any point is finished or undone by the next run', () => {
  it.concurrent.each(CRASH_POINTS.map((p) => [p]))('killed at %s', async (point) => {
    const { dir, spec } = await setUp();
    await writeOrders(join(dir, 'in', 'b.csv'), range(5, 9));
    const crashed = await runSluice(['run', spec, '--job-bookmark-option', 'job-bookmark-enable'], { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');

    const next = await runEnabled(spec);
    // Before the commit point the crashed run never happened: the next run reads b.csv again.
    expect(next.bookmark!.files).toBe(COMMITTED.has(point) ? 0 : 1);
    const state = await expectCleanOutput(dir, spec, range(1, 9));
    const killed = state.runs[1];
    expect(killed.status).toBe(COMMITTED.has(point) ? 'succeeded' : 'failed');
    if (!COMMITTED.has(point)) expect(killed.error).toMatch(/ended before its commit/);
  }, 60_000);

  it('random kills: whatever the moment, the output equals a clean run, row for row', async () => {
    const { dir, spec } = await setUp();
    let seed = Number(process.env.SLUICE_KILL_SEED ?? 20240601);
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ids = range(1, 4);
    const outcomes: string[] = [];
    for (let round = 0; round < 5; round++) {
      const first = 100 + round * 10;
      const more = range(first, first + 2);
      await writeOrders(join(dir, 'in', `r${round}.csv`), more);
      ids.push(...more);
      // Kill somewhere from the first sink's start to a little past the usual end of the run.
      const delay = Math.floor(random() * 400);
      const child = await runSluice(['run', spec, '--job-bookmark-option', 'job-bookmark-enable'], {}, (stderr) => (stderr.includes('writing lake') ? delay : undefined));
      outcomes.push(`${delay} ms: ${child.signal ?? `exit ${child.code}`}`);
      await runEnabled(spec);
      await expectCleanOutput(dir, spec, [...ids].sort((a, b) => a - b));
    }
    // The seed fixes the delays; at least one of them must land inside the run to test anything.
    expect(outcomes.some((o) => o.endsWith('SIGKILL')), outcomes.join('; ')).toBe(true);
  }, 120_000);
});
