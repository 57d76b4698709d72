import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Binary, Bool, DateDay, Dictionary, Field, Float16, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Struct, Table,
  TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, Type, Uint16, Uint32, Uint64, Uint8, Utf8, makeData, tableToIPC,
} from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { PageType, readPageHeader } from '../../../src/io/formats/parquet/decode/pageHeader.js';
import { readParquetFooter } from '../../../src/io/formats/parquet/parquetFooter.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import type { ParquetCompression } from '../../../src/io/formats/parquet/parquetWriter.js';
import { loadParquetWasm } from '../../../src/io/formats/parquet/wasm.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { writeInt96Parquet } from '../../support/int96Parquet.js';
import { column, decimalColumn, random, rawColumn, rowsOf, streamOf, type Random } from '../helpers.js';
import { openAsBlob } from 'node:fs';
import { decodesItself, readAll, sameBothWays, withDecoder, type ReadShape } from './bothWays.js';

/**
 * Differential tests of sluice's own flat Parquet decoder (decode/): files written by sluice's
 * encoder, by parquet-wasm (arrow-rs) and by DuckDB, read through the decoder and through
 * parquet-wasm (SLUICE_PARQUET_DECODER=wasm): the same schema (types, nullability, metadata) and
 * the same rows, whatever the batch size or the columns asked for.
 */

const WORDS = ['', 'a', 'Lyon', 'ünïcode', '日本語', 'emoji 🚀✨', 'x'.repeat(40), 'naïve café'];

interface Spec {
  name: string;
  make: (r: Random, n: number, nullRate: number, distinct: number) => Vector;
}
const maybe = <T>(r: Random, nullRate: number, value: () => T): T | null => (r.next() < nullRate ? null : value());
const pool = <T>(r: Random, distinct: number, value: () => T): (() => T) => {
  const values = Array.from({ length: distinct }, value);
  return () => r.pick(values);
};
const values = (type: () => DataType, value: (r: Random) => unknown): Spec => ({
  name: String(type()),
  make: (r, n, nulls, distinct) => {
    const next = pool(r, distinct, () => value(r));
    return column(Array.from({ length: n }, () => maybe(r, nulls, next)), type());
  },
});
const raw = (type: () => DataType, bits = 52): Spec => ({
  name: String(type()),
  make: (r, n, nulls, distinct) => {
    const next = pool(r, distinct, () => r.big(64) % (1n << BigInt(bits)));
    return rawColumn(Array.from({ length: n }, () => maybe(r, nulls, next)), type());
  },
});
const decimal = (precision: number, scale: number): Spec => ({
  name: `decimal(${precision},${scale})`,
  make: (r, n, nulls, distinct) => {
    const limit = 10n ** BigInt(precision);
    const next = pool(r, distinct, () => r.big(128) % limit);
    return decimalColumn(Array.from({ length: n }, () => maybe(r, nulls, next)), precision, scale);
  },
});

const SPECS: Spec[] = [
  values(() => new Int8(), (r) => r.int(-128, 127)),
  values(() => new Int16(), (r) => r.int(-32768, 32767)),
  values(() => new Int32(), (r) => r.int(-2147483648, 2147483647)),
  values(() => new Uint8(), (r) => r.int(0, 255)),
  values(() => new Uint16(), (r) => r.int(0, 65535)),
  values(() => new Uint32(), (r) => r.int(0, 4294967295)),
  values(() => new Int64(), (r) => r.big(64)),
  values(() => new Uint64(), (r) => BigInt.asUintN(64, r.big(64))),
  values(() => new Float32(), (r) => Math.fround((r.next() - 0.5) * 10 ** r.int(-3, 6))),
  values(() => new Float64(), (r) => (r.next() < 0.05 ? r.pick([0, -0, Infinity, -Infinity, NaN]) : (r.next() - 0.5) * 10 ** r.int(-5, 12))),
  values(() => new Bool(), (r) => r.next() < 0.5),
  values(() => new Utf8(), (r) => r.pick(WORDS) + (r.next() < 0.5 ? String(r.int(0, 1e6)) : '')),
  values(() => new Dictionary(new Utf8(), new Int32()), (r) => r.pick(WORDS)),
  values(() => new Binary(), (r) => Uint8Array.from({ length: r.int(0, 12) }, () => r.int(0, 255))),
  values(() => new DateDay(), (r) => new Date(r.int(-30000, 30000) * 86_400_000)),
  raw(() => new TimestampMillisecond('UTC')),
  raw(() => new TimestampMillisecond()),
  raw(() => new TimestampMicrosecond('UTC')),
  raw(() => new TimestampMicrosecond()),
  raw(() => new TimestampNanosecond('Europe/Paris'), 62),
  decimal(9, 2),
  decimal(18, 4),
  decimal(38, 10),
  decimal(20, 0),
];

/** A random table of the given columns: batches of random sizes, slices at odd offsets, nullable or not. */
function randomTable(r: Random, specs: Spec[], rows: number): { schema: Schema; batches: RecordBatch[] } {
  const columns = specs.map((spec, k) => {
    const nullable = r.next() < 0.8;
    return { spec, nullable, nullRate: nullable ? r.pick([0, 0.05, 0.3, 1]) : 0, distinct: r.pick([1, 3, 50, 5000]), name: `c${k}_${spec.name.replace(/\W+/g, '_')}` };
  });
  const batches: RecordBatch[] = [];
  let schema: Schema | undefined;
  for (let row = 0; row < rows || batches.length === 0; ) {
    const n = Math.min(rows - row, r.int(1, 3000));
    const pad = r.next() < 0.3 ? r.int(1, 13) : 0;
    const vectors = [column(Array.from({ length: n + 2 * pad }, (_, i) => row + i - pad), new Int32()), ...columns.map((c) => c.spec.make(r, n + 2 * pad, c.nullRate, c.distinct))];
    const fields = [new Field('row', new Int32(), false), ...columns.map((c, k) => new Field(c.name, vectors[k + 1].type, c.nullable))];
    schema ??= new Schema(fields);
    let batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n + 2 * pad, nullCount: 0, children: vectors.map((v) => v.data[0]) }));
    if (pad) batch = batch.slice(pad, pad + n);
    batches.push(batch);
    row += n;
    if (rows === 0) break;
  }
  return { schema: schema!, batches };
}

const CODECS: ParquetCompression[] = ['snappy', 'zstd', 'gzip', 'none'];

afterEach(() => {
  delete process.env.SLUICE_PARQUET_ENCODER;
  delete process.env.SLUICE_PARQUET_DECODER;
});

describe('own flat Parquet decoder, differential against parquet-wasm', () => {
  it.each(CODECS)('reads sluice-written and arrow-rs-written files of every type (%s) as parquet-wasm does', async (compression) => {
    const dir = await tempDir('sluice-pq-dec-');
    const r = random(CODECS.indexOf(compression) + 11);
    const table = randomTable(r, SPECS, 5000);
    for (const writer of ['sluice', 'wasm'] as const) {
      const path = join(dir, `${writer}.parquet`);
      if (writer === 'wasm') process.env.SLUICE_PARQUET_ENCODER = 'wasm';
      await parquetWriter.write(streamOf(...table.batches), path, { schema: table.schema, compression, rowGroupSize: 1800 });
      delete process.env.SLUICE_PARQUET_ENCODER;
      expect(await decodesItself(path), writer).toBe(true);
      const label = `${writer}, ${compression}`;
      const { batches } = await sameBothWays(path, label);
      expect(rowsOf(batches), label).toEqual(rowsOf(table.batches));
      await sameBothWays(path, `${label}, batches of 7`, { batchSize: 7 });
      const strings = table.schema.fields.filter((f) => f.type.typeId === Type.Utf8 || f.type.typeId === Type.Dictionary).map((f) => f.name);
      await sameBothWays(path, `${label}, some columns, strings as dictionaries, batches of 1000`, {
        batchSize: 1000, columns: ['row', ...table.schema.names.filter((_, k) => k % 3 === 1)] as string[], dictionary: strings,
      });
    }
  }, 120_000);

  it('reads a chunk whose dictionary gives up mid-chunk (dictionary pages, then PLAIN ones) as strings or as one dictionary type', async () => {
    const dir = await tempDir('sluice-pq-dec-');
    const path = join(dir, 'fallback.parquet');
    const n = 180_000;
    const fields = [new Field('row', new Int32(), false), new Field('s', new Utf8(), true)];
    const schema = new Schema(fields);
    // Repeating values first (the dictionary pays), then unique ones past its 1 MiB limit.
    const strings = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : i < 140_000 ? `v${i % 50}` : `a unique value ${i} ü`));
    const vectors = [column(Array.from({ length: n }, (_, i) => i), new Int32()), column(strings, new Utf8())];
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children: vectors.map((v) => v.data[0]) }));
    await parquetWriter.write(streamOf(batch), path, { schema, compression: 'snappy' });
    const [meta] = await duck(`SELECT encodings FROM parquet_metadata('${path}') WHERE path_in_schema = 's'`);
    expect(meta.encodings).toContain('RLE_DICTIONARY');
    expect(meta.encodings).toContain('PLAIN');
    expect(await decodesItself(path)).toBe(true);
    for (const shape of [{}, { dictionary: ['s'] }, { dictionary: ['s'], batchSize: 9999 }] as ReadShape[]) {
      for (const mode of ['auto', 'wasm'] as const) {
        const { batches } = await withDecoder(mode, () => readAll(path, shape));
        const types = new Set(batches.map((b) => String(b.schema.fields[1].type)));
        expect([...types], mode).toEqual([shape.dictionary ? 'Dictionary<Int32, Utf8>' : 'Utf8']);
        const values = batches.flatMap((b) => [...b.getChild('s')!] as unknown[]);
        expect(values.length, mode).toBe(n);
        expect(values.every((v, i) => v === strings[i]), `${mode} ${JSON.stringify(shape)}`).toBe(true);
      }
    }
  }, 120_000);

  const FUZZ_RUNS = 16;
  it(`fuzz: ${FUZZ_RUNS} random tables, sizes, row groups, batch sizes and codecs`, async () => {
    const dir = await tempDir('sluice-pq-dec-');
    for (let seed = 500; seed < 500 + FUZZ_RUNS; seed++) {
      const r = random(seed);
      const specs = Array.from({ length: r.int(1, 6) }, () => r.pick(SPECS));
      const rows = r.pick([0, 1, 7, 8, 9, 100, 1000, 4000]);
      const table = randomTable(r, specs, rows);
      const writer = r.pick(['sluice', 'wasm']);
      const options = { schema: table.schema, compression: r.pick(CODECS), rowGroupSize: r.pick([undefined, 1, 8, 333, 1024]) };
      if (options.rowGroupSize === 1 && rows > 100) options.rowGroupSize = 64;
      const path = join(dir, `fuzz-${seed}.parquet`);
      if (writer === 'wasm') process.env.SLUICE_PARQUET_ENCODER = 'wasm';
      await parquetWriter.write(streamOf(...table.batches), path, options);
      delete process.env.SLUICE_PARQUET_ENCODER;
      const label = `seed ${seed}: ${writer}, ${specs.map((s) => s.name).join(', ')}, ${rows} rows, ${JSON.stringify({ ...options, schema: undefined })}`;
      const batchSize = r.pick([undefined, 1, 3, 64, 1000]);
      const { batches } = await sameBothWays(path, label, { batchSize, dictionary: table.schema.fields.map((f) => f.name) });
      expect(rowsOf(batches), label).toEqual(rowsOf(table.batches));
    }
  }, 600_000);

  /** A DuckDB query of `rows` deterministic rows over every type DuckDB writes flat. */
  const duckRows = (rows: number) => `
    SELECT i::INT AS row,
      CASE WHEN hash(i, 1) % 5 = 0 THEN NULL ELSE (hash(i, 2) % 256)::INT - 128 END::TINYINT AS i8,
      ((hash(i, 3) % 65536)::INT - 32768)::SMALLINT AS i16,
      CASE WHEN hash(i, 4) % 3 = 0 THEN NULL ELSE (hash(i, 5) % 4294967296)::BIGINT - 2147483648 END::INTEGER AS i32,
      (hash(i, 6) % 9007199254740991)::BIGINT - 4503599627370495 AS i64,
      (hash(i, 7) % 256)::UTINYINT AS u8, (hash(i, 8) % 65536)::USMALLINT AS u16, (hash(i, 9) % 4294967296)::UINTEGER AS u32,
      hash(i, 10)::UBIGINT AS u64,
      ((hash(i, 11) % 100000)::DOUBLE / 7)::FLOAT AS f32,
      CASE WHEN hash(i, 12) % 7 = 0 THEN NULL ELSE (hash(i, 13) % 1000000)::DOUBLE / 3 END AS f64,
      CASE WHEN hash(i, 14) % 4 = 0 THEN NULL ELSE hash(i, 15) % 2 = 0 END AS flag,
      ['DE', 'FR', 'ünï', '日本', '', 'emoji 🚀'][(hash(i, 16) % 6)::INT + 1] AS country,
      CASE WHEN hash(i, 17) % 9 = 0 THEN NULL ELSE 'note ' || (hash(i, 18) % 1000000)::VARCHAR END AS note,
      ('\\x' || lpad(printf('%x', (hash(i, 19) % 65536)::INT), 4, '0'))::BLOB AS bytes,
      DATE '2000-01-01' + (hash(i, 20) % 20000)::INT AS day,
      TIMESTAMP '2020-01-01' + to_microseconds((hash(i, 21) % 100000000000)::BIGINT) AS ts,
      (TIMESTAMP '2020-01-01' + to_microseconds((hash(i, 22) % 100000000000)::BIGINT))::TIMESTAMPTZ AS tstz,
      (TIMESTAMP '2020-01-01' + to_microseconds((hash(i, 23) % 100000000000)::BIGINT))::TIMESTAMP_MS AS ts_ms,
      (TIMESTAMP '2020-01-01' + to_microseconds((hash(i, 24) % 100000000000)::BIGINT))::TIMESTAMP_NS AS ts_ns,
      ((hash(i, 25) % 20000)::INT - 10000)::DECIMAL(4, 0) / 1 AS dec4,
      ((hash(i, 26) % 2000000)::INT - 1000000)::DECIMAL(9, 2) / 100 AS dec9,
      ((hash(i, 27) % 2000000000000)::BIGINT - 1000000000000)::DECIMAL(18, 3) / 1000 AS dec18,
      ((hash(i, 28) % 2000000000000)::BIGINT - 1000000000000)::DECIMAL(38, 10) * 12345.678 AS dec38,
      CASE WHEN hash(i, 29) % 6 = 0 THEN NULL ELSE gen_random_uuid() END AS id,
      NULL::VARCHAR AS nothing
    FROM range(${rows}) t(i)`;

  it.each([
    ['uncompressed', 1000], ['snappy', 2048], ['gzip', 700], ['zstd', 100_000], ['brotli', 1500],
  ] as const)('reads DuckDB-written files of every flat type (%s) as parquet-wasm does', async (compression, rowGroupSize) => {
    const dir = await tempDir('sluice-pq-dec-');
    const path = join(dir, `duck-${compression}.parquet`);
    await duck(`COPY (${duckRows(5000)}) TO '${path}' (FORMAT parquet, COMPRESSION ${compression}, ROW_GROUP_SIZE ${rowGroupSize})`);
    expect(await decodesItself(path)).toBe(true);
    await sameBothWays(path, compression);
    await sameBothWays(path, `${compression}, batches of 333`, { batchSize: 333, columns: ['row', 'country', 'note', 'dec38', 'id', 'tstz'], dictionary: ['country', 'note'] });
    const count = await duck(`SELECT count(*)::INT AS n, count(DISTINCT country)::INT AS c FROM '${path}'`);
    expect(count).toEqual([{ n: 5000, c: 6 }]);
  }, 120_000);

  it('reads data pages v2 (arrow-rs writer version 2), DuckDB v2 files (DELTA_BINARY_PACKED, BYTE_STREAM_SPLIT) and LZ4 itself', async () => {
    const dir = await tempDir('sluice-pq-dec-');
    // arrow-rs writes data pages v2 (DuckDB's v2 files keep v1 page headers): dictionary pages, RLE booleans, PLAIN values.
    const wasm = await loadParquetWasm();
    const r = random(77);
    const table = randomTable(r, [SPECS[2], SPECS[6], SPECS[9], SPECS[10], SPECS[11], SPECS[12], SPECS[13], SPECS[22]], 4000);
    const ipc = tableToIPC(new Table(table.batches), 'stream');
    for (const dictionary of [true, false]) {
      const pagesV2 = join(dir, `v2-${dictionary}.parquet`);
      let properties = new wasm.WriterPropertiesBuilder().setWriterVersion(wasm.WriterVersion.V2).setCompression(wasm.Compression.SNAPPY).setDictionaryEnabled(dictionary);
      if (!dictionary) properties = properties.setEncoding(wasm.Encoding.PLAIN);
      await writeFile(pagesV2, wasm.writeParquet(wasm.Table.fromIPCStream(ipc), properties.build()));
      expect(await decodesItself(pagesV2), `dictionary ${dictionary}`).toBe(true);
      const footer = await readParquetFooter(await openAsBlob(pagesV2), pagesV2);
      const blob = await openAsBlob(pagesV2);
      const types = await Promise.all(footer.rowGroups[0].chunks.map(async (chunk) => {
        const bytes = new Uint8Array(await blob.slice(chunk.dataPageOffset).arrayBuffer());
        return readPageHeader(bytes, 0, bytes.length).type;
      }));
      expect(new Set(types)).toEqual(new Set([PageType.DATA_PAGE_V2]));
      const { batches } = await sameBothWays(pagesV2, `v2 pages, dictionary ${dictionary}`, { batchSize: 1000, dictionary: table.schema.names as string[] });
      expect(rowsOf(batches)).toEqual(rowsOf(table.batches));
    }

    const delta = join(dir, 'v2-delta.parquet');
    await duck(`COPY (SELECT row, i64, day, dec18, ts, f64 FROM (${duckRows(3000)})) TO '${delta}' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2)`);
    expect(await decodesItself(delta)).toBe(true);
    await sameBothWays(delta, 'v2 delta');
    const lz4 = join(dir, 'lz4.parquet');
    await duck(`COPY (${duckRows(3000)}) TO '${lz4}' (FORMAT parquet, COMPRESSION lz4)`);
    expect(await decodesItself(lz4)).toBe(true);
    await sameBothWays(lz4, 'lz4');
  }, 120_000);

  it('reads the flat columns of a file with nested ones itself, the nested ones through parquet-wasm; field ids as metadata', async () => {
    const dir = await tempDir('sluice-pq-dec-');
    const nested = join(dir, 'nested.parquet');
    await duck(`COPY (SELECT row, country, dec18, {'a': i32, 'b': note} AS pair, [i8, i8] AS list, tstz FROM (${duckRows(3000)})) TO '${nested}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)`);
    expect(await decodesItself(nested)).toBe(false);
    expect(await decodesItself(nested, ['row', 'country', 'dec18', 'tstz'])).toBe(true);
    expect(await decodesItself(nested, ['row', 'pair'])).toBe(false);
    await sameBothWays(nested, 'flat columns of a nested file', { columns: ['row', 'country', 'dec18', 'tstz'], dictionary: ['country'], batchSize: 700 });
    await sameBothWays(nested, 'nested columns', { columns: ['row', 'pair', 'list'] });
    await sameBothWays(nested, 'all columns');

    const ids = join(dir, 'ids.parquet');
    await duck(`COPY (SELECT row, country, i64 FROM (${duckRows(100)})) TO '${ids}' (FORMAT parquet, FIELD_IDS 'auto')`);
    expect(await decodesItself(ids)).toBe(true);
    const { inferred } = await sameBothWays(ids, 'field ids');
    expect(inferred.fields.map((f) => f.metadata.get('PARQUET:field_id'))).toEqual(['0', '1', '2']);
  }, 120_000);

  it('reads INT96, float16 and empty files as parquet-wasm does', async () => {
    const dir = await tempDir('sluice-pq-dec-');
    const int96 = join(dir, 'int96.parquet');
    await writeInt96Parquet(int96, [253_402_300_799_999_999n, 0n, -1n, 1_704_164_645_123_456n, -62_135_596_800_000_000n]);
    expect(await decodesItself(int96)).toBe(true);
    await sameBothWays(int96, 'int96');

    const half = join(dir, 'half.parquet');
    const wasm = await loadParquetWasm();
    const fields = [new Field('h', new Float16(), true)];
    const bits = new Uint16Array([0x3c00, 0x4000, 0xbc00, 0x3555, 0x7c00, 0]);
    const data = makeData({ type: new Float16(), length: 6, nullCount: 1, nullBitmap: Uint8Array.of(0b011111), data: bits });
    const table = new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: 6, nullCount: 0, children: [data] }))]);
    await writeFile(half, wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream'))));
    expect(await decodesItself(half)).toBe(true);
    const { batches } = await sameBothWays(half, 'float16');
    expect(rowsOf(batches).map((row) => row.h)).toEqual([1, 2, -1, 0.333251953125, Infinity, null]);

    const empty = join(dir, 'empty.parquet');
    await duck(`COPY (SELECT 1::INT AS a, 'x' AS s WHERE false) TO '${empty}' (FORMAT parquet)`);
    const { batches: none } = await sameBothWays(empty, 'empty');
    expect(none.reduce((n, b) => n + b.numRows, 0)).toBe(0);
  }, 120_000);
});
