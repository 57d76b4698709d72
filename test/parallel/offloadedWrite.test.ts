import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeVector } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { writeInParallel } from '../../src/exec/parallel/parallelWrite.js';
import { parallelSettings } from '../../src/exec/parallel/settings.js';
import { writeOffThread } from '../../src/exec/parallel/writeOffThread.js';
import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';
import { batchOf } from '../io/helpers.js';
import { fn, INLINE, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';

afterAll(() => closeWorkerPool());

/** A gzip CSV of `rows` orders: one split, which only an offloaded write puts on two threads. */
async function gzipOrders(rows: number): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'orders.csv.gz');
  await writeFile(path, gzipSync(ordersCsv(rows)));
  return { dir, path };
}

const derived = (path: string) =>
  read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA })
    .filter('amount IS NOT NULL')
    .withColumns({ amount_usd: 'amount * 1.1', bucket: 'customer % 3' });

describe('offloaded writes (read on the driver, encoded and written on a worker)', () => {
  it('are chosen for one large split that cannot be cut, not for small input or input cut into splits', async () => {
    const { dir, path } = await gzipOrders(3000);
    const spec = { format: 'parquet' as const, path: join(dir, 'out') };
    const decide = (frame: ReturnType<typeof derived>, run: typeof PARALLEL) => writeInParallel(frame.plan, spec, frame.execOptions(run));
    expect(await decide(derived(path), PARALLEL)).toEqual({ parallel: 'no', offload: parallelSettings(PARALLEL) });
    // Below the inline threshold (the gzip file counts 3 times its size): inline, on one thread.
    expect(await decide(derived(path), { ...PARALLEL, inlineBelowBytes: 1 << 30 })).toEqual({ parallel: 'no' });
    expect(await decide(derived(path), INLINE)).toEqual({ parallel: 'no' });
  });

  it('write the rows of an inline write, per partition, committed with _SUCCESS and no staging left', async () => {
    const { dir, path } = await gzipOrders(6000);
    const spec = (out: string) => ({ format: 'parquet' as const, path: join(dir, out), partitionKeys: ['country', 'bucket'], mode: 'overwrite' as const });
    const inline = await writeFrame(derived(path), spec('inline'), INLINE);
    const offloaded = await writeFrame(derived(path), { ...spec('offloaded'), maxRowsPerFile: 200 }, PARALLEL);
    expect(offloaded.rows).toBe(inline.rows);
    expect(offloaded.rows).toBe(6000 - Math.floor(6000 / 11));
    const files = await filesUnder(join(dir, 'offloaded'));
    expect(files).toContain('_SUCCESS');
    expect(files.filter((f) => f.endsWith('.parquet')).sort()).toEqual(offloaded.files.map((f) => f.slice(join(dir, 'offloaded').length + 1)).sort());
    expect(offloaded.files.length).toBeGreaterThan(12); // maxRowsPerFile applies in the worker
    expect(existsSync(stagingRootOf(join(dir, 'offloaded')))).toBe(false);
    const rows = (out: string) =>
      duck(`SELECT country, bucket, id, customer, amount, note, amount_usd FROM read_parquet('${join(dir, out)}/**/*.parquet', hive_partitioning = true) ORDER BY id`);
    expect(await rows('offloaded')).toEqual(await rows('inline'));
  });

  it('keep the error records of the driver side', async () => {
    const { dir, path } = await gzipOrders(2000);
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA }).map(fn('failOnSevens'), { schema: { id: 'int32', label: 'string' } });
    const summary = await writeFrame(frame, { format: 'parquet', path: join(dir, 'out') }, PARALLEL);
    expect(summary.rows).toBe(2000 - Math.floor(2000 / 7));
    expect(summary.errors.length).toBe(Math.floor(2000 / 7));
    expect(summary.errors[0].message).toContain('id 7 is a multiple of 7');
    expect(await duck(`SELECT count(*)::INT AS n, min(id) AS lo FROM read_parquet('${join(dir, 'out')}/*.parquet')`)).toEqual([{ n: 2000 - 285, lo: 1 }]);
  });

  it('start over with the wider type when a sampled column widens midway (the first attempt aborted cleanly)', async () => {
    const dir = await tempDir();
    const lines = ['id,v'];
    for (let i = 0; i < 30000; i++) lines.push(`${i},${i === 25000 ? '1.5' : i}`);
    await writeFile(join(dir, 'drift.csv.gz'), gzipSync(lines.join('\n') + '\n'));
    const summary = await writeFrame(read.csv(join(dir, 'drift.csv.gz'), { withHeader: true }), { format: 'parquet', path: join(dir, 'out') }, PARALLEL);
    expect([summary.rows, summary.errors.length]).toEqual([30000, 0]);
    expect(await duck(`SELECT typeof(v) AS t, sum(v) AS s, count(*)::INT AS n FROM read_parquet('${join(dir, 'out')}/*.parquet') GROUP BY 1`)).toEqual([
      { t: 'DOUBLE', s: 449960001.5, n: 30000 },
    ]);
    expect((await filesUnder(join(dir, 'out'))).filter((f) => f.endsWith('.parquet')).length).toBe(1);
    expect(existsSync(stagingRootOf(join(dir, 'out')))).toBe(false);
  });

  it('publish nothing when the driver fails midway, and stop the worker', async () => {
    const { dir, path } = await gzipOrders(4000);
    const controller = new AbortController();
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA, batchSize: 256 }).map(fn('slowly'), { schema: ORDERS_SCHEMA });
    const out = join(dir, 'out');
    setTimeout(() => controller.abort(new Error('stopped by the test')), 300);
    const started = Date.now();
    await expect(writeFrame(frame, { format: 'parquet', path: out }, { ...PARALLEL, signal: controller.signal })).rejects.toThrow('stopped by the test');
    expect(Date.now() - started).toBeLessThan(2000); // 4 s of rows, stopped after ~0.3
    expect(existsSync(out) ? (await filesUnder(out)).filter((f) => !f.startsWith('.')) : []).toEqual([]);
    expect(existsSync(stagingRootOf(out))).toBe(false);
    // The pool is free again: a next write runs.
    const again = await writeFrame(derived(path), { format: 'parquet', path: join(dir, 'again') }, PARALLEL);
    expect(again.rows).toBe(4000 - Math.floor(4000 / 11));
  });

  it('fail with the worker\'s error when the worker cannot write, and leave nothing', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    async function* batches() {
      for (let k = 0; k < 20; k++) yield batchOf({ id: makeVector(Int32Array.from({ length: 100 }, (_, i) => k * 100 + i)) });
    }
    const settings = parallelSettings(PARALLEL)!;
    // An option only the Parquet writer refuses (a write through the API is checked before it starts).
    await expect(writeOffThread(batches(), { format: 'parquet', path: out, compression: 'lz4' as never }, settings)).rejects.toThrow(/failed in its worker thread: .*lz4/);
    expect(existsSync(stagingRootOf(out))).toBe(false);
    expect(existsSync(out) ? (await filesUnder(out)).filter((f) => !f.startsWith('.')) : []).toEqual([]);
  });
});
