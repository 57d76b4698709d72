import { join } from 'node:path';
import { Bool, DateDay, Dictionary, Field, Float64, Int32, Int64, List, Struct, TimestampMicrosecond, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parquetReader, parquetRowGroups } from '../../src/io/formats/parquet/parquetReader.js';
import { parquetWriter } from '../../src/io/formats/parquet/parquetWriter.js';
import { batchOf, column, rawColumn, decimalColumn, rowsOf, streamOf } from './helpers.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const ms = Date.UTC(2024, 4, 17, 8, 30, 15, 123);

/** Three rows of every logical type sluice uses, with nulls. */
function everyType(): RecordBatch {
  return batchOf({
    i32: column([1, null, -2147483648], new Int32()),
    i64: column([9007199254740993n, null, -5n], new Int64()),
    f64: column([1.5, null, -0.25], new Float64()),
    flag: column([true, false, null], new Bool()),
    name: column(['ünïcode', null, ''], new Utf8()),
    status: column(['open', 'closed', 'open'], new Dictionary(new Utf8(), new Int32())),
    day: column([day('2024-05-17'), null, day('1969-12-31')], new DateDay()),
    ts_ms: column([ms, null, 0], new TimestampMillisecond('UTC')),
    ts_us: rawColumn([BigInt(ms) * 1000n + 456n, null, -1n], new TimestampMicrosecond('UTC')),
    price: decimalColumn([12345n, null, -1n], 10, 2),
    address: column(
      [{ city: 'Lyon', zip: 69001 }, null, { city: null, zip: 1 }],
      new Struct([new Field('city', new Utf8(), true), new Field('zip', new Int32(), true)]),
    ),
    tags: column([['a', 'b'], [], null], new List(new Field('item', new Utf8(), true))),
  });
}

async function readAll(path: string, columns?: string[], batchSize?: number, rowGroups?: number[]) {
  const schema = await parquetReader.inferSchema(path, {});
  const batches: RecordBatch[] = [];
  for await (const chunk of parquetReader.read(path, { rowGroups }, { schema, columns, batchSize })) batches.push(chunk.batch);
  return batches;
}

describe('parquet writer and reader', () => {
  it('round-trips every type exactly', async () => {
    const path = join(await tempDir(), 'every.parquet');
    const batch = everyType();
    const result = await parquetWriter.write(streamOf(batch), path, {});
    expect(result.rows).toBe(3);
    expect(result.files).toEqual([path]);
    const schema = await parquetReader.inferSchema(path, {});
    expect(schema.fields.map((f) => `${f.name}: ${String(f.type)}`)).toEqual(batch.schema.fields.map((f) => `${f.name}: ${String(f.type)}`));
    expect(rowsOf(await readAll(path))).toEqual(rowsOf([batch]));
  });

  it('writes files DuckDB reads with the same values and types', async () => {
    const path = join(await tempDir(), 'every.parquet');
    await parquetWriter.write(streamOf(everyType()), path, {});
    const types = await duck(`select column_name, column_type from (describe select * from read_parquet('${path}'))`);
    expect(Object.fromEntries(types.map((row) => [row.column_name, row.column_type]))).toEqual({
      i32: 'INTEGER',
      i64: 'BIGINT',
      f64: 'DOUBLE',
      flag: 'BOOLEAN',
      name: 'VARCHAR',
      status: 'VARCHAR',
      day: 'DATE',
      ts_ms: 'TIMESTAMP WITH TIME ZONE',
      ts_us: 'TIMESTAMP WITH TIME ZONE',
      price: 'DECIMAL(10,2)',
      address: 'STRUCT(city VARCHAR, zip INTEGER)',
      tags: 'VARCHAR[]',
    });
    const rows = await duck(
      `select i32, i64::varchar as i64, f64, flag, name, status, day::varchar as "day", epoch_ms(ts_ms) as ts_ms, epoch_us(ts_us) as ts_us,
        price::varchar as price, address, tags from read_parquet('${path}')`,
    );
    expect(rows).toEqual([
      { i32: 1, i64: '9007199254740993', f64: 1.5, flag: true, name: 'ünïcode', status: 'open', day: '2024-05-17', ts_ms: String(ms), ts_us: String(ms * 1000 + 456), price: '123.45', address: { city: 'Lyon', zip: 69001 }, tags: ['a', 'b'] },
      { i32: null, i64: null, f64: null, flag: false, name: null, status: 'closed', day: null, ts_ms: null, ts_us: null, price: null, address: null, tags: [] },
      { i32: -2147483648, i64: '-5', f64: -0.25, flag: null, name: '', status: 'open', day: '1969-12-31', ts_ms: '0', ts_us: '-1', price: '-0.01', address: { city: null, zip: 1 }, tags: null },
    ]);
  });

  it('projects: reads only the asked columns, in schema order', async () => {
    const path = join(await tempDir(), 'every.parquet');
    await parquetWriter.write(streamOf(everyType()), path, {});
    const batches = await readAll(path, ['tags', 'i32', 'address']);
    expect(batches[0].schema.names).toEqual(['i32', 'address', 'tags']);
    expect(rowsOf(batches)).toEqual([
      { i32: 1, address: { city: 'Lyon', zip: 69001 }, tags: ['a', 'b'] },
      { i32: null, address: null, tags: [] },
      { i32: -2147483648, address: { city: null, zip: 1 }, tags: null },
    ]);
  });

  it('streams several row groups and reads chosen ones', async () => {
    const path = join(await tempDir(), 'groups.parquet');
    const ids = (from: number, n: number) => column(Array.from({ length: n }, (_, i) => from + i), new Int32());
    const batches = [batchOf({ id: ids(0, 700) }), batchOf({ id: ids(700, 700) }), batchOf({ id: ids(1400, 100) })];
    await parquetWriter.write(streamOf(...batches), path, { rowGroupSize: 500 });
    const groups = await parquetRowGroups(path);
    expect(groups.map((g) => [g.index, g.rows])).toEqual([[0, 500], [1, 500], [2, 500]]);
    expect(groups.every((g) => g.compressedBytes > 0)).toBe(true);

    const read = await readAll(path, undefined, 200);
    expect(read.map((b) => b.numRows)).toEqual([200, 200, 100, 200, 200, 100, 200, 200, 100]);
    const all = read.flatMap((b) => Array.from(b.getChild('id')!.toArray() as Int32Array));
    expect(all).toEqual(Array.from({ length: 1500 }, (_, i) => i));

    const second = await readAll(path, undefined, 1000, [1]);
    expect(Array.from(second[0].getChild('id')!.toArray() as Int32Array)).toEqual(Array.from({ length: 500 }, (_, i) => 500 + i));
    expect((await duck(`select count(*)::int n, sum(id)::int s from read_parquet('${path}')`))[0]).toEqual({ n: 1500, s: 1124250 });
  });

  it.each(['snappy', 'zstd', 'gzip', 'none'] as const)('writes %s compression that DuckDB sees', async (compression) => {
    const path = join(await tempDir(), `${compression}.parquet`);
    await parquetWriter.write(streamOf(everyType()), path, { compression });
    const codecs = await duck(`select distinct compression from parquet_metadata('${path}')`);
    expect(codecs).toEqual([{ compression: { snappy: 'SNAPPY', zstd: 'ZSTD', gzip: 'GZIP', none: 'UNCOMPRESSED' }[compression] }]);
    expect(rowsOf(await readAll(path))).toEqual(rowsOf([everyType()]));
  });

  it('fills a column the file lacks with nulls, and rejects a type clash naming file and column', async () => {
    const path = join(await tempDir(), 'small.parquet');
    await parquetWriter.write(streamOf(batchOf({ a: column([1, 2], new Int32()) })), path, {});
    const wider = batchOf({ a: column([], new Int32()), b: column([], new Utf8()) }).schema;
    const batches: RecordBatch[] = [];
    for await (const chunk of parquetReader.read(path, {}, { schema: wider })) batches.push(chunk.batch);
    expect(rowsOf(batches)).toEqual([{ a: 1, b: null }, { a: 2, b: null }]);

    const clash = batchOf({ a: column([], new Utf8()) }).schema;
    const reading = async () => {
      for await (const _ of parquetReader.read(path, {}, { schema: clash })) void _;
    };
    await expect(reading()).rejects.toThrow(`Column a of ${path} is Int32 but the schema says Utf8`);
  });

  it('removes the file when the input fails mid-write', async () => {
    const dir = await tempDir();
    const path = join(dir, 'broken.parquet');
    async function* failing() {
      yield everyType();
      throw new Error('source went away');
    }
    await expect(parquetWriter.write(failing(), path, {})).rejects.toThrow('source went away');
    const { existsSync } = await import('node:fs');
    expect(existsSync(path)).toBe(false);
  });
});
