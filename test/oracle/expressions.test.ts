import { beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { FUNCTION_CASES } from './functionCases.js';
import { TABLE_SCHEMA, canonicalRows, duckCanonical, writeOracleTable, type OracleTable } from './randomTable.js';

type Kind = Parameters<typeof duckCanonical>[1];

/**
 * Each case: sluice's (Spark SQL) text, DuckDB's text for the same meaning, and the result kind.
 * Where the two engines' own semantics differ, DuckDB's text spells Spark's rule out, and says why:
 * - x / 0 and x % 0: Spark (non-ANSI) gives NULL; DuckDB's `/` gives ±Infinity (IEEE).
 * - CAST(double AS int): Spark truncates toward zero; DuckDB rounds.
 * - CAST(text AS int) of bad text: Spark gives NULL; DuckDB's CAST throws (TRY_CAST gives NULL).
 * - concat(...): Spark gives NULL when any argument is NULL; DuckDB's concat skips NULLs (`||` does not).
 * - datediff(end, start) is Spark's argument order; DuckDB's is datediff('day', start, end).
 * - date_add(d, n) / date_sub(d, n) are `d + n` / `d - n` in DuckDB.
 * - date_trunc of a DATE: Spark returns a timestamp, DuckDB a date.
 */
const CASES: [string, string, Kind][] = [
  // arithmetic, with nulls and zeros
  ['i + j', 'i + j', 'number'],
  ['i - j', 'i - j', 'number'],
  ['i * j', 'i * j', 'number'],
  ['i / j', 'case when j = 0 then null else i / j end', 'number'],
  ['i % j', 'i % j', 'number'],
  ['x / j', 'case when j = 0 then null else x / j end', 'number'],
  ['x % 3', 'x % 3', 'number'],
  ['-i', '-i', 'number'],
  ['big + i', 'big + i', 'bigint'],
  ['big * 2 - 1', 'big * 2 - 1', 'bigint'],
  ['big / 1000', 'big / 1000', 'number'],
  ['x * 2 + i', 'x * 2 + i', 'number'],
  // comparisons (strings in UTF-8 byte order, as Spark and DuckDB)
  ['i < j', 'i < j', 'bool'],
  ['i = j', 'i = j', 'bool'],
  ['i <> j', 'i <> j', 'bool'],
  ['x >= 0', 'x >= 0', 'bool'],
  ['big > i', 'big > i', 'bool'],
  ["s < 'b'", "s < 'b'", 'bool'],
  ["s > 'ｆ'", "s > 'ｆ'", 'bool'],
  ["s = ''", "s = ''", 'bool'],
  ["d < to_date('2000-01-01')", "d < date '2000-01-01'", 'bool'],
  ["ts >= to_timestamp('2000-06-01 12:00:00')", "ts >= timestamp '2000-06-01 12:00:00'", 'bool'],
  ['i IS NULL', 'i IS NULL', 'bool'],
  ['s IS NOT NULL', 's IS NOT NULL', 'bool'],
  ['i IN (1, 2, -3)', 'i IN (1, 2, -3)', 'bool'],
  ['i NOT IN (1, 2)', 'i NOT IN (1, 2)', 'bool'],
  ['i BETWEEN -1 AND 2', 'i BETWEEN -1 AND 2', 'bool'],
  ["s LIKE 'a%'", "s LIKE 'a%'", 'bool'],
  ["s LIKE '%😀%'", "s LIKE '%😀%'", 'bool'],
  ["s LIKE '_'", "s LIKE '_'", 'bool'],
  // three-valued logic
  ['b AND i > 0', 'b AND i > 0', 'bool'],
  ['b OR i > 0', 'b OR i > 0', 'bool'],
  ['NOT b', 'NOT b', 'bool'],
  ['i > 0 OR j > 0 AND NOT b', 'i > 0 OR j > 0 AND NOT b', 'bool'],
  ['NOT (i = j OR x > 0)', 'NOT (i = j OR x > 0)', 'bool'],
  // CASE
  ["CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero or null' END", "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero or null' END", 'string'],
  ['CASE WHEN b THEN x ELSE i END', 'CASE WHEN b THEN x ELSE i END', 'number'],
  ['CASE WHEN j = 0 THEN NULL ELSE big END', 'CASE WHEN j = 0 THEN NULL ELSE big END', 'bigint'],
  // CAST
  ['CAST(i AS string)', 'CAST(i AS varchar)', 'string'],
  ['CAST(big AS string)', 'CAST(big AS varchar)', 'string'],
  ['CAST(s AS int)', 'TRY_CAST(s AS integer)', 'number'],
  ['CAST(x AS int)', 'CAST(trunc(x) AS integer)', 'number'],
  ['CAST(big AS double)', 'CAST(big AS double)', 'number'],
  ['CAST(b AS int)', 'CAST(b AS integer)', 'number'],
  ['CAST(d AS timestamp)', 'CAST(d AS timestamp)', 'timestamp'],
  ['CAST(ts AS date)', 'CAST(ts AS date)', 'date'],
  ['CAST(i AS bigint)', 'CAST(i AS bigint)', 'bigint'],
  // string functions (lengths in characters, not UTF-16 units)
  ['lower(s)', 'lower(s)', 'string'],
  ['upper(s)', 'upper(s)', 'string'],
  ['trim(s)', 'trim(s)', 'string'],
  ['length(s)', 'length(s)', 'number'],
  ['substring(s, 2, 3)', 'substring(s, 2, 3)', 'string'],
  ['substring(s, -2)', 'substring(s, -2)', 'string'],
  ["concat(s, '-', CAST(i AS string))", "s || '-' || CAST(i AS varchar)", 'string'],
  ["regexp_extract(s, '([a-z]+)', 1)", "regexp_extract(s, '([a-z]+)', 1)", 'string'],
  ['coalesce(i, j, 0)', 'coalesce(i, j, 0)', 'number'],
  // date functions
  ['year(d)', 'year(d)', 'number'],
  ['month(d)', 'month(d)', 'number'],
  ['day(d)', 'day(d)', 'number'],
  ['year(ts)', 'year(ts)', 'number'],
  ['hour(ts)', 'hour(ts)', 'number'],
  ['date_add(d, i)', 'd + i', 'date'],
  ['date_sub(d, 3)', 'd - 3', 'date'],
  ["datediff(d, to_date('2000-01-01'))", "datediff('day', date '2000-01-01', d)", 'number'],
  ['datediff(CAST(ts AS date), d)', "datediff('day', d, CAST(ts AS date))", 'number'],
  ["date_trunc('month', ts)", "date_trunc('month', ts)", 'timestamp'],
  ["date_trunc('year', d)", "CAST(date_trunc('year', d) AS timestamp)", 'timestamp'],
  ['to_date(ts)', 'CAST(ts AS date)', 'date'],
  // the function library: see functionCases.ts, which lists where Spark and DuckDB differ
  ...FUNCTION_CASES,
];

let table: OracleTable;

beforeAll(async () => {
  table = await writeOracleTable(await tempDir('sluice-oracle-'), 20240517, 600);
});

async function duckRows(): Promise<unknown[][]> {
  const select = CASES.map(([, sql, kind], n) => `${duckCanonical(sql, kind)} as e${n}`).join(', ');
  const rows = await duck(`select id, ${select} from ${table.duckFrom} order by id`);
  // DuckDB's JSON rows give DOUBLE/INTEGER as numbers and the rest as strings or booleans.
  return rows.map((row) => Object.values(row).map((value, c) => (c > 0 && CASES[c - 1][2] === 'number' && typeof value === 'string' ? Number(value) : value)));
}

async function sluiceRows(format: 'csv' | 'parquet'): Promise<unknown[][]> {
  const frame = format === 'csv'
    ? read.csv(table.csv, { withHeader: true, schema: { ...TABLE_SCHEMA } })
    : read.parquet(table.parquet, { schema: { ...TABLE_SCHEMA } });
  const columns = Object.fromEntries(CASES.map(([sql], n) => [`e${n}`, sql]));
  const result = await frame.withColumns(columns).selectFields(['id', ...Object.keys(columns)]).toArrow();
  return canonicalRows(result);
}

describe('expressions against DuckDB', () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`agree on every row of a seeded table read from ${format}`, async () => {
      const [ours, theirs] = await Promise.all([sluiceRows(format), duckRows()]);
      expect(ours.length).toBe(table.rows);
      const mismatches: string[] = [];
      for (let c = 0; c < CASES.length; c++) {
        const bad = ours.findIndex((row, r) => !same(row[c + 1], theirs[r][c + 1]));
        if (bad >= 0) mismatches.push(`${CASES[c][0]}: row ${bad} sluice ${JSON.stringify(ours[bad][c + 1])} duckdb ${JSON.stringify(theirs[bad][c + 1])}`);
      }
      expect(mismatches).toEqual([]);
      // Every case meets both nulls and values, so no comparison is vacuous.
      const degenerate = CASES.filter((_, c) => new Set(theirs.map((row) => row[c + 1])).size < 2).map(([sql]) => sql);
      expect(degenerate).toEqual([]);
    });
  }
});

/** Equal, with floating results compared to 1e-12 relative (the engines may sum in another order). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}
