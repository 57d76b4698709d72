import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { ProgressTracker, runWithProgress } from '../../src/exec/progress.js';
import { fn, INLINE, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

/** The files under `out`'s staging folder now (read synchronously, inside a progress callback). */
const stagedFiles = (out: string) =>
  existsSync(stagingRootOf(out)) ? readdirSync(stagingRootOf(out), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [];

async function ordersFile(rows = 4000, bad: number[] = []): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'orders.csv');
  await writeFile(path, ordersCsv(rows, { bad }));
  return { dir, path };
}

const derived = (path: string) =>
  read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA })
    .filter('amount IS NOT NULL AND amount > 20')
    .withColumns({ amount_usd: 'amount * 1.1', bucket: 'customer % 3' })
    .dropFields(['note']);

describe('parallel partitioned writes', () => {
  it('write the same rows per partition as inline, committed with _SUCCESS and no staging left', async () => {
    const { dir, path } = await ordersFile();
    const spec = (out: string) => ({ format: 'parquet' as const, path: out, partitionKeys: ['country', 'bucket'], mode: 'overwrite' as const });
    const inlineOut = join(dir, 'inline');
    const parallelOut = join(dir, 'parallel');
    const inline = await writeFrame(derived(path), spec(inlineOut), INLINE);
    const parallel = await writeFrame(derived(path), spec(parallelOut), PARALLEL);
    expect(parallel.rows).toBe(inline.rows);
    expect(parallel.files.length).toBeGreaterThan(inline.files.length); // one part per split and partition
    const files = await filesUnder(parallelOut);
    expect(files).toContain('_SUCCESS');
    expect(existsSync(stagingRootOf(parallelOut))).toBe(false);
    const partitionsOf = (list: string[]) => [...new Set(list.filter((f) => f.endsWith('.parquet')).map((f) => f.split('/').slice(0, -1).join('/')))].sort();
    expect(partitionsOf(files)).toEqual(partitionsOf(await filesUnder(inlineOut)));
    // DuckDB, an independent reader: the same rows in every partition.
    const query = (root: string) =>
      duck(`SELECT country, bucket, count(*) AS n, sum(id) AS ids, round(sum(amount_usd), 6) AS usd, string_agg(CAST(id AS VARCHAR), ',' ORDER BY id) AS idlist
            FROM read_parquet('${root}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`);
    const expected = await query(inlineOut);
    expect(expected.length).toBe(12);
    expect(await query(parallelOut)).toEqual(expected);
  });

  it('unpartitioned CSV output holds the same rows', async () => {
    const { dir, path } = await ordersFile();
    const out = join(dir, 'csv');
    const summary = await writeFrame(derived(path), { format: 'csv', path: out, formatOptions: { header: true } }, PARALLEL);
    const back = await read.csv(out, { withHeader: true }).orderBy('id').toRows();
    const expected = await derived(path).selectFields(['id']).toRows();
    expect(summary.rows).toBe(expected.length);
    expect(back.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });

  it('a worker that calls process.exit fails the job, naming the split, and publishes nothing', async () => {
    const { dir, path } = await ordersFile();
    const out = join(dir, 'out');
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA }).map(fn('exitOnRow1500'), { schema: ORDERS_SCHEMA }); // declared: runs on workers
    // Only workers run splits: on the driver thread, as inline, the row function would end the process.
    const workersOnly = { ...PARALLEL, driverSplits: false };
    await expect(writeFrame(frame, { format: 'parquet', path: out, partitionKeys: ['country'] }, workersOnly)).rejects.toThrow(
      /split \d+ \(.*orders\.csv bytes \d+–\d+\) failed: its worker thread stopped \(worker exited with code: 1\)/,
    );
    expect(await filesUnder(out)).toEqual([]);
    // The pool recovers: the next job runs.
    expect(await read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA }).count(PARALLEL)).toBe(4000);
  });

  it('a write aborted after its first split staged its files leaves no output, and runs no further split', async () => {
    const { dir, path } = await ordersFile();
    const out = join(dir, 'out');
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const controller = new AbortController();
    let stagedAtAbort: string[] = [];
    let total = 0;
    // The abort fires on a real event: the first split reported done, its part file staged.
    const tracker = new ProgressTracker((s) => {
      total = s.splitsTotal;
      if (s.splitsDone === 1 && !controller.signal.aborted) {
        stagedAtAbort = stagedFiles(out);
        controller.abort(new Error('stop now'));
      }
    }, controller.signal);
    await expect(runWithProgress(tracker, () => writeFrame(frame, { format: 'parquet', path: out }, { ...PARALLEL, signal: controller.signal }))).rejects.toThrow('stop now');
    expect(stagedAtAbort.filter((f) => f.endsWith('.parquet')).length, stagedAtAbort.join(', ')).toBeGreaterThan(0);
    expect(total).toBeGreaterThan(10); // the abort came with most splits still to run...
    expect(tracker.snapshot().splitsDone).toBe(1); // ...and none of them was reported done after it
    expect(await filesUnder(out)).toEqual([]); // the staged part files and their folders are gone
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]); // not even an empty staging folder
  });

  it('an aborted collect stops after the split it was aborted on', async () => {
    const { path } = await ordersFile();
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const controller = new AbortController();
    const tracker = new ProgressTracker((s) => {
      if (s.splitsDone === 1) controller.abort(new Error('stop reading'));
    }, controller.signal);
    await expect(runWithProgress(tracker, () => frame.collect({ ...PARALLEL, signal: controller.signal }))).rejects.toThrow('stop reading');
    expect(tracker.snapshot()).toMatchObject({ splitsDone: 1 });
    expect(tracker.snapshot().splitsTotal).toBeGreaterThan(10);
  });
});
