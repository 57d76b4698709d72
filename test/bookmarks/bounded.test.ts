import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { advanceBookmark, boundSelection } from '../../src/job/bookmarks/selectFiles.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { ordersSpec, parquetIds, writeOrders } from './helpers.js';
import { tempDir } from '../support/files.js';

/** A bookmarked Glue-shaped run reading `in` with the given connection options. */
async function boundedRun(dir: string, connection: Record<string, unknown>, bookmarks = 'job-bookmark-enable') {
  const job = new Job(new GlueContext(), { stateDir: join(dir, 'state') });
  await job.init('bounded', { 'job-bookmark-option': bookmarks });
  const orders = job.glueContext.createDynamicFrame.fromOptions({
    connectionType: 'file', connectionOptions: { paths: [join(dir, 'in')], ...connection }, format: 'csv',
    formatOptions: { withHeader: true }, transformationCtx: 'orders', schema: { id: 'int64', grp: 'string', amount: 'int64' },
  });
  await job.glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: join(dir, 'out') }, format: 'parquet', transformationCtx: 'sink' });
  return job.commit();
}

/** Files a.csv (ids 1, 2), b.csv (3), c.csv (4, 5, 6), modified an hour ago, a second apart, oldest first. */
async function threeFiles(dir: string): Promise<void> {
  const t0 = Date.now() / 1000 - 3600;
  const files: [string, number[]][] = [['c.csv', [4, 5, 6]], ['a.csv', [1, 2]], ['b.csv', [3]]];
  for (const [name, ids] of files) await writeOrders(join(dir, 'in', name), ids);
  await utimes(join(dir, 'in', 'a.csv'), t0, t0);
  await utimes(join(dir, 'in', 'b.csv'), t0 + 1, t0 + 1);
  await utimes(join(dir, 'in', 'c.csv'), t0 + 2, t0 + 2);
}

describe("Glue's bounded execution: boundedFiles / boundedSize with job bookmarks", () => {
  it('boundedFiles reads at most N new files per run, oldest first; the next run reads the rest', async () => {
    const dir = await tempDir('sluice-bounded-');
    await threeFiles(dir);
    expect((await boundedRun(dir, { boundedFiles: '2' })).bookmark).toMatchObject({ files: 2, rows: 3 });
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 2, 3]);
    expect((await boundedRun(dir, { boundedFiles: 2 })).bookmark).toMatchObject({ files: 1, rows: 3 });
    expect((await boundedRun(dir, { boundedFiles: 2 })).bookmark).toMatchObject({ files: 0, rows: 0 });
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('boundedSize reads new files up to N bytes per run (at least one)', async () => {
    const dir = await tempDir('sluice-bounded-');
    await threeFiles(dir);
    expect((await boundedRun(dir, { boundedSize: 1 })).bookmark).toMatchObject({ files: 1, rows: 2 });
    expect((await boundedRun(dir, { boundedSize: '1MB' })).bookmark).toMatchObject({ files: 2, rows: 4 });
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('needs bookmarks, and a whole number', async () => {
    const dir = await tempDir('sluice-bounded-');
    await threeFiles(dir);
    await expect(boundedRun(dir, { boundedFiles: 1 }, 'job-bookmark-disable')).rejects.toThrow('createDynamicFrame.fromOptions: boundedFiles / boundedSize need job bookmarks');
    await expect(boundedRun(dir, { boundedFiles: 'two' })).rejects.toThrow('createDynamicFrame.fromOptions: boundedFiles must be a whole number of files >= 1, got "two"');
  });

  it('job-spec read nodes take boundedFiles / boundedSize too, and need bookmarks', async () => {
    const dir = await tempDir('sluice-bounded-spec-');
    await threeFiles(dir);
    const spec = ordersSpec(dir);
    (spec.nodes[0] as Record<string, unknown>).boundedFiles = 2;
    await expect(runJobSpec(spec)).rejects.toThrow("read node 'orders' sets boundedFiles / boundedSize, which need job bookmarks");
    const run = () => runJobSpec(spec, {}, { bookmarks: { option: 'job-bookmark-enable', stateDir: join(dir, 'state') } });
    expect((await run()).bookmark).toMatchObject({ files: 2 });
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 2, 3]);
    expect((await run()).bookmark).toMatchObject({ files: 1 });
    expect(await parquetIds(join(dir, 'lake'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the high-water mark below the oldest file left and does not track the files left', () => {
    const f = (path: string, mtimeMs: number, size = 10) => ({ path, size, mtimeMs });
    const unread = [f('c', 300), f('a', 100), f('b', 200), f('d', 200)];
    expect(boundSelection(unread, { files: 2 })).toEqual({ taken: [f('a', 100), f('b', 200)], left: [f('d', 200), f('c', 300)] });
    expect(boundSelection(unread, { bytes: 25 }).taken.map((x) => x.path)).toEqual(['a', 'b']);
    expect(boundSelection(unread).left).toEqual([]);
    const next = advanceBookmark({ highWaterMs: 50, files: [] }, unread, 10_000, 1000, [f('d', 200), f('c', 300)]);
    expect(next).toEqual({ highWaterMs: 199, files: [f('b', 200)] });
    expect(advanceBookmark({ highWaterMs: 50, files: [] }, unread, 10_000, 1000)).toEqual({ highWaterMs: 9000, files: [] });
  });
});
