import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { parquetRowGroups } from '../../src/io/formats/parquet/parquetReader.js';
import { planSplits } from '../../src/exec/parallel/splits.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { bothWays, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

/** JSON lines with nested values, multibyte text, CRLF on odd lines and a few bad lines. */
function ordersJson(rows: number, bad: number[] = []): string {
  const lines: string[] = [];
  for (let i = 1; i <= rows; i++) {
    if (bad.includes(i)) lines.push(i % 2 ? `{"id": ${i}, "note": "broken` : `[${i}]`);
    else lines.push(JSON.stringify({ id: i, note: ['café', '日本', '🎉', 'plain'][i % 4].repeat(i % 5), tags: i % 3 ? ['a', 'b'] : [], where: { city: `Zürich ${i % 9}` } }));
  }
  return lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('');
}

describe('parallel JSON lines equals single-threaded', () => {
  it('same rows, same order, error records on the same lines', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.jsonl');
    const bad = [3, 1234, 1235, 1999];
    await writeFile(path, ordersJson(2000, bad));
    const frame = read.json(path);
    const splits = await planSplits([{ path, values: [] }], { format: 'json', formatOptions: {}, splitSize: PARALLEL.splitSize! });
    expect(splits.length).toBeGreaterThan(10);
    const { inline, parallel } = await bothWays(frame);
    expect(inline.rows).toHaveLength(2000 - bad.length);
    expect(parallel.rows).toEqual(inline.rows);
    expect(inline.errors.map((e) => e.line)).toEqual(bad);
    expect(parallel.errors).toEqual(inline.errors);
  });
});

describe('parallel Parquet equals single-threaded', () => {
  it('reads groups of row groups as splits, in order', async () => {
    const dir = await tempDir();
    const csv = join(dir, 'orders.csv');
    await writeFile(csv, ordersCsv(5000));
    const out = join(dir, 'pq');
    await read.csv(csv, { withHeader: true, schema: ORDERS_SCHEMA }).write.parquet(out, { rowGroupSize: 400, mode: 'overwrite' });
    const files = (await import('node:fs/promises')).readdir(out);
    const parquet = join(out, (await files).find((f) => f.endsWith('.parquet'))!);
    const groups = await parquetRowGroups(parquet);
    expect(groups.length).toBe(13);
    const splits = await planSplits([{ path: parquet, values: [] }], { format: 'parquet', formatOptions: {}, splitSize: 1 });
    expect(splits.map((s) => s.parts[0].rowGroups)).toEqual(groups.map((g) => [g.index]));

    const frame = read.parquet(out).filter('amount > 10').withColumns({ double: 'amount * 2' });
    const { inline, parallel } = await bothWays(frame, { ...PARALLEL, splitSize: 1 });
    expect(inline.rows.length).toBeGreaterThan(3000);
    expect(parallel.rows).toEqual(inline.rows);
    expect(await frame.count({ ...PARALLEL, splitSize: 1 })).toBe(inline.rows.length);
  });
});

describe('many small files', () => {
  it('are grouped into few splits and read in listing order, with partition columns', async () => {
    const dir = await tempDir();
    for (let k = 0; k < 40; k++) {
      const folder = join(dir, `region=r${k % 4}`);
      await (await import('node:fs/promises')).mkdir(folder, { recursive: true });
      await writeFile(join(folder, `part-${String(k).padStart(3, '0')}.csv`), ordersCsv(50));
    }
    const frame = read.csv(dir, { withHeader: true, schema: ORDERS_SCHEMA });
    const { inline, parallel } = await bothWays(frame, { ...PARALLEL, splitSize: 20_000 });
    expect(inline.rows).toHaveLength(2000);
    expect(parallel.rows).toEqual(inline.rows);
    expect(parallel.rows[0]).toMatchObject({ id: 1, region: 'r0' });
  });

  it('projection push-down applies per split: selected columns, partition columns, row counts', async () => {
    const dir = await tempDir();
    for (let k = 0; k < 12; k++) {
      const folder = join(dir, `region=r${k % 3}`);
      await (await import('node:fs/promises')).mkdir(folder, { recursive: true });
      await writeFile(join(folder, `part-${k}.csv`), ordersCsv(400));
    }
    const options = { ...PARALLEL, splitSize: 8192 };
    const frame = read.csv(dir, { withHeader: true, schema: ORDERS_SCHEMA });
    const picked = frame.selectFields(['region', 'amount']).filter('amount > 100');
    const { inline, parallel } = await bothWays(picked, options);
    expect(Object.keys(parallel.rows[0])).toEqual(['region', 'amount']);
    expect(parallel.rows).toEqual(inline.rows);
    expect(await frame.count(options)).toBe(4800);
    expect(await frame.filter('amount > 100').count(options)).toBe(await frame.filter('amount > 100').count({ parallel: false }));
  });
});
