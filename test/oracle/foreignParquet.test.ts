import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { Type, makeVector } from 'apache-arrow';
import type { Data, Decimal, Table, Time, Timestamp, Vector } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValid } from '../../src/columns/bitmap.js';
import { runCli } from '../../src/cli/runCli.js';
import { read } from '../../src/index.js';
import { parquetRowGroups } from '../../src/io/formats/parquet/parquetReader.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

/**
 * Parquet written by other engines (DuckDB, Polars), read by sluice: every common type, nulls,
 * several row groups; values compared with what DuckDB itself reads from the same file.
 */

/** Each column: DuckDB's SQL making it, and DuckDB's SQL giving the canonical text compared. */
const DUCK_COLUMNS: Record<string, [string, string]> = {
  b: ['(r % 2 = 0)', 'b::varchar'],
  i8: ['(r * 13 - 60)::tinyint', 'i8::varchar'],
  i16: ['(r * 3001 - 15000)::smallint', 'i16::varchar'],
  i32: ['(r * 200000003 - 1000000000)::int', 'i32::varchar'],
  i64: ['(r::hugeint * 922337203685477000 - 4611686018427387904)::bigint', 'i64::varchar'],
  u8: ['(r * 25)::utinyint', 'u8::varchar'],
  u16: ['(r * 6500)::usmallint', 'u16::varchar'],
  u32: ['(r * 429496729)::uinteger', 'u32::varchar'],
  u64: ['(r::ubigint * 1844674407370955161::ubigint)', 'u64::varchar'],
  f32: ['(r / 7)::float', 'f32::double::varchar'],
  f64: ['(r / 7 - 1)::double', 'f64::varchar'],
  dec: ['(r * 123.457 - 500)::decimal(12,3)', 'dec::varchar'],
  dec38: ['(r * 1e20 - 3.5)::decimal(38,4)', 'dec38::varchar'],
  s: ["['', 'ünï', '中文', '😀', 'a,b \"q\"'][r % 5 + 1]", 's'],
  bl: ["('\\xAA\\x00'::blob || (r::varchar)::blob)", 'to_base64(bl)'],
  dt: ["date '1969-12-25' + (r * 1000)::int", "strftime(dt, '%Y-%m-%d')"],
  tm: ["time '00:00:01.000001' + to_microseconds(r * 7777777777)", "strftime(date '2000-01-01' + tm, '%H:%M:%S.%f')"],
  ts_s: ["(timestamp '1969-12-31 23:59:59' + to_seconds(r * 86400 * 40))::timestamp_s", 'epoch_ns(ts_s)::varchar'],
  ts_ms: ["(timestamp '1965-01-01 00:00:00.123' + to_milliseconds(r * 9876543210))::timestamp_ms", 'epoch_ns(ts_ms)::varchar'],
  ts_us: ["timestamp '1970-01-01 00:00:00' + to_microseconds(r * 98765432101234 - 1)", 'epoch_ns(ts_us)::varchar'],
  ts_ns: ["(timestamp '2024-05-17 08:30:15' + to_microseconds(r * 1234567))::timestamp_ns + to_microseconds(0)", 'epoch_ns(ts_ns)::varchar'],
  ts_tz: ["timestamptz '2024-05-17 08:30:15.123456+02' + to_microseconds(r * 77777777)", 'epoch_ns(ts_tz)::varchar'],
  u: ["(lpad(r::varchar, 8, '0') || '-1234-4abc-8def-0123456789ab')::uuid", 'u::varchar'],
  l: ['[r, null, r * 2]', 'to_json(l)::varchar'],
  st: ["{'a': r, 'b': 'x' || r::varchar, 'c': [r]}", 'to_json(st)::varchar'],
  m: ["map {'k' || r::varchar: r, 'z': null}", 'to_json(m)::varchar'],
};
// DuckDB cuts row groups at multiples of 2048 rows: 4500 rows make three. Values cycle with r = row % 11.
const ROWS = 4500;

/** Every column null where r % 4 = 3; row groups of 2048 rows. */
async function writeDuckFile(path: string): Promise<void> {
  const columns = Object.entries(DUCK_COLUMNS).map(([name, [sql]]) => `case when r % 4 = 3 then null else ${sql} end as ${name}`);
  await duck(`set timezone = 'UTC'; copy (select ${columns.join(', ')} from (select n, n % 11 as r from range(${ROWS}) t(n)) order by n) to '${path}' (format parquet, row_group_size 2048)`);
}

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

const vectors = new WeakMap<Data, Vector>();
const vectorOf = (data: Data): Vector => vectors.get(data) ?? vectors.set(data, makeVector(data)).get(data)!;

/** sluice's values as the text DuckDB's canonical SQL gives. */
function canonicalText(data: Data, i: number): string | null {
  if (!isValid(data, i)) return null;
  const type = data.type;
  const value = (data.values as ArrayLike<unknown> | undefined)?.[i];
  switch (type.typeId) {
    case Type.Int: return String(value);
    case Type.Float: return duckDouble(Number(value));
    case Type.Bool: return String(vectorOf(data).get(i));
    case Type.Utf8: return vectorOf(data).get(i) as string;
    case Type.Decimal: {
      const { scale } = type as Decimal;
      const words = (data.values as Uint32Array).subarray(i * 4, i * 4 + 4);
      let unscaled = 0n;
      for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[w]);
      unscaled = BigInt.asIntN(128, unscaled);
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
      return `${unscaled < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    }
    case Type.Binary: return Buffer.from(vectorOf(data).get(i) as Uint8Array).toString('base64');
    case Type.Date: return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
    case Type.Time: {
      const us = BigInt(value as bigint) * [1_000_000n, 1_000n, 1n, 1n][(type as Time).unit] / ((type as Time).unit === 3 ? 1000n : 1n);
      return `${pad(us / 3_600_000_000n)}:${pad((us / 60_000_000n) % 60n)}:${pad((us / 1_000_000n) % 60n)}.${pad(us % 1_000_000n, 6)}`;
    }
    case Type.Timestamp: return String((value as bigint) * [1_000_000_000n, 1_000_000n, 1_000n, 1n][(type as Timestamp).unit]);
    case Type.FixedSizeBinary: {
      const hex = Buffer.from(vectorOf(data).get(i) as Uint8Array).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    default: return typeof value === 'string' ? value : JSON.stringify(plain(vectorOf(data).get(i)));
  }
}

/** DuckDB's text for a double ('0.14285714285714285', '1.0', '-1e+20' style differences aside). */
const duckDouble = (v: number) => (Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v));

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
  if (Array.isArray(json)) return json.map(plain);
  return Object.fromEntries(Object.entries(json as object).map(([k, v]) => [k, plain(v)]));
}

function sluiceText(table: Table): Record<string, unknown>[] {
  const names = table.schema.names as string[];
  const rows: Record<string, unknown>[] = [];
  for (const batch of table.batches) {
    for (let i = 0; i < batch.numRows; i++) rows.push(Object.fromEntries(names.map((name, c) => [name, canonicalText(batch.data.children[c], i)])));
  }
  return rows;
}

let dir: string;
let duckFile: string;

beforeAll(async () => {
  dir = await tempDir('sluice-foreign-');
  duckFile = join(dir, 'duckdb.parquet');
  await writeDuckFile(duckFile);
});

describe('DuckDB-written Parquet', () => {
  it('reads every type, nulls and several row groups with the values DuckDB reads', async () => {
    expect((await parquetRowGroups(duckFile)).map((g) => g.rows)).toEqual([2048, 2048, 404]);
    const ours = sluiceText(await read.parquet(duckFile).toArrow());
    const select = Object.entries(DUCK_COLUMNS).map(([name, [, canon]]) => `${canon} as ${name}`).join(', ');
    const theirs = await duck(`set timezone = 'UTC'; select ${select} from '${duckFile}'`);
    expect(ours).toEqual(theirs.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]))));
    expect(ours[3]).toEqual(Object.fromEntries(Object.keys(DUCK_COLUMNS).map((k) => [k, null])));
  });

  it('marks the UUID column, which parquet-wasm reads as 16 plain bytes', async () => {
    const schema = await read.parquet(duckFile).schema();
    expect(schema.fields.find((f) => f.name === 'u')?.metadata.get('ARROW:extension:name')).toBe('arrow.uuid');
    expect(schema.fields.find((f) => f.name === 'bl')?.metadata.size).toBe(0);
  });

  it('widens to a wider declared schema, exactly', async () => {
    const schema = { i8: 'int64', i16: 'int32', i32: 'int64', u8: 'int16', u16: 'int32', u32: 'int64', f32: 'double', i8f: 'double', dt: 'timestamp', ts_s: 'timestamp', ts_ms: 'timestamp(ms)', ts_ns: 'timestamp', ts_us: 'timestamp' };
    const frame = read.parquet(duckFile, { schema: { ...schema, i8f: 'double' } });
    const table = await frame.toArrow();
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Int64', 'Int32', 'Int64', 'Int16', 'Int32', 'Int64', 'Float64', 'Float64', 'Timestamp<MICROSECOND, UTC>', 'Timestamp<MICROSECOND, UTC>', 'Timestamp<MILLISECOND, UTC>', 'Timestamp<MICROSECOND, UTC>', 'Timestamp<MICROSECOND, UTC>',
    ]);
    const theirs = await duck(`select i8::varchar as i8, i16::varchar as i16, i32::varchar as i32, u8::varchar as u8, u16::varchar as u16, u32::varchar as u32,
      f32::double::varchar as f32, null as i8f, epoch_ns(dt::timestamp)::varchar as dt, epoch_ns(ts_s)::varchar as ts_s, epoch_ns(ts_ms)::varchar as ts_ms,
      (epoch_us(ts_ns) * 1000)::varchar as ts_ns, epoch_ns(ts_us)::varchar as ts_us from '${duckFile}'`);
    // ts_ns keeps whole microseconds (sub-microsecond digits dropped, rounding down); i8f is not in the file.
    expect(sluiceText(table)).toEqual(theirs.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]))));
  });

  it('refuses narrowing or incompatible declared types, naming file, column and both types', async () => {
    await expect(read.parquet(duckFile, { schema: { i64: 'int32' } }).toArrow()).rejects.toThrow(`Column i64 of ${duckFile} is Int64 but the schema says Int32; that is not a safe widening`);
    await expect(read.parquet(duckFile, { schema: { s: 'int64' } }).toArrow()).rejects.toThrow(`Column s of ${duckFile} is Utf8 but the schema says Int64`);
    await expect(read.parquet(duckFile, { schema: { u64: 'int64' } }).toArrow()).rejects.toThrow(`Column u64 of ${duckFile} is Uint64 but the schema says Int64`);
    await expect(read.parquet(duckFile, { schema: { f64: 'float' } }).toArrow()).rejects.toThrow(`Column f64 of ${duckFile} is Float64 but the schema says Float32`);
  });

  for (const to of ['csv', 'json'] as const) {
    it(`sluice convert to ${to}: DuckDB reads back the values it wrote (UUID, TIME, map, blob as text)`, async () => {
      const out = join(dir, `converted-${to}`);
      const lines: string[] = [];
      const code = await runCli(['convert', duckFile, out, '--to', to], { out: (t) => lines.push(t), err: (t) => lines.push(t) });
      expect(lines.join('\n')).toMatch(new RegExp(`^wrote ${ROWS.toLocaleString('en-US')} rows as ${to}`));
      expect(code).toBe(0);
      const [file] = (await readdir(out)).filter((name) => name.endsWith(`.${to}`));
      const text = await readFile(join(out, file), 'utf8');
      // CSV as text; JSON with the types meant, so DuckDB parses our strings and numbers as them.
      const from = to === 'csv'
        ? `read_csv('${out}/${file}', header = true, all_varchar = true)`
        : `read_json('${out}/${file}', format = 'newline_delimited', columns = {u: 'UUID', tm: 'TIME', m: 'MAP(VARCHAR, BIGINT)', bl: 'VARCHAR', i64: 'BIGINT', u64: 'UBIGINT', dec38: 'DECIMAL(38,4)'})`;
      const map = to === 'csv' ? 'm::varchar' : 'to_json(m)::varchar';
      const time = to === 'csv' ? 'tm::varchar' : "strftime(date '2000-01-01' + tm, '%H:%M:%S.%f')";
      const got = await duck(`select u::varchar as u, ${time} as tm, ${map} as m, bl::varchar as bl, i64::varchar as i64, u64::varchar as u64, dec38::varchar as dec38 from ${from}`);
      const want = await duck(`select u::varchar as u, strftime(date '2000-01-01' + tm, '%H:%M:%S.%f') as tm, to_json(m)::varchar as m, to_base64(bl) as bl,
        i64::varchar as i64, u64::varchar as u64, dec38::varchar as dec38 from '${duckFile}'`);
      expect(got).toEqual(want);
      expect(text).toContain('00000000-1234-4abc-8def-0123456789ab');
    });
  }
});

describe('Polars-written Parquet', () => {
  // Regression: Polars' Arrow schema hint says Utf8View while the batches carry Utf8; every read failed.
  it('reads every Polars type with the values DuckDB reads from the same file', async () => {
    const path = join(dir, 'polars.parquet');
    const n = [1, null, -3, 4, 120];
    const frame = pl.DataFrame({
      b: pl.Series('b', [true, null, false, true, false], pl.Bool),
      i8: pl.Series('i8', n, pl.Int8), i16: pl.Series('i16', n, pl.Int16), i32: pl.Series('i32', n, pl.Int32),
      i64: pl.Series('i64', [1, null, -3, 2 ** 53 + 2, -(2 ** 40)], pl.Int64),
      u8: pl.Series('u8', [1, null, 3, 4, 255], pl.UInt8), u16: pl.Series('u16', [1, null, 3, 4, 65535], pl.UInt16),
      u32: pl.Series('u32', [1, null, 3, 4, 4294967295], pl.UInt32), u64: pl.Series('u64', [1, null, 3, 4, 2 ** 40], pl.UInt64),
      f32: pl.Series('f32', [0.5, null, -1.25, 3, 1e10], pl.Float32), f64: pl.Series('f64', [0.1, null, -1 / 3, 1e300, 5], pl.Float64),
      s: pl.Series('s', ['', null, 'ünï', '😀', 'x'], pl.Utf8),
      dt: pl.Series('dt', [new Date(Date.UTC(1969, 11, 31)), null, new Date(Date.UTC(2024, 1, 29)), new Date(0), new Date(Date.UTC(2100, 0, 1))], pl.Date),
      e: pl.Series('e', [1715934615123, null, -1, 0, 4102444800000], pl.Int64),
      l: pl.Series('l', [[1, 2], null, [], [3], [null as unknown as number]], pl.List(pl.Int64)),
    }).withColumns(
      pl.col('e').cast(pl.Datetime('ms')).alias('ts_ms'),
      pl.col('e').cast(pl.Datetime('us')).alias('ts_us'),
      pl.col('e').cast(pl.Datetime('ns')).alias('ts_ns'),
      pl.struct([pl.col('i32'), pl.col('s')]).alias('st'),
    );
    frame.writeParquet(path);
    const ours = sluiceText(await read.parquet(path).toArrow());
    const names = frame.columns;
    const canon = (name: string) => (name === 'l' || name === 'st' ? `to_json(${name})::varchar` : name.startsWith('ts') ? `epoch_ns(${name})::varchar`
      : name === 'dt' ? "strftime(dt, '%Y-%m-%d')" : name === 'f32' ? 'f32::double::varchar' : `${name}::varchar`);
    const theirs = await duck(`select ${names.map((name) => `${canon(name)} as ${name}`).join(', ')} from '${path}'`);
    expect(ours).toEqual(theirs.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)]))));
  });
});
