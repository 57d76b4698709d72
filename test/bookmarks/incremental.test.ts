import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { resetBookmarks, rewindBookmarks } from '../../src/job/bookmarks/bookmarkAdmin.js';
import { csvIds, ordersSpec, parquetIds, range, setAge, writeOrders } from './helpers.js';
import { filesUnder, tempDir } from '../support/files.js';

/** One run of the orders spec with bookmarks; returns what it read and wrote. */
async function run(dir: string, option = 'enable', extra: { from?: string; to?: string; maxBand?: number } = {}) {
  const summary = await runJobSpec(ordersSpec(dir), {}, { bookmarks: { option, stateDir: join(dir, 'state'), ...extra } });
  return { runId: summary.bookmark!.runId, files: summary.bookmark!.files, version: summary.bookmark!.version, rows: summary.sinks[0].rows };
}

describe('incremental runs with job bookmarks', () => {
  it('reads only new files, keeps partition output complete, and records each run', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1, 2, 3]);
    await writeOrders(join(dir, 'in', 'b.csv'), [4, 5]);
    expect(await run(dir)).toMatchObject({ files: 2, rows: 5, version: 1 });
    await writeOrders(join(dir, 'in', 'c.csv'), [6, 7]);
    expect(await run(dir)).toMatchObject({ files: 1, rows: 2, version: 2 });
    expect(await run(dir)).toMatchObject({ files: 0, rows: 0, version: 3 });

    expect(await parquetIds(join(dir, 'lake'))).toEqual(range(1, 7));
    expect(await csvIds(join(dir, 'copy'))).toEqual(range(1, 7));
    const lake = await filesUnder(join(dir, 'lake'));
    expect(lake.filter((f) => !f.endsWith('.parquet'))).toEqual(['_SUCCESS']);
    expect(new Set(lake.filter((f) => f.endsWith('.parquet')).map((f) => f.split('/')[0]))).toEqual(new Set(['grp=even', 'grp=odd']));

    const state = JSON.parse(await readFile(join(dir, 'state', 'orders', 'state.json'), 'utf8'));
    expect(state.pending).toBeUndefined();
    expect(state.runs.map((r: { status: string; files: number; rows: number; attempt: number }) => [r.status, r.files, r.rows, r.attempt])).toEqual([
      ['succeeded', 2, 10, 1], ['succeeded', 1, 4, 1], ['succeeded', 0, 0, 1], // rows: both sinks
    ]);
    expect(state.sources.orders.schema).toEqual({ id: 'int64', grp: 'string', amount: 'int64' });
    expect(state.sources.orders.files.map((f: { path: string }) => f.path.split('/').at(-1))).toEqual(['a.csv', 'b.csv', 'c.csv']);
  });

  it('reads a file again when its size or its mtime changed', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1, 2], 100);
    await writeOrders(join(dir, 'in', 'b.csv'), [3], 100);
    expect(await run(dir)).toMatchObject({ files: 2, rows: 3 });

    await appendFile(join(dir, 'in', 'a.csv'), '9,odd,90\n'); // bigger; mtime now
    expect(await run(dir)).toMatchObject({ files: 1, rows: 3 });

    await setAge(join(dir, 'in', 'b.csv'), 50); // same size, another mtime (still in the band)
    expect(await run(dir)).toMatchObject({ files: 1, rows: 1 });
    expect(await run(dir)).toMatchObject({ files: 0, rows: 0 });
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 1, 2, 2, 3, 3, 9]);
  });

  it("picks up a late file whose mtime falls in the last run's band, not one older than the band", async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    await run(dir);
    // Landed after the run, but stamped before it (an upload that kept its original mtime).
    await writeOrders(join(dir, 'in', 'late.csv'), [2], 60);
    await writeOrders(join(dir, 'in', 'ancient.csv'), [3], 7200);
    expect(await run(dir)).toMatchObject({ files: 1, rows: 1 });
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 2]);

    // A band of 3 hours reaches back far enough for the ancient file as well.
    const wide = await tempDir();
    await writeOrders(join(wide, 'in', 'a.csv'), [1]);
    await run(wide, 'enable', { maxBand: 3 * 3600_000 });
    await writeOrders(join(wide, 'in', 'ancient.csv'), [3], 7200);
    expect(await run(wide, 'enable', { maxBand: 3 * 3600_000 })).toMatchObject({ files: 1, rows: 1 });
  });

  it('pause reads what is new and leaves the bookmark; from/to read between two runs', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    const r1 = await run(dir);
    await writeOrders(join(dir, 'in', 'b.csv'), [2]);
    expect(await run(dir, 'pause')).toMatchObject({ files: 1, rows: 1, version: 1 });
    expect(await run(dir, 'job-bookmark-pause')).toMatchObject({ files: 1, rows: 1, version: 1 });
    const r2 = await run(dir);
    expect(r2).toMatchObject({ files: 1, version: 2 });
    await writeOrders(join(dir, 'in', 'c.csv'), [3]);
    const r3 = await run(dir);
    expect(r3).toMatchObject({ files: 1, version: 3 });

    expect(await run(dir, 'pause', { from: r1.runId, to: r2.runId })).toMatchObject({ files: 1, rows: 1, version: 3 });
    expect(await run(dir, 'pause', { from: r2.runId })).toMatchObject({ files: 1, rows: 1 });
    expect(await run(dir, 'pause', { to: r2.runId })).toMatchObject({ files: 2, rows: 2 });
    // 1 (r1) + 2, 2 (pauses) + 2 (r2) + 3 (r3) + 2 (from r1 to r2) + 3 (from r2) + 1, 2 (to r2)
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 1, 2, 2, 2, 2, 2, 3, 3]);
    await expect(run(dir, 'pause', { from: 'jr_nope' })).rejects.toThrow(/--job-bookmark-from jr_nope: no committed run of job 'orders' has that id; committed runs: jr_/);
    await expect(run(dir, 'enable', { from: r1.runId })).rejects.toThrow('--job-bookmark-from and --job-bookmark-to go with --job-bookmark-option job-bookmark-pause, not enable');
  });

  it('reset reads everything again; rewind goes back to what a run had read', async () => {
    const dir = await tempDir();
    const store = new BookmarkFolder(join(dir, 'state'));
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    const r1 = await run(dir);
    await writeOrders(join(dir, 'in', 'b.csv'), [2]);
    await run(dir);
    await writeOrders(join(dir, 'in', 'c.csv'), [3]);
    await run(dir);

    expect((await rewindBookmarks(store, 'orders', r1.runId)).version).toBe(4);
    expect(await run(dir)).toMatchObject({ files: 2, rows: 2, version: 5 });
    expect((await resetBookmarks(store, 'orders')).sources).toEqual({});
    expect(await run(dir)).toMatchObject({ files: 3, rows: 3, version: 7 });
    await expect(rewindBookmarks(store, 'orders', 'jr_unknown')).rejects.toThrow("cannot rewind job 'orders' to jr_unknown: no committed run has that id");
    await expect(resetBookmarks(store, 'nobody')).rejects.toThrow("no bookmark state for job 'nobody'");
  });

  it('keeps the partition columns of a folder source when only some files are new', async () => {
    const dir = await tempDir();
    const spec = (option: string) => ({
      name: 'days', bookmarks: { option, stateDir: 'state' },
      nodes: [
        { id: 'in', type: 'read', format: 'json', paths: [join(dir, 'in')] },
        { id: 'out', type: 'write', input: 'in', format: 'parquet', path: join(dir, 'out') },
      ],
    });
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec('enable')));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'in', 'day=1'), { recursive: true });
    await mkdir(join(dir, 'in', 'day=2'), { recursive: true });
    await writeFile(join(dir, 'in', 'day=1', 'a.json'), '{"id": 1}\n{"id": 2}\n');
    expect((await runJobSpec(join(dir, 'spec.json'))).bookmark).toMatchObject({ files: 1 });
    await writeFile(join(dir, 'in', 'day=2', 'b.json'), '{"id": 3}\n');
    const second = await runJobSpec(join(dir, 'spec.json'));
    expect(second.bookmark).toMatchObject({ files: 1, status: 'succeeded' });
    const { read } = await import('../../src/frame/read.js');
    const rows = (await read.parquet(join(dir, 'out')).toRows()).map((r) => [Number(r.id), Number(r.day)]).sort((a, b) => a[0] - b[0]);
    expect(rows).toEqual([[1, 1], [2, 1], [3, 2]]);
    // The spec's stateDir is relative to the spec's folder.
    expect(await filesUnder(join(dir, 'state', 'days'))).toContain('state.json');
  });
});
