import { openAsBlob } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  Binary, DateDay, Field, FixedSizeBinary, Float32, Float64, Int16, Int32, Int64, Int8, RecordBatch, Schema, Struct, Table,
  TimestampMicrosecond, Uint32, Uint64, Utf8, makeData, tableToIPC,
} from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { readParquetFooter } from '../../../src/io/formats/parquet/parquetFooter.js';
import { loadParquetWasm } from '../../../src/io/formats/parquet/wasm.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { column, decimalColumn, random, rawColumn, rowsOf, type Random } from '../helpers.js';
import { decodesItself, readAll, sameBothWays } from './bothWays.js';

/**
 * The flat decoder's encodings beyond PLAIN and dictionaries (DELTA_BINARY_PACKED,
 * DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) and codecs LZ4_RAW and LZ4, on
 * files written by arrow-rs (parquet-wasm's writer, an encoding per column) and by DuckDB
 * (PARQUET_VERSION v2): each read by the own decoder and by parquet-wasm, same schema and rows,
 * and the rows the writer was given.
 */

/** Parquet's Encoding and CompressionCodec numbers, as the footer lists them. */
const ENCODING_NAMES: Record<number, string> = {
  0: 'PLAIN', 2: 'PLAIN_DICTIONARY', 3: 'RLE', 4: 'BIT_PACKED', 5: 'DELTA_BINARY_PACKED', 6: 'DELTA_LENGTH_BYTE_ARRAY', 7: 'DELTA_BYTE_ARRAY', 8: 'RLE_DICTIONARY', 9: 'BYTE_STREAM_SPLIT',
};

const INT32_EXTREMES = [-2147483648, 2147483647, 0, -1, 1];
const INT64_EXTREMES = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n];
const PREFIXES = ['', 'a', 'https://example.com/a/very/long/common/prefix/that/goes/on/and/on/', 'ünïcödé/日本語/', 'emoji 🚀✨/'];

/** A column's values: sorted runs (small deltas), extremes (deltas past 32 and 64 bits), random ones; nulls at `nullRate`. */
const maybe = <T>(r: Random, nullRate: number, value: T): T | null => (r.next() < nullRate ? null : value);

function int32s(r: Random, n: number, nullRate: number): (number | null)[] {
  let run = r.int(-1000, 1000);
  return Array.from({ length: n }, (_, i) => {
    const kind = (i >> 6) % 3;
    const value = kind === 0 ? (run += r.int(0, 3)) : kind === 1 ? r.pick(INT32_EXTREMES) : r.int(-2147483648, 2147483647);
    return maybe(r, nullRate, value);
  });
}

function int64s(r: Random, n: number, nullRate: number): (bigint | null)[] {
  let run = r.big(40);
  return Array.from({ length: n }, (_, i) => {
    const kind = (i >> 6) % 4;
    const value = kind === 0 ? (run += BigInt(r.int(0, 5))) : kind === 1 ? r.pick(INT64_EXTREMES) : kind === 2 ? r.big(64) : r.big(36);
    return maybe(r, nullRate, value);
  });
}

function strings(r: Random, n: number, nullRate: number): (string | null)[] {
  const sorted = Array.from({ length: n }, (_, i) => `${r.pick(PREFIXES)}${i % 5 === 0 ? '' : String(r.int(0, 99999)).padStart(5, '0')}`).sort();
  return sorted.map((value) => maybe(r, nullRate, value));
}

interface Columns {
  schema: Schema;
  batch: RecordBatch;
}

/** A table of every physical type arrow-rs may write with these encodings. */
function table(seed: number, n: number): Columns {
  const r = random(seed);
  const nulls = () => r.pick([0, 0.1, 0.5]);
  const vectors: Record<string, Vector> = {
    i32: column(int32s(r, n, nulls()), new Int32()),
    i8: column(Array.from({ length: n }, () => maybe(r, 0.1, r.int(-128, 127))), new Int8()),
    i16: column(Array.from({ length: n }, () => r.int(-32768, 32767)), new Int16()),
    u32: column(int32s(r, n, nulls()).map((v) => (v === null ? null : v >>> 0)), new Uint32()),
    i64: column(int64s(r, n, nulls()), new Int64()),
    u64: column(int64s(r, n, nulls()).map((v) => (v === null ? null : BigInt.asUintN(64, v))), new Uint64()),
    f32: column(Array.from({ length: n }, () => maybe(r, 0.1, r.pick([NaN, -0, Infinity, Math.fround(r.next() * 1e6 - 5e5)]))), new Float32()),
    f64: column(Array.from({ length: n }, () => maybe(r, 0.1, r.next() < 0.1 ? r.pick([NaN, -0, -Infinity, Number.MAX_VALUE, 5e-324]) : (r.next() - 0.5) * 1e9)), new Float64()),
    day: column(Array.from({ length: n }, (_, i) => maybe(r, 0.2, new Date((i + r.int(-3, 3)) * 86_400_000))), new DateDay()),
    ts: rawColumn(int64s(r, n, 0.2).map((v) => (v === null ? null : BigInt.asIntN(52, v))), new TimestampMicrosecond('UTC')),
    dec9: decimalColumn(int32s(r, n, 0.1).map((v) => (v === null ? null : BigInt(v % 999999999))), 9, 2),
    dec18: decimalColumn(int64s(r, n, 0.1).map((v) => (v === null ? null : v % 999999999999999999n)), 18, 3),
    dec38: decimalColumn(int64s(r, n, 0.1).map((v) => (v === null ? null : v * 99999999999n)), 38, 6),
    s: column(strings(r, n, nulls()), new Utf8()),
    bin: column(Array.from({ length: n }, () => maybe(r, 0.1, Uint8Array.from({ length: r.int(0, 40) }, () => r.int(0, 255)))), new Binary()),
    fixed: column(Array.from({ length: n }, () => maybe(r, 0.1, Uint8Array.from({ length: 16 }, () => r.int(0, 3)))), new FixedSizeBinary(16)),
  };
  const fields = Object.entries(vectors).map(([name, vector]) => new Field(name, vector.type, vector.nullCount > 0 || r.next() < 0.5));
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children: Object.values(vectors).map((v) => v.data[0]) }));
  return { schema, batch };
}

/** The columns of `table` that take each encoding (arrow-rs: DELTA_BYTE_ARRAY also for FIXED_LEN_BYTE_ARRAY, BYTE_STREAM_SPLIT for fixed-width types). */
const ENCODED: [string, string[]][] = [
  ['DELTA_BINARY_PACKED', ['i32', 'i8', 'i16', 'u32', 'i64', 'u64', 'day', 'ts', 'dec9', 'dec18']],
  ['DELTA_LENGTH_BYTE_ARRAY', ['s', 'bin']],
  ['DELTA_BYTE_ARRAY', ['s', 'bin', 'dec38', 'fixed']],
  ['BYTE_STREAM_SPLIT', ['f32', 'f64', 'i32', 'i64', 'dec38', 'fixed']],
];

/** Each column chunk's encodings and codec, by column path, from the footer. */
async function chunkEncodings(path: string): Promise<Map<string, { encodings: string[]; codec: number }>> {
  const footer = await readParquetFooter(await openAsBlob(path), path);
  const out = new Map<string, { encodings: string[]; codec: number }>();
  for (const chunk of footer.rowGroups[0].chunks) out.set(chunk.path, { encodings: chunk.encodings.map((e) => ENCODING_NAMES[e] ?? String(e)), codec: chunk.codec });
  return out;
}

afterEach(() => {
  delete process.env.SLUICE_PARQUET_DECODER;
});

describe('own flat Parquet decoder: DELTA_*, BYTE_STREAM_SPLIT, LZ4', () => {
  it.each([
    ['LZ4_RAW', 7, 'V2'], ['LZ4', 5, 'V1'], ['SNAPPY', 1, 'V2'], ['UNCOMPRESSED', 0, 'V1'],
  ] as const)('reads arrow-rs files of every physical type in each encoding (%s = codec %i, writer %s) as parquet-wasm does', async (codecName, codec, version) => {
    const wasm = await loadParquetWasm();
    const dir = await tempDir('sluice-pq-enc-');
    const { schema, batch } = table(codec + 101, 3000);
    const ipc = tableToIPC(new Table([batch]), 'stream');
    for (const [encoding, names] of ENCODED) {
      let properties = new wasm.WriterPropertiesBuilder()
        .setWriterVersion(wasm.WriterVersion[version]).setCompression(wasm.Compression[codecName])
        .setMaxRowGroupSize(1100).setDataPageSizeLimit(2000).setWriteBatchSize(97);
      for (const name of names) properties = properties.setColumnDictionaryEnabled(name, false).setColumnEncoding(name, wasm.Encoding[encoding as keyof typeof wasm.Encoding]);
      const path = join(dir, `${encoding}-${codecName}.parquet`);
      await writeFile(path, wasm.writeParquet(wasm.Table.fromIPCStream(ipc), properties.build()));
      const chunks = await chunkEncodings(path);
      for (const name of names) expect(chunks.get(name)!.encodings, `${name} ${encoding}`).toContain(encoding);
      expect(new Set([...chunks.values()].map((c) => c.codec))).toEqual(new Set([codec]));
      expect(await decodesItself(path), encoding).toBe(true);
      const label = `${encoding}, ${codecName}, ${version}`;
      const { batches } = await sameBothWays(path, label);
      expect(rowsOf(batches), label).toEqual(rowsOf([batch]));
      await sameBothWays(path, `${label}, batches of 333, strings as dictionaries`, { batchSize: 333, columns: ['s', ...names], dictionary: ['s'] });
    }
    expect(schema.fields.length).toBe(16);
  }, 300_000);

  const FIXTURES = new URL('../../fixtures/parquet-testing/', import.meta.url).pathname;
  it.each([
    'delta_binary_packed', 'delta_encoding_optional_column', 'delta_encoding_required_column', 'delta_byte_array', 'delta_length_byte_array',
    'byte_stream_split.zstd', 'byte_stream_split_extended.gzip', 'hadoop_lz4_compressed', 'non_hadoop_lz4_compressed', 'lz4_raw_compressed',
    'datapage_v2_empty_datapage.snappy',
  ])('reads parquet-testing\'s %s (parquet-mr, parquet-cpp) as parquet-wasm and DuckDB do', async (name) => {
    const path = join(FIXTURES, `${name}.parquet`);
    expect(await decodesItself(path)).toBe(true);
    const { batches } = await sameBothWays(path, name);
    const rows = rowsOf(batches);
    const [{ n }] = await duck(`SELECT count(*)::INT AS n FROM '${path}'`);
    expect(rows.length).toBe(n);
    expect(rows.length).toBeGreaterThan(0);
    if (name === 'byte_stream_split_extended.gzip') {
      // Each column twice, PLAIN and BYTE_STREAM_SPLIT; decimal(7, 3) as a 4-byte FIXED_LEN_BYTE_ARRAY (big-endian, unlike INT32).
      for (const row of rows) for (const key of Object.keys(row).filter((k) => k.endsWith('_plain'))) expect(row[key.replace('_plain', '_byte_stream_split')], key).toEqual(row[key]);
      const [first] = await duck(`SELECT decimal_plain::VARCHAR AS d FROM '${path}' LIMIT 1`);
      expect(String(batches[0].getChild('decimal_plain')!.get(0)), 'unscaled').toBe(String(first.d).replace('.', '').replace(/^0+/, ''));
    }
  }, 120_000);

  it.each([
    ['lz4', 'LZ4_RAW'], ['zstd', 'ZSTD'], ['uncompressed', 'UNCOMPRESSED'],
  ] as const)('reads DuckDB PARQUET_VERSION v2 files (%s) as parquet-wasm does', async (compression, codecName) => {
    const dir = await tempDir('sluice-pq-enc-');
    const path = join(dir, `duck-v2-${compression}.parquet`);
    await duck(`COPY (
      SELECT i::INT AS row,
        CASE WHEN i % 7 = 0 THEN NULL ELSE [-2147483648, 2147483647, 0, -1][(i % 4)::INT + 1] END::INTEGER AS i32_extremes,
        CASE WHEN i % 5 = 0 THEN NULL WHEN i % 3 = 0 THEN -9223372036854775808 WHEN i % 3 = 1 THEN 9223372036854775807 ELSE (hash(i)::HUGEINT - 9223372036854775808)::BIGINT END AS i64_extremes,
        (i * 1000003)::BIGINT - 5000000000 AS i64_steps,
        hash(i, 2)::UBIGINT AS u64,
        ((hash(i, 3) % 200)::INT - 100)::SMALLINT AS i16,
        CASE WHEN i % 9 = 0 THEN NULL ELSE (hash(i, 4) % 100000)::DOUBLE / 7 END AS f64,
        ((hash(i, 5) % 100000)::DOUBLE / 3)::FLOAT AS f32,
        CASE WHEN i % 11 = 0 THEN NULL WHEN i % 11 = 1 THEN '' ELSE ['ünïcode ', '日本語 ', 'emoji 🚀 ', 'x'][(i % 4)::INT + 1] || md5(i::VARCHAR) END AS s,
        'a long shared prefix that repeats on every row ' || lpad(i::VARCHAR, 8, '0') AS sorted,
        ('\\x' || lpad(printf('%x', (hash(i, 6) % 65536)::INT), 4, '0'))::BLOB AS bytes,
        DATE '2000-01-01' + (i % 20000)::INT AS dt,
        TIMESTAMP '2020-01-01' + to_microseconds((hash(i, 7) % 100000000000)::BIGINT) AS ts,
        ((hash(i, 8) % 2000000)::INT - 1000000)::DECIMAL(9, 2) / 100 AS dec9,
        ((hash(i, 9) % 2000000000000)::BIGINT - 1000000000000)::DECIMAL(18, 3) / 1000 AS dec18,
        ['DE', 'FR', 'IT'][(i % 3)::INT + 1] AS country,
        NULL::INT AS no_int, NULL::BIGINT AS no_bigint, NULL::DOUBLE AS no_double, NULL::VARCHAR AS no_text,
        CASE WHEN i < 6000 THEN NULL ELSE i END::BIGINT AS late
      FROM range(7000) t(i)) TO '${path}' (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION ${compression}, ROW_GROUP_SIZE 2500)`);
    const chunks = await chunkEncodings(path);
    expect(chunks.get('i64_extremes')!.encodings).toContain('DELTA_BINARY_PACKED');
    expect(chunks.get('s')!.encodings).toContain('DELTA_LENGTH_BYTE_ARRAY');
    expect(chunks.get('f64')!.encodings).toContain('BYTE_STREAM_SPLIT');
    expect(ENCODING_NAMES[0]).toBe('PLAIN');
    expect([...chunks.values()][0].codec).toBe({ LZ4_RAW: 7, ZSTD: 6, UNCOMPRESSED: 0 }[codecName]);
    expect(await decodesItself(path)).toBe(true);
    const { batches } = await sameBothWays(path, compression);
    await sameBothWays(path, `${compression}, batches of 1000, strings as dictionaries`, { batchSize: 1000, dictionary: ['s', 'sorted', 'country'] });
    // And the values DuckDB wrote, read back by DuckDB: the extremes and sums of the integer columns.
    const [expected] = await duck(`SELECT count(*)::INT AS n, sum(i64_extremes::HUGEINT)::VARCHAR AS e, sum(i64_steps)::VARCHAR AS steps, sum(u64::HUGEINT)::VARCHAR AS u, sum(length(s))::INT AS chars FROM '${path}'`);
    const rows = rowsOf(batches);
    const sum = (name: string) => rows.reduce((total, row) => total + (row[name] === null ? 0n : BigInt(row[name] as string)), 0n).toString();
    expect({ n: rows.length, e: sum('i64_extremes'), steps: sum('i64_steps'), u: sum('u64'), chars: rows.reduce((total, row) => total + [...((row.s as string | null) ?? '')].length, 0) }).toEqual(expected);
  }, 120_000);

  it('reads DuckDB v2 UINTEGER columns (DELTA_BINARY_PACKED deltas past 32 bits), which parquet-wasm fails on, as DuckDB does', async () => {
    const dir = await tempDir('sluice-pq-enc-');
    const path = join(dir, 'duck-v2-u32.parquet');
    await duck(`COPY (SELECT i::INT AS row, CASE WHEN i % 13 = 0 THEN NULL ELSE (hash(i, 1) % 4294967296)::UINTEGER END AS u32,
      [0, 4294967295, 1, 4294967294][(i % 4)::INT + 1]::UINTEGER AS u32_extremes, (hash(i, 2) % 256)::UTINYINT AS u8, (hash(i, 3) % 65536)::USMALLINT AS u16
      FROM range(5000) t(i)) TO '${path}' (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION lz4)`);
    expect((await chunkEncodings(path)).get('u32')!.encodings).toContain('DELTA_BINARY_PACKED');
    expect(await decodesItself(path)).toBe(true);
    const { batches } = await readAll(path);
    expect(rowsOf(batches)).toEqual(await duck(`SELECT * FROM '${path}' ORDER BY row`));
  }, 120_000);

  it.each(['DELTA_BYTE_ARRAY', 'DELTA_LENGTH_BYTE_ARRAY'] as const)('reads a chunk whose dictionary gives up mid-chunk for %s pages (as parquet-mr v2 writes), as strings or as one dictionary type', async (fallback) => {
    const wasm = await loadParquetWasm();
    const dir = await tempDir('sluice-pq-enc-');
    const n = 20_000;
    const values = Array.from({ length: n }, (_, i) => (i % 31 === 0 ? null : i < 8000 ? `v${i % 20}` : `a unique value ${i} ü ${'x'.repeat(i % 40)}`));
    const fields = [new Field('row', new Int32(), false), new Field('s', new Utf8(), true), new Field('nothing', new Utf8(), true)];
    const vectors = [column(Array.from({ length: n }, (_, i) => i), new Int32()), column(values, new Utf8()), column(values.map(() => null), new Utf8())];
    const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children: vectors.map((v) => v.data[0]) }));
    const properties = new wasm.WriterPropertiesBuilder().setWriterVersion(wasm.WriterVersion.V2).setCompression(wasm.Compression.LZ4_RAW)
      .setDictionaryPageSizeLimit(4000).setDataPageSizeLimit(8000).setWriteBatchSize(500).setColumnEncoding('s', wasm.Encoding[fallback]).build();
    const path = join(dir, `fallback-${fallback}.parquet`);
    await writeFile(path, wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream')), properties));
    expect((await chunkEncodings(path)).get('s')!.encodings).toEqual(expect.arrayContaining(['RLE_DICTIONARY', fallback]));
    expect(await decodesItself(path)).toBe(true);
    const { batches } = await sameBothWays(path, 'fallback');
    expect(rowsOf(batches)).toEqual(rowsOf([batch]));
    for (const batchSize of [undefined, 4096]) {
      const { batches: dictionaries } = await sameBothWays(path, `fallback as dictionaries, batches of ${batchSize}`, { dictionary: ['s', 'nothing'], batchSize });
      expect(new Set(dictionaries.map((b) => String(b.schema.fields[1].type)))).toEqual(new Set(['Dictionary<Int32, Utf8>']));
      expect(dictionaries.flatMap((b) => [...b.getChild('s')!] as unknown[])).toEqual(values);
    }
  }, 120_000);
});
