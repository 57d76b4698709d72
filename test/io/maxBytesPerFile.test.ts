import { join } from 'node:path';
import { Field, Float64, Int32, Schema, Utf8, makeData, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { makeBatch } from '../../src/columns/take.js';
import { columnFromValues } from '../../src/columns/fromValues.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { parseByteSize } from '../../src/types/byteSize.js';
import { writeFiles, writePartitioned } from '../../src/io/partitioning/writePartitioned.js';
import { ORDERS_JOB } from '../job/helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

const schema = new Schema([new Field('k', new Utf8(), true), new Field('v', new Int32(), true), new Field('w', new Float64(), true)]);
const valueSchema = new Schema(schema.fields.slice(1));

/**
 * `rows` rows in batches of `batchRows`: k alternates 'a'/'b', v = row number, w = v / 2. The
 * data columns v and w hold no nulls: 4 + 8 = 12 Arrow bytes per row, exactly.
 */
function batches(rows: number, batchRows: number, withKey = true): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const n = Math.min(batchRows, rows - start);
    const v = Int32Array.from({ length: n }, (_, i) => start + i);
    const w = Float64Array.from(v, (x) => x / 2);
    const k = columnFromValues(new Utf8(), Array.from(v, (x) => (x % 2 ? 'b' : 'a')));
    const values = [makeData({ type: new Int32(), length: n, nullCount: 0, data: v }), makeData({ type: new Float64(), length: n, nullCount: 0, data: w })];
    out.push(withKey ? makeBatch(schema, [k, ...values], n) : makeBatch(valueSchema, values, n));
  }
  return out;
}

async function* streamOf(list: RecordBatch[]): AsyncGenerator<RecordBatch> {
  yield* list;
}

/** Rows per part file (by file name, relative to root), and the sum of v over all files. */
async function rowsPerFile(root: string, glob: string): Promise<{ files: Record<string, number>; total: number; sum: number }> {
  const rows = await duck(`SELECT filename AS f, count(*)::INTEGER AS n, sum(v)::BIGINT AS s FROM read_parquet('${root}/${glob}', filename = true, hive_partitioning = false) GROUP BY f ORDER BY f`);
  const files: Record<string, number> = {};
  let total = 0;
  let sum = 0;
  for (const r of rows) {
    files[String(r.f).slice(root.length + 1)] = Number(r.n);
    total += Number(r.n);
    sum += Number(r.s);
  }
  return { files, total, sum };
}

const sumTo = (n: number) => (n * (n - 1)) / 2;

describe('maxBytesPerFile', () => {
  it('cuts unpartitioned part files at the Arrow byte bound, across batch boundaries', async () => {
    const root = join(await tempDir(), 'flat');
    // 1000 rows × 12 bytes; 5000 bytes hold 416 rows.
    const result = await writeFiles(streamOf(batches(1000, 300, false)), root, { format: 'parquet', maxBytesPerFile: 5000, jobRunId: 'b' });
    expect(result.files).toHaveLength(3);
    const { files, total, sum } = await rowsPerFile(root, '*.parquet');
    expect(files).toEqual({ 'part-00000-b.parquet': 416, 'part-00001-b.parquet': 416, 'part-00002-b.parquet': 168 });
    expect(total).toBe(1000);
    expect(sum).toBe(sumTo(1000));
  });

  it('applies whichever of maxRowsPerFile and maxBytesPerFile comes first', async () => {
    const root = join(await tempDir(), 'both');
    // Bytes allow 250 rows per file, rows only 200: five files of 200.
    await writeFiles(streamOf(batches(1000, 128, false)), root, { format: 'parquet', maxBytesPerFile: 3000, maxRowsPerFile: 200, jobRunId: 'r' });
    expect(Object.values((await rowsPerFile(root, '*.parquet')).files)).toEqual([200, 200, 200, 200, 200]);
    const root2 = join(await tempDir(), 'both2');
    // Now bytes come first: 3000 bytes = 250 rows, rows allow 400.
    await writeFiles(streamOf(batches(1000, 128, false)), root2, { format: 'parquet', maxBytesPerFile: 3000, maxRowsPerFile: 400, jobRunId: 'r' });
    expect(Object.values((await rowsPerFile(root2, '*.parquet')).files)).toEqual([250, 250, 250, 250]);
  });

  it('counts only the data columns of partitioned writes, per partition', async () => {
    const root = join(await tempDir(), 'parts');
    // 600 rows per partition (k leaves the files), 12 bytes each; 2400 bytes = 200 rows.
    await writePartitioned(streamOf(batches(1200, 100)), root, { partitionKeys: ['k'], format: 'parquet', maxBytesPerFile: 2400, jobRunId: 'p' });
    const { files, total, sum } = await rowsPerFile(root, '*/*.parquet');
    expect(files).toEqual({
      'k=a/part-00000-p.parquet': 200, 'k=a/part-00002-p.parquet': 200, 'k=a/part-00004-p.parquet': 200,
      'k=b/part-00001-p.parquet': 200, 'k=b/part-00003-p.parquet': 200, 'k=b/part-00005-p.parquet': 200,
    });
    expect(total).toBe(1200);
    expect(sum).toBe(sumTo(1200));
  });

  it('puts one row per file when a single row passes the bound', async () => {
    const root = join(await tempDir(), 'tiny');
    await writeFiles(streamOf(batches(5, 5)), root, { format: 'csv', maxBytesPerFile: 1, jobRunId: 't' });
    expect((await filesUnder(root)).filter((f) => f.endsWith('.csv'))).toHaveLength(5);
    await expect(writeFiles(streamOf(batches(5, 5)), join(root, 'x'), { format: 'csv', maxBytesPerFile: 0 })).rejects.toThrow('maxBytesPerFile must be at least 1 byte, got 0');
  });

  it('goes through WriteSpec (df.write) with the rows all there', async () => {
    const root = join(await tempDir(), 'frame');
    const frame = DataFrame.fromBatches(schema, batches(1000, 256)).selectFields(['v', 'w']);
    const summary = await frame.write.parquet(root, { maxBytesPerFile: 6000, jobRunId: 'd' });
    expect(summary.rows).toBe(1000);
    expect(summary.files).toHaveLength(2);
    const { files, sum } = await rowsPerFile(root, '*.parquet');
    expect(Object.values(files)).toEqual([500, 500]);
    expect(sum).toBe(sumTo(1000));
  });

  it('is a write node field of job specs: a whole number of bytes >= 1', () => {
    const withBound = (value: unknown) => {
      const spec = structuredClone(ORDERS_JOB) as { nodes: Record<string, unknown>[] };
      spec.nodes.find((n) => n.type === 'write')!.maxBytesPerFile = value;
      return jobSpecProblems(spec);
    };
    expect(withBound(134217728)).toEqual([]);
    const index = ORDERS_JOB.nodes.findIndex((n) => n.type === 'write');
    expect(withBound(0)).toEqual([`nodes[${index}].maxBytesPerFile: must be >= 1`]);
    expect(withBound('128MB')).toEqual([`nodes[${index}].maxBytesPerFile: must be an integer`]);
  });
});

describe('parseByteSize', () => {
  it('reads whole numbers and binary units', () => {
    expect(parseByteSize('1073741824', 'x')).toBe(1073741824);
    expect(parseByteSize('128MB', 'x')).toBe(128 * 1024 * 1024);
    expect(parseByteSize('1GiB', 'x')).toBe(1024 ** 3);
    expect(parseByteSize('512k', 'x')).toBe(512 * 1024);
    expect(parseByteSize('1.5 g', 'x')).toBe(1.5 * 1024 ** 3);
    expect(() => parseByteSize('lots', '--max-bytes-per-file')).toThrow("--max-bytes-per-file: 'lots' is not a size in bytes");
    expect(() => parseByteSize('0', 'x')).toThrow("x: '0' is not a size in bytes");
  });
});
