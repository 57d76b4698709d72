import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Float64, Int32, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parquetReader } from '../../src/io/formats/parquet/parquetReader.js';
import { jsonReader } from '../../src/io/formats/json/jsonReader.js';
import { decodePartitionValue, encodePartitionValue, pathUnder } from '../../src/io/partitioning/hivePath.js';
import { discoverPartitions, readPartitioned } from '../../src/io/partitioning/discoverPartitions.js';
import { listInputs } from '../../src/io/partitioning/listInputs.js';
import { writeFiles, writePartitioned } from '../../src/io/partitioning/writePartitioned.js';
import { batchOf, column, rowsOf, streamOf } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

const sales = () =>
  batchOf({
    year: column([2024, 2024, 2023, 2024, null], new Int32()),
    month: column([5, 12, 5, 5, 1], new Int32()),
    amount: column([1.5, 2, 3, null, 5], new Float64()),
    item: column(['a', 'b', 'c', 'd', 'e'], new Utf8()),
  });

describe('hive path encoding', () => {
  it('escapes as Hive does and decodes back', () => {
    const cases: [string | null, string][] = [
      ['a/b', 'a%2Fb'],
      ['k=v', 'k%3Dv'],
      ['100%', '100%25'],
      ['..', '%2E%2E'],
      ['.', '%2E'],
      ['a..b', 'a..b'],
      ['ünï cödé', 'ünï cödé'],
      ['tab\there\u007f', 'tab%09here%7F'],
      [`"#'*:?\\{[]^`, '%22%23%27%2A%3A%3F%5C%7B%5B%5D%5E'],
      [null, '__HIVE_DEFAULT_PARTITION__'],
      ['', '__HIVE_DEFAULT_PARTITION__'],
    ];
    for (const [value, encoded] of cases) {
      expect(encodePartitionValue(value)).toBe(encoded);
      expect(decodePartitionValue(encoded)).toBe(value === '' ? null : value);
    }
  });

  it('refuses paths that leave the root', () => {
    expect(() => pathUnder('/out', '..', 'etc')).toThrow('not inside the output folder /out');
    expect(() => pathUnder('/out', 'a/../../b')).toThrow('not inside');
    expect(pathUnder('/out', 'k=%2E%2E', 'f.parquet')).toBe('/out/k=%2E%2E/f.parquet');
  });
});

describe('writePartitioned', () => {
  it('writes the Hive layout, drops partition columns, and DuckDB reads the same rows', async () => {
    const root = join(await tempDir(), 'sales');
    const result = await writePartitioned(streamOf(sales()), root, { partitionKeys: ['year', 'month'], format: 'parquet', jobRunId: 'job1' });
    expect(await filesUnder(root)).toEqual([
      '_SUCCESS',
      'year=2023/month=5/part-00002-job1.parquet',
      'year=2024/month=12/part-00001-job1.parquet',
      'year=2024/month=5/part-00000-job1.parquet',
      'year=__HIVE_DEFAULT_PARTITION__/month=1/part-00003-job1.parquet',
    ]);
    expect(result.rows).toBe(5);
    expect(result.partitions).toEqual(['year=2023/month=5', 'year=2024/month=12', 'year=2024/month=5', 'year=__HIVE_DEFAULT_PARTITION__/month=1']);
    expect((await parquetReader.inferSchema(join(root, 'year=2024/month=5/part-00000-job1.parquet'), {})).names).toEqual(['amount', 'item']);

    const rows = await duck(
      `select item, amount, year, month from read_parquet('${root}/**/*.parquet', hive_partitioning = true, hive_types = {'year': INTEGER, 'month': INTEGER}) order by item`,
    );
    expect(rows).toEqual([
      { item: 'a', amount: 1.5, year: 2024, month: 5 },
      { item: 'b', amount: 2, year: 2024, month: 12 },
      { item: 'c', amount: 3, year: 2023, month: 5 },
      { item: 'd', amount: null, year: 2024, month: 5 },
      { item: 'e', amount: 5, year: null, month: 1 },
    ]);
  });

  it('writes the same partitions from rows already grouped by their keys as from interleaved ones', async () => {
    const months = [1, 1, 1, 2, 2, 3, 3, 3, 3];
    const amounts = months.map((m, i) => m * 100 + i);
    const grouped = batchOf({ month: column(months, new Int32()), amount: column(amounts, new Float64()) });
    const interleaved = batchOf({ month: column([3, 1, 2, 3, 1, 3, 2, 1, 3], new Int32()), amount: column([5, 0, 3, 6, 1, 7, 4, 2, 8].map((i) => amounts[i]), new Float64()) });
    const contents = async (batch: RecordBatch) => {
      const root = join(await tempDir(), 'out');
      await writePartitioned(streamOf(batch, batch.slice(2, 5)), root, { partitionKeys: ['month'], format: 'parquet', jobRunId: 'j' });
      return duck(`select month::int as month, list(amount order by amount) as amounts from read_parquet('${root}/**/*.parquet', hive_partitioning = true) group by month order by month`);
    };
    // Each month's amounts: the whole batch's, then those of rows 2..4 again (the second batch).
    const expected = (batch: RecordBatch) =>
      [1, 2, 3].map((month) => ({
        month,
        amounts: [...batch, ...batch.slice(2, 5)].filter((row) => row!.month === month).map((row) => row!.amount as number).sort((a, b) => a - b),
      }));
    expect(await contents(grouped)).toEqual(expected(grouped));
    expect(await contents(interleaved)).toEqual(expected(interleaved));
  });

  it('escapes awkward values, keeps every file inside the root, and discovery restores them', async () => {
    const root = join(await tempDir(), 'odd');
    const values = ['a/b', 'k=v', '100%', '..', '.', 'ünï', null, '', '../../escape'];
    const batch = batchOf({ key: column(values, new Utf8()), n: column(values.map((_, i) => i), new Int32()) });
    await writePartitioned(streamOf(batch), root, { partitionKeys: ['key'], format: 'json', jobRunId: 'j' });
    expect(await filesUnder(root)).toEqual([
      '_SUCCESS',
      'key=%2E%2E/part-00003-j.json',
      'key=%2E/part-00004-j.json',
      // null and '' share the default partition (and its open file), so this is file 7.
      'key=..%2F..%2Fescape/part-00007-j.json',
      'key=100%25/part-00002-j.json',
      'key=__HIVE_DEFAULT_PARTITION__/part-00006-j.json',
      'key=a%2Fb/part-00000-j.json',
      'key=k%3Dv/part-00001-j.json',
      'key=ünï/part-00005-j.json',
    ]);
    const read: RecordBatch[] = [];
    for await (const chunk of readPartitioned(root, jsonReader, {})) read.push(chunk.batch);
    const rows = rowsOf(read).sort((a, b) => (a.n as number) - (b.n as number));
    expect(rows).toEqual([
      { n: 0, key: 'a/b' },
      { n: 1, key: 'k=v' },
      { n: 2, key: '100%' },
      { n: 3, key: '..' },
      { n: 4, key: '.' },
      { n: 5, key: 'ünï' },
      { n: 6, key: null },
      { n: 7, key: null },
      { n: 8, key: '../../escape' },
    ]);
  });

  it('rolls files at maxRowsPerFile and reopens partitions past the open-file cap', async () => {
    const root = join(await tempDir(), 'capped');
    const batch = batchOf({ k: column(['x', 'y', 'x', 'z', 'x', 'x'], new Utf8()), v: column([1, 2, 3, 4, 5, 6], new Int32()) });
    await writePartitioned(streamOf(batch, batch), root, { partitionKeys: ['k'], format: 'csv', maxRowsPerFile: 3, maxOpenFiles: 2, jobRunId: 'r' });
    const files = await filesUnder(root);
    // Batch 1: x fills file 0 (3 rows) and starts file 1 (1 row), y opens 2, z evicts x's file 1 and opens 3.
    // Batch 2: x evicts y and fills file 4, then file 5 takes its last row.
    expect(files.filter((f) => f.startsWith('k=x/'))).toEqual(['k=x/part-00000-r.csv', 'k=x/part-00001-r.csv', 'k=x/part-00004-r.csv', 'k=x/part-00005-r.csv']);
    const rows = await duck(`select k, sum(v)::int s, count(*)::int n from read_csv('${root}/**/*.csv', hive_partitioning = true) group by k order by k`);
    expect(rows).toEqual([
      { k: 'x', s: 30, n: 8 },
      { k: 'y', s: 4, n: 2 },
      { k: 'z', s: 8, n: 2 },
    ]);
  });

  it('leaves no visible file when the input fails mid-write', async () => {
    const root = join(await tempDir(), 'failed');
    async function* failing() {
      yield sales();
      throw new Error('upstream broke');
    }
    await expect(writePartitioned(failing(), root, { partitionKeys: ['year'], format: 'parquet' })).rejects.toThrow('upstream broke');
    expect(await filesUnder(root)).toEqual([]);
    expect(existsSync(join(root, '_temporary')) || existsSync(stagingRootOf(root))).toBe(false);
  });

  it('unstaged: writes straight under the root with no staging, lock or _SUCCESS, and removes its files on failure', async () => {
    const parent = await tempDir();
    const root = join(parent, 'split-00000');
    const result = await writePartitioned(streamOf(sales()), root, { partitionKeys: ['year'], format: 'parquet', jobRunId: 's', unstaged: true });
    const written = ['year=2023/part-00001-s.parquet', 'year=2024/part-00000-s.parquet', 'year=__HIVE_DEFAULT_PARTITION__/part-00002-s.parquet'];
    expect(await filesUnder(root)).toEqual(written);
    expect(result.files.map((file) => file.slice(root.length + 1)).sort()).toEqual(written);
    expect(await filesUnder(parent)).toEqual(written.map((file) => `split-00000/${file}`)); // nothing beside the root either
    expect(await duck(`select month, amount, item from '${join(root, 'year=2024/part-00000-s.parquet')}' order by item`)).toEqual([
      { month: 5, amount: 1.5, item: 'a' },
      { month: 12, amount: 2, item: 'b' },
      { month: 5, amount: null, item: 'd' },
    ]);

    const failedRoot = join(parent, 'split-00001');
    async function* failing() {
      yield sales();
      throw new Error('upstream broke');
    }
    await expect(writePartitioned(failing(), failedRoot, { partitionKeys: ['year'], format: 'parquet', unstaged: true })).rejects.toThrow('upstream broke');
    expect(await filesUnder(failedRoot)).toEqual([]);
  });

  it('writeFiles writes unpartitioned part files with the same commit', async () => {
    const root = join(await tempDir(), 'flat');
    const result = await writeFiles(streamOf(sales()), root, { format: 'parquet', maxRowsPerFile: 2, jobRunId: 'f' });
    expect(await filesUnder(root)).toEqual(['_SUCCESS', 'part-00000-f.parquet', 'part-00001-f.parquet', 'part-00002-f.parquet']);
    expect(result.files.length).toBe(3);
    await expect(writeFiles(streamOf(sales()), root, { format: 'parquet' })).rejects.toThrow('already holds data');
    await writeFiles(streamOf(sales()), root, { format: 'csv', mode: 'overwrite', jobRunId: 'g' });
    expect(await filesUnder(root)).toEqual(['_SUCCESS', 'part-00000-g.csv']);
  });
});

describe('discovery and listing', () => {
  it('restores typed partition columns from a parquet folder', async () => {
    const root = join(await tempDir(), 'sales');
    await writePartitioned(streamOf(sales()), root, { partitionKeys: ['year', 'month'], format: 'parquet' });
    const { partitionSchema, files } = await discoverPartitions(root);
    expect(partitionSchema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(['year: Int32', 'month: Int32']);
    expect(files.map((f) => f.values)).toEqual([['2023', '5'], ['2024', '12'], ['2024', '5'], [null, '1']]);
    const read: RecordBatch[] = [];
    for await (const chunk of readPartitioned(root, parquetReader, {})) read.push(chunk.batch);
    expect(read[0].schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(['amount: Float64', 'item: Utf8', 'year: Int32', 'month: Int32']);
    expect(rowsOf(read).sort((a, b) => String(a.item).localeCompare(String(b.item)))).toEqual(rowsOf([sales()]).map(({ year, month, amount, item }) => ({ amount, item, year, month })));
  });

  it('lists files, folders (skipping _ and . files) and globs, sorted, and names a path with nothing', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'b/_temporary'), { recursive: true });
    for (const file of ['b/2.json', 'a.json', 'b/1.csv', '_SUCCESS', '.hidden', 'b/_temporary/x.json']) await writeFile(join(dir, file), '');
    expect(await listInputs(dir)).toEqual([join(dir, 'a.json'), join(dir, 'b/1.csv'), join(dir, 'b/2.json')]);
    expect(await listInputs(join(dir, '**/*.json'))).toEqual([join(dir, 'a.json'), join(dir, 'b/2.json')]);
    expect(await listInputs(join(dir, 'a.json'))).toEqual([join(dir, 'a.json')]);
    await expect(listInputs(join(dir, 'nope/*.csv'))).rejects.toThrow(`No input files at ${join(dir, 'nope/*.csv')}`);
  });
});
