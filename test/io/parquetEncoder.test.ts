import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Binary, Bool, DateDay, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, RecordBatch, Schema, Struct,
  TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, Type, Uint16, Uint32, Uint64, Uint8, Utf8, makeData,
} from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { canEncode } from '../../src/io/formats/parquet/encode/index.js';
import { parquetReader } from '../../src/io/formats/parquet/parquetReader.js';
import { parquetWriter } from '../../src/io/formats/parquet/parquetWriter.js';
import type { ParquetCompression } from '../../src/io/formats/parquet/parquetWriter.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { column, decimalColumn, random, rawColumn, rowsOf, streamOf, type Random } from './helpers.js';

/**
 * Differential tests of the built-in Parquet encoder: seeded-random tables go through it and
 * through parquet-wasm (arrow-rs, the reference); parquet-wasm must read ours back exactly, and
 * DuckDB must see the same types, values and statistics in both files.
 */

const WORDS = ['', 'a', 'Lyon', 'ünïcode', '日本語', 'emoji 🚀✨', 'x'.repeat(40), 'naïve café', 'Ωmega', 'tab\tnew\nline'];

/** Values of a column: `nullRate` 1 makes an all-null column; `distinct` small makes it dictionary-friendly. */
interface Spec {
  name: string;
  type: () => DataType;
  make: (r: Random, n: number, nullRate: number, distinct: number) => Vector;
}

const maybe = <T>(r: Random, nullRate: number, value: () => T): T | null => (r.next() < nullRate ? null : value());
const pool = <T>(r: Random, distinct: number, value: () => T): (() => T) => {
  const values = Array.from({ length: distinct }, value);
  return () => r.pick(values);
};
const ints = (type: () => DataType, lo: number, hi: number): Spec => ({
  name: String(type()),
  type,
  make: (r, n, nulls, distinct) => {
    const value = pool(r, distinct, () => r.int(lo, hi));
    return column(Array.from({ length: n }, () => maybe(r, nulls, value)), type());
  },
});
const bigs = (type: () => DataType, bits: number, unsigned = false): Spec => ({
  name: String(type()),
  type,
  make: (r, n, nulls, distinct) => {
    const value = pool(r, distinct, () => (unsigned ? BigInt.asUintN(bits, r.big(bits)) : r.big(bits)));
    return column(Array.from({ length: n }, () => maybe(r, nulls, value)), type());
  },
});
const raw = (type: () => DataType): Spec => ({
  name: String(type()),
  type,
  make: (r, n, nulls, distinct) => {
    // Within 2^52, as Arrow JS's row values (numbers) must be exact for the comparison.
    const value = pool(r, distinct, () => r.big(64) % (1n << 52n));
    return rawColumn(Array.from({ length: n }, () => maybe(r, nulls, value)), type());
  },
});
const decimal = (precision: number, scale: number): Spec => ({
  name: `decimal(${precision},${scale})`,
  type: () => decimalColumn([], precision, scale).type,
  make: (r, n, nulls, distinct) => {
    const limit = 10n ** BigInt(precision);
    const value = pool(r, distinct, () => r.big(128) % limit);
    return decimalColumn(Array.from({ length: n }, () => maybe(r, nulls, value)), precision, scale);
  },
});
const strings = (type: () => DataType, most = Infinity): Spec => ({
  name: String(type()),
  type,
  make: (r, n, nulls, distinct) => {
    const value = pool(r, Math.min(distinct, most), () => r.pick(WORDS) + (r.next() < 0.5 ? String(r.int(0, 1e6)) : ''));
    return column(Array.from({ length: n }, () => maybe(r, nulls, value)), type());
  },
});

export const SPECS: Spec[] = [
  ints(() => new Int8(), -128, 127),
  ints(() => new Int16(), -32768, 32767),
  ints(() => new Int32(), -2147483648, 2147483647),
  ints(() => new Uint8(), 0, 255),
  ints(() => new Uint16(), 0, 65535),
  ints(() => new Uint32(), 0, 4294967295),
  bigs(() => new Int64(), 64),
  bigs(() => new Uint64(), 64, true),
  {
    name: 'Float32',
    type: () => new Float32(),
    make: (r, n, nulls, distinct) => {
      const value = pool(r, distinct, () => Math.fround((r.next() - 0.5) * 10 ** r.int(-3, 6)));
      return column(Array.from({ length: n }, () => maybe(r, nulls, value)), new Float32());
    },
  },
  {
    name: 'Float64',
    type: () => new Float64(),
    make: (r, n, nulls, distinct) => {
      const value = pool(r, distinct, () => (r.next() < 0.05 ? r.pick([0, -0, Infinity, -Infinity]) : (r.next() - 0.5) * 10 ** r.int(-5, 12)));
      return column(Array.from({ length: n }, () => maybe(r, nulls, value)), new Float64());
    },
  },
  {
    name: 'Bool',
    type: () => new Bool(),
    make: (r, n, nulls) => column(Array.from({ length: n }, () => maybe(r, nulls, () => r.next() < 0.5)), new Bool()),
  },
  strings(() => new Utf8()),
  strings(() => new Dictionary(new Utf8(), new Int32())),
  {
    name: 'Binary',
    type: () => new Binary(),
    make: (r, n, nulls, distinct) => {
      const value = pool(r, distinct, () => Uint8Array.from({ length: r.int(0, 12) }, () => r.int(0, 255)));
      return column(Array.from({ length: n }, () => maybe(r, nulls, value)), new Binary());
    },
  },
  {
    name: 'Date32',
    type: () => new DateDay(),
    make: (r, n, nulls, distinct) => {
      const value = pool(r, distinct, () => new Date(r.int(-30000, 30000) * 86_400_000));
      return column(Array.from({ length: n }, () => maybe(r, nulls, value)), new DateDay());
    },
  },
  raw(() => new TimestampMillisecond('UTC')),
  raw(() => new TimestampMillisecond()),
  raw(() => new TimestampMicrosecond('UTC')),
  raw(() => new TimestampMicrosecond()),
  raw(() => new TimestampNanosecond('Europe/Paris')),
  decimal(9, 2),
  decimal(18, 4),
  decimal(38, 10),
  decimal(20, 0),
];

/** A batch of the given columns; `nullable` false fields get no nulls. */
function batchOfColumns(fields: Field[], vectors: Vector[]): RecordBatch {
  const length = vectors[0]?.length ?? 0;
  const children = vectors.map((v) => v.data[0]);
  return new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length, nullCount: 0, children }));
}

interface Table {
  schema: Schema;
  batches: RecordBatch[];
}

/** A random table: batches of random sizes (empty ones too), some of them slices at odd offsets. */
function randomTable(r: Random, specs: Spec[], rows: number): Table {
  const columns = specs.map((spec, k) => {
    const nullable = r.next() < 0.8;
    const nullRate = !nullable ? 0 : r.pick([0, 0.05, 0.3, 0.9, 1]);
    const distinct = r.pick([1, 3, 50, 5000]);
    return { field: new Field(`c${k}_${spec.name.replace(/\W+/g, '_')}`, spec.type(), nullable), spec, nullRate, distinct };
  });
  const fields = [new Field('row', new Int32(), false), ...columns.map((c) => c.field)];
  const schema = new Schema(fields);
  const batches: RecordBatch[] = [];
  let row = 0;
  while (row < rows || batches.length === 0) {
    const n = r.next() < 0.1 ? 0 : Math.min(rows - row, r.int(1, 2500));
    const pad = r.next() < 0.3 ? r.int(1, 13) : 0; // built larger, then sliced: Arrow offsets not multiples of 8
    const total = n + pad * 2;
    const ids = column(Array.from({ length: total }, (_, i) => row + i - pad), new Int32());
    const vectors = [ids, ...columns.map((c) => c.spec.make(r, total, c.nullRate, c.distinct))];
    let batch = batchOfColumns(fields, vectors);
    if (pad) batch = batch.slice(pad, pad + n);
    batches.push(batch);
    row += n;
    if (rows === 0) break;
  }
  return { schema, batches };
}

const wasmOnly = async <T>(run: () => Promise<T>): Promise<T> => {
  process.env.SLUICE_PARQUET_ENCODER = 'wasm';
  try {
    return await run();
  } finally {
    delete process.env.SLUICE_PARQUET_ENCODER;
  }
};

async function readBack(path: string) {
  const schema = await parquetReader.inferSchema(path, {});
  const batches: RecordBatch[] = [];
  for await (const chunk of parquetReader.read(path, {}, { schema })) batches.push(chunk.batch);
  return { schema, batches };
}

/** Value by value, column by column: for tables too large for row objects. */
function sameValues(a: RecordBatch[], b: RecordBatch[]): boolean {
  const columns = (batches: RecordBatch[], k: number) => batches.flatMap((batch) => (batch.numRows ? [batch.getChildAt(k)!] : []));
  for (let k = 0; k < a[0].numCols; k++) {
    const x = columns(a, k);
    const y = columns(b, k);
    const xs = x.flatMap((v) => [...v] as unknown[]);
    const ys = y.flatMap((v) => [...v] as unknown[]);
    if (xs.length !== ys.length) return false;
    for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i] && String(xs[i]) !== String(ys[i])) return false;
  }
  return true;
}

const describeFields = (schema: Schema) => schema.fields.map((f) => `${f.name}: ${String(f.type)}${f.nullable ? '' : ' not null'}`);

async function createdBy(path: string) {
  return (await duck(`select created_by from parquet_file_metadata('${path}')`))[0].created_by;
}

/** Writes the table with both encoders and checks every reader sees in ours what was written. */
async function differential(table: Table, options: { compression?: ParquetCompression; rowGroupSize?: number }, label: string, large = false) {
  const dir = await tempDir('sluice-pq-enc-');
  const ours = join(dir, 'ours.parquet');
  const theirs = join(dir, 'theirs.parquet');
  const written = await parquetWriter.write(streamOf(...table.batches), ours, { ...options, schema: table.schema });
  const names = (table.schema.names as string[]).filter((name) => name !== 'row');
  await wasmOnly(() => parquetWriter.write(streamOf(...table.batches), theirs, { ...options, schema: table.schema }));
  const rows = table.batches.reduce((n, b) => n + b.numRows, 0);
  expect(written.rows, label).toBe(rows);
  expect(await createdBy(ours), label).toBe('sluice encoder');

  // parquet-wasm reads back exactly what was written: types (from ARROW:schema) and values.
  const back = await readBack(ours);
  expect(describeFields(back.schema), label).toEqual(describeFields(table.schema));
  if (large) expect(sameValues(back.batches, table.batches), label).toBe(true);
  else expect(rowsOf(back.batches), label).toEqual(rowsOf(table.batches));

  // DuckDB reads our strings (dictionary ones included) as the source has them, independently of arrow-rs.
  const texts = table.schema.fields.filter((f) => f.type.typeId === Type.Utf8 || f.type.typeId === Type.Dictionary).map((f) => f.name);
  if (texts.length && rows > 0 && !large) {
    const duckRows = await duck(`select ${texts.map((n) => `"${n}"`).join(', ')} from read_parquet('${ours}') order by row`);
    const source = rowsOf(table.batches).sort((x, y) => (x.row as number) - (y.row as number));
    expect(duckRows, label).toEqual(source.map((row) => Object.fromEntries(texts.map((n) => [n, row[n]]))));
  }

  // DuckDB: the same types, rows (in order: `row` is in them) and statistics as arrow-rs's file.
  const selected = ['row', ...names].map((name) => `"${name}"`).join(', ');
  const describeOf = (path: string) => duck(`select column_name, column_type from (describe select ${selected} from read_parquet('${path}'))`);
  expect(await describeOf(ours), label).toEqual(await describeOf(theirs));
  // Joined on `row`, each column compared: the mismatch counts name the columns that differ.
  const compared = names.map((name) => `count(*) filter (where a."${name}" is distinct from b."${name}")::int as "${name}"`);
  const [diff] = await duck(
    `select count(*)::int as "rows", count(b.row)::int as joined${compared.map((c) => `, ${c}`).join('')}
     from read_parquet('${ours}') a left join read_parquet('${theirs}') b using (row)`,
  );
  expect(diff, label).toEqual({ rows, joined: rows, ...Object.fromEntries(names.map((name) => [name, 0])) });
  const statsOf = (path: string) =>
    duck(`select row_group_id, path_in_schema, row_group_num_rows, stats_min_value, stats_max_value, stats_null_count, compression
          from parquet_metadata('${path}') where path_in_schema in (${['row', ...names].map((n) => `'${n}'`).join(', ')})
          order by row_group_id, column_id`);
  expect(await statsOf(ours), label).toEqual(await statsOf(theirs));
  return { ours, theirs };
}

const CODECS: ParquetCompression[] = ['snappy', 'zstd', 'gzip', 'none'];

describe('built-in Parquet encoder', () => {
  afterEach(() => {
    delete process.env.SLUICE_PARQUET_ENCODER;
  });

  it.each(CODECS)('writes every covered type (%s) as arrow-rs does, read back exactly by parquet-wasm and DuckDB', async (compression) => {
    const r = random(CODECS.indexOf(compression) + 1);
    const table = randomTable(r, SPECS, 6000);
    expect(canEncode(table.schema)).toBe(true);
    await differential(table, { compression, rowGroupSize: 2500 }, `every type, ${compression}`);
  });

  it('writes all-null columns, empty strings, empty batches and a file of no rows', async () => {
    const fields = [new Field('row', new Int32(), false), new Field('s', new Utf8(), true), new Field('n', new Float64(), true)];
    const empty = batchOfColumns(fields, [column([], new Int32()), column([], new Utf8()), column([], new Float64())]);
    const some = batchOfColumns(fields, [column([0, 1, 2], new Int32()), column(['', null, ''], new Utf8()), column([null, null, null], new Float64())]);
    await differential({ schema: some.schema, batches: [empty, some, empty] }, {}, 'nulls and empties');
    const { ours } = await differential({ schema: empty.schema, batches: [empty] }, {}, 'no rows');
    expect(await duck(`select count(*)::int as n from parquet_metadata('${ours}')`)).toEqual([{ n: 0 }]);
  });

  it('pages, falls back from dictionary to PLAIN past the limit, and keeps dictionaries for few values', async () => {
    const r = random(99);
    const n = 300_000;
    const ids = column(Array.from({ length: n }, (_, i) => i), new Int32());
    const unique = column(Array.from({ length: n }, (_, i) => `${r.pick(WORDS)}-${i}`), new Utf8());
    const few = column(Array.from({ length: n }, () => (r.next() < 0.1 ? null : r.pick(WORDS))), new Utf8());
    const fields = [new Field('row', new Int32(), false), new Field('unique', new Utf8(), true), new Field('few', new Utf8(), true)];
    const batch = batchOfColumns(fields, [ids, unique, few]);
    const { ours } = await differential({ schema: batch.schema, batches: [batch] }, { compression: 'snappy' }, 'paging', true);
    const encodings = await duck(`select path_in_schema as c, encodings as e from parquet_metadata('${ours}') order by column_id`);
    expect(encodings).toEqual([
      { c: 'row', e: 'PLAIN, RLE' },
      { c: 'unique', e: 'PLAIN, RLE' },
      { c: 'few', e: 'PLAIN, RLE, RLE_DICTIONARY' },
    ]);
  });

  it('keeps the options: compression and rowGroupSize; rejects an unknown codec', async () => {
    const fields = [new Field('row', new Int32(), false)];
    const batch = batchOfColumns(fields, [column(Array.from({ length: 1234 }, (_, i) => i), new Int32())]);
    const path = join(await tempDir(), 'groups.parquet');
    await parquetWriter.write(streamOf(batch), path, { rowGroupSize: 500, compression: 'zstd' });
    expect(await duck(`select row_group_num_rows::int as n, compression from parquet_metadata('${path}')`)).toEqual([
      { n: 500, compression: 'ZSTD' },
      { n: 500, compression: 'ZSTD' },
      { n: 234, compression: 'ZSTD' },
    ]);
    await expect(parquetWriter.write(streamOf(batch), path, { compression: 'lz4' as never })).rejects.toThrow(
      "Unknown Parquet compression 'lz4': use snappy, zstd, gzip or none",
    );
    await expect(parquetWriter.write(streamOf(batch), path, { rowGroupSize: 0 })).rejects.toThrow('rowGroupSize must be a positive integer, got 0');
  });

  it('leaves nested schemas to parquet-wasm, unnoticed', async () => {
    // Dictionaries of 8/16-bit indices too: arrow-rs panics reading a Parquet dictionary larger than the index type holds.
    expect(canEncode(new Schema([new Field('d', new Dictionary(new Utf8(), new Int8()), true)]))).toBe(false);
    const nested = new Schema([new Field('tags', new List(new Field('item', new Utf8(), true)), true)]);
    expect(canEncode(nested)).toBe(false);
    const path = join(await tempDir(), 'nested.parquet');
    const tags = column([['a'], null, []], nested.fields[0].type);
    await parquetWriter.write(streamOf(batchOfColumns(nested.fields, [tags])), path, {});
    expect(await createdBy(path)).toBe('sluice');
    expect(rowsOf((await readBack(path)).batches)).toEqual([{ tags: ['a'] }, { tags: null }, { tags: [] }]);
  });

  it('removes the file when the input fails mid-write', async () => {
    const path = join(await tempDir(), 'broken.parquet');
    const fields = [new Field('row', new Int32(), false)];
    async function* failing() {
      yield batchOfColumns(fields, [column([1, 2, 3], new Int32())]);
      throw new Error('source went away');
    }
    await expect(parquetWriter.write(failing(), path, { rowGroupSize: 2 })).rejects.toThrow('source went away');
    expect(existsSync(path)).toBe(false);
    const nowhere = join(path, 'no-such-folder', 'x.parquet');
    await expect(parquetWriter.write(failing(), nowhere, {})).rejects.toThrow(`Writing Parquet file ${nowhere} failed: ENOENT`);
  });

  // Fuzz: random schemas (subsets of the covered types, nullable or not), sizes, batchings,
  // row-group sizes and codecs; the seed is in each failure's label.
  const FUZZ_RUNS = 24;
  it(`fuzz: ${FUZZ_RUNS} random schemas agree with arrow-rs, parquet-wasm and DuckDB`, async () => {
    for (let seed = 1000; seed < 1000 + FUZZ_RUNS; seed++) {
      const r = random(seed);
      const specs = Array.from({ length: r.int(1, 7) }, () => r.pick(SPECS));
      const rows = r.pick([0, 1, 7, 8, 9, 100, 1000, 4000]);
      const table = randomTable(r, specs, rows);
      const options = { compression: r.pick(CODECS), rowGroupSize: r.pick([undefined, 1, 8, 333, 1024]) };
      if (options.rowGroupSize === 1 && rows > 100) options.rowGroupSize = 64;
      await differential(table, options, `seed ${seed}: ${specs.map((s) => s.name).join(', ')}, ${rows} rows, ${JSON.stringify(options)}`);
    }
  }, 600_000);
});
