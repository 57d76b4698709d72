import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { INLINE, ORDERS_SCHEMA, ordersCsv } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

/** Two threads, an input too small to split, and a sink thread from the first byte. */
const SINK = { threads: 2, inlineBelowBytes: 1e12, sinkThreadAboveBytes: 1 };

async function ordersFile(rows = 5000, bad: number[] = []): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'orders.csv');
  await writeFile(path, ordersCsv(rows, { bad }));
  return { dir, path };
}

const derived = (path: string, mode?: 'failFast') =>
  read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA, ...(mode ? { mode } : {}) })
    .filter('amount IS NOT NULL AND amount > 20')
    .withColumns({ amount_usd: 'amount * 1.1', bucket: 'customer % 3' });

describe('writes through a sink thread', () => {
  it('write the rows, partitions and error records of an inline write, from a worker, committed once', async () => {
    const { dir, path } = await ordersFile(5000, [17, 2500, 4999]);
    const spec = (out: string) => ({ format: 'parquet' as const, path: join(dir, out), partitionKeys: ['country'], mode: 'overwrite' as const });
    const inline = await writeFrame(derived(path), spec('inline'), INLINE);
    const sink = await writeFrame(derived(path), spec('sink'), SINK);
    expect(sink.rows).toBe(inline.rows);
    expect(sink.errors.map((e) => e.line)).toEqual([18, 2501, 5000]);
    expect(sink.errors).toEqual(inline.errors);
    const files = await filesUnder(join(dir, 'sink'));
    // The worker named the part files (its task's run id ends in -s00000); nothing else is left.
    expect(files.filter((f) => f.endsWith('.parquet')).every((f) => /^country=[^/]+\/part-\d{5}-.*-s00000\.parquet$/.test(f))).toBe(true);
    expect(files).toContain('_SUCCESS');
    expect(files.filter((f) => !f.endsWith('.parquet') && f !== '_SUCCESS')).toEqual([]);
    expect(existsSync(stagingRootOf(join(dir, 'sink')))).toBe(false);
    const query = (out: string) =>
      duck(`SELECT country, count(*) AS n, sum(id) AS ids, round(sum(amount_usd), 6) AS usd, string_agg(note, '|' ORDER BY id) AS notes
            FROM read_parquet('${join(dir, out)}/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`);
    const expected = await query('inline');
    expect(expected.length).toBeGreaterThan(2);
    expect(await query('sink')).toEqual(expected);
  });

  it('a plan that fails while the worker writes publishes nothing and names the line', async () => {
    const { dir, path } = await ordersFile(5000, [4500]);
    const out = join(dir, 'out');
    await expect(writeFrame(derived(path, 'failFast'), { format: 'parquet', path: out }, SINK)).rejects.toThrow(`${path}:4501: `);
    expect(await filesUnder(out).catch(() => [])).toEqual([]);
    expect(existsSync(stagingRootOf(out))).toBe(false);
  });

  it('a write that fails on the worker publishes nothing and keeps what the path held', async () => {
    const { dir, path } = await ordersFile();
    const out = join(dir, 'out');
    await writeFrame(derived(path), { format: 'csv', path: out, formatOptions: { header: true } }, INLINE);
    const before = await filesUnder(out);
    await expect(writeFrame(derived(path), { format: 'parquet', path: out, mode: 'overwrite', maxRowsPerFile: 0 }, SINK)).rejects.toThrow(
      /on a sink thread failed: maxRowsPerFile must be at least 1, got 0/,
    );
    expect(await filesUnder(out)).toEqual(before);
    expect(existsSync(stagingRootOf(out))).toBe(false);
  });

  it('runs on the driver below the threshold, and with SLUICE_SINK_THREAD=off', async () => {
    const { dir, path } = await ordersFile();
    const names = async (out: string, options: object) => {
      await writeFrame(derived(path), { format: 'parquet', path: join(dir, out) }, options);
      return (await filesUnder(join(dir, out))).filter((f) => f.endsWith('.parquet'));
    };
    expect((await names('small', { ...SINK, sinkThreadAboveBytes: 1e9 })).some((f) => f.endsWith('-s00000.parquet'))).toBe(false);
    process.env.SLUICE_SINK_THREAD = 'off';
    try {
      expect((await names('off', { threads: 2, inlineBelowBytes: 1e12 })).some((f) => f.endsWith('-s00000.parquet'))).toBe(false);
    } finally {
      delete process.env.SLUICE_SINK_THREAD;
    }
    expect((await names('on', { threads: 2, inlineBelowBytes: 1e12, sinkThreadAboveBytes: 1 })).every((f) => f.endsWith('-s00000.parquet'))).toBe(true);
  });
});
