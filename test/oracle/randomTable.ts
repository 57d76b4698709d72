import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateUnit, TimeUnit, Type, makeVector } from 'apache-arrow';
import type { Data, Date_, Int, Table, Timestamp } from 'apache-arrow';
import { isValid } from '../../src/columns/bitmap.js';
import { duck } from '../support/duck.js';

/**
 * A random-but-seeded table for differential tests against DuckDB, written as CSV (by hand, so
 * that neither engine's writer is involved) and as Parquet (by DuckDB from that CSV).
 * Columns: id (unique row number), i and j (small int32 with nulls: duplicate keys and zeros),
 * big (int64), x (float64, exact binary fractions), s (strings: empty, multi-byte UTF-8, chars
 * above U+FFFF whose UTF-16 order differs from UTF-8 byte order), d (date), ts (timestamp µs),
 * b (bool). Every column but id has nulls.
 */
export const TABLE_SCHEMA = {
  id: 'int32', i: 'int32', j: 'int32', big: 'int64', x: 'float64', s: 'string', d: 'date', ts: 'timestamp', b: 'bool',
} as const;

export const DUCK_COLUMNS = "{'id': 'INTEGER', 'i': 'INTEGER', 'j': 'INTEGER', 'big': 'BIGINT', 'x': 'DOUBLE', 's': 'VARCHAR', 'd': 'DATE', 'ts': 'TIMESTAMP', 'b': 'BOOLEAN'}";

const STRINGS = ['', 'a', 'A', 'abc', 'Abc ', ' padded ', 'ünïcödé', 'ÉCOLE', '中文字', 'ｆｕｌｌ', '😀', 'x😀y', 'naïve café', 'b', 'zz', 'a,b', 'say "hi"', '%_like', '12', '-3'];

/** Mulberry32: a small seeded generator (the same seed gives the same table on every machine). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OracleTable {
  dir: string;
  csv: string;
  parquet: string;
  rows: number;
  /** DuckDB's view of the table: `FROM ${duckFrom}`. */
  duckFrom: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const csvString = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Writes the table (CSV and Parquet) into `dir`. */
export async function writeOracleTable(dir: string, seed: number, rows: number): Promise<OracleTable> {
  const random = seeded(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const maybe = (text: () => string, nullRate = 0.15) => (random() < nullRate ? '' : text());
  const lines = [Object.keys(TABLE_SCHEMA).join(',')];
  for (let r = 0; r < rows; r++) {
    const day = new Date(Date.UTC(1960, 0, 1) + int(0, 80 * 365) * 86_400_000);
    const date = () => `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const ts = () => `${date()} ${pad(int(0, 23))}:${pad(int(0, 59))}:${pad(int(0, 59))}.${pad(int(0, 999_999), 6)}`;
    lines.push([
      String(r),
      maybe(() => String(int(-5, 5))),
      maybe(() => String(int(-3, 3))),
      maybe(() => String(int(-1e12, 1e12))),
      maybe(() => String(int(-4000, 4000) / 8)),
      maybe(() => csvString(STRINGS[int(0, STRINGS.length - 1)])),
      maybe(date),
      maybe(ts),
      maybe(() => (random() < 0.5 ? 'true' : 'false')),
    ].join(','));
  }
  const csv = join(dir, 'table.csv');
  await writeFile(csv, `${lines.join('\n')}\n`);
  const duckFrom = `read_csv('${csv}', header = true, columns = ${DUCK_COLUMNS}, allow_quoted_nulls = false, quote = '"', escape = '"')`;
  const parquet = join(dir, 'table.parquet');
  await duck(`copy (select * from ${duckFrom}) to '${parquet}' (format parquet, row_group_size 64)`);
  return { dir, csv, parquet, rows, duckFrom };
}

/**
 * Plain comparable values of an Arrow column: ints ≤ 32 bits and floats as numbers, int64 as
 * decimal strings, dates as YYYY-MM-DD, timestamps as epoch microseconds (string), nulls as null.
 */
export function canonical(data: Data): unknown[] {
  const out: unknown[] = [];
  const type = data.type;
  const vector = makeVector(data);
  for (let i = 0; i < data.length; i++) {
    if (!isValid(data, i)) {
      out.push(null);
      continue;
    }
    const value = (data.values as ArrayLike<unknown>)[i];
    switch (type.typeId) {
      case Type.Int: out.push((type as Int).bitWidth === 64 ? String(value) : value); break;
      case Type.Float: out.push(value); break;
      case Type.Date: {
        const ms = (type as Date_).unit === DateUnit.DAY ? Number(value) * 86_400_000 : Number(value);
        out.push(new Date(ms).toISOString().slice(0, 10));
        break;
      }
      case Type.Timestamp: {
        const unit = (type as Timestamp).unit;
        const v = value as bigint;
        out.push(String(unit === TimeUnit.NANOSECOND ? v / 1000n : v * [1_000_000n, 1_000n, 1n][unit]));
        break;
      }
      default: out.push(vector.get(i));
    }
  }
  return out;
}

/** A table's rows as arrays of canonical values. */
export function canonicalRows(table: Table): unknown[][] {
  const columns = table.schema.fields.map((_, c) => table.batches.flatMap((batch) => canonical(batch.data.children[c])));
  return Array.from({ length: table.numRows }, (_, r) => columns.map((column) => column[r]));
}

/** DuckDB SQL giving the same canonical form for an expression of the given DuckDB type. */
export function duckCanonical(sql: string, kind: 'number' | 'bigint' | 'bool' | 'string' | 'date' | 'timestamp'): string {
  switch (kind) {
    case 'bigint': return `cast(${sql} as varchar)`;
    case 'date': return `strftime(${sql}, '%Y-%m-%d')`;
    case 'timestamp': return `cast(epoch_us(${sql}) as varchar)`;
    default: return sql;
  }
}

/** Sorted copy of rows as a multiset (JSON text order), for results whose order is unspecified. */
export const asMultiset = (rows: unknown[][]): string[] => rows.map((row) => JSON.stringify(row)).sort();
