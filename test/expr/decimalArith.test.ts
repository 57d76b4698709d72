import { describe, expect, it } from 'vitest';
import type { Decimal, Table } from 'apache-arrow';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { decimalToBigInt } from '../../src/expr/vectors.js';
import { duck } from '../support/duck.js';

/*
 * Decimal arithmetic with Spark's precision rules, exact, against DuckDB. DuckDB's decimal
 * + - * % are exact too (its result types differ: a * b is decimal(p1 + p2, s1 + s2) there,
 * Spark's p1 + p2 + 1), so values are compared as unscaled integers at Spark's scale. DuckDB
 * divides decimals as doubles, so Spark's quotient (half up at the result scale) is computed in
 * DuckDB with HUGEINT integer division; avg likewise (DuckDB's avg of a decimal is a double).
 */

/** Random decimals as text: a decimal(10,2), b decimal(6,3) (never zero but sometimes), i int, with nulls. */
function rows(n: number) {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const digits = (whole: number, frac: number) => {
    const sign = next() < 0.3 ? '-' : '';
    const w = Math.floor(next() * 10 ** whole);
    const f = String(Math.floor(next() * 10 ** frac)).padStart(frac, '0');
    return `${sign}${w}.${f}`;
  };
  return Array.from({ length: n }, (_, k) => ({
    g: `g${k % 5}`,
    a: k % 11 === 0 ? null : digits(8, 2),
    b: k % 13 === 0 ? null : k % 17 === 0 ? '0.000' : digits(3, 3),
    i: k % 7 === 0 ? null : Math.floor(next() * 2000) - 1000,
  }));
}
const data = rows(400);
const schema = { g: 'string', a: 'decimal(10,2)', b: 'decimal(6,3)', i: 'int32' } as const;
const values = data.map((r) => `('${r.g}', ${r.a === null ? 'NULL' : `'${r.a}'`}, ${r.b === null ? 'NULL' : `'${r.b}'`}, ${r.i ?? 'NULL'})`).join(', ');
const duckTable = `(SELECT g, CAST(a AS DECIMAL(10,2)) AS a, CAST(b AS DECIMAL(6,3)) AS b, i FROM (VALUES ${values}) v(g, a, b, i)) t`;

/** The unscaled integers of a decimal column at its own scale, as strings (null for null). */
function unscaled(table: Table, name: string): (string | null)[] {
  const column = table.getChild(name)!;
  const out: (string | null)[] = [];
  for (const chunk of column.data) {
    for (let i = 0; i < chunk.length; i++) out.push(chunk.getValid(i) ? decimalToBigInt(chunk.values as Uint32Array, i).toString() : null);
  }
  return out;
}

/** DuckDB's decimal text as an unscaled integer at `scale` (exact, by moving the point). */
function atScale(text: unknown, scale: number): string | null {
  if (text === null) return null;
  const [whole, frac = ''] = String(text).split('.');
  const digits = whole + frac.padEnd(scale, '0').slice(0, scale);
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) throw new Error(`${text} has more than ${scale} decimals`);
  return BigInt(digits).toString();
}

/** Spark's quotient n / d, half up, as DuckDB HUGEINT arithmetic on unscaled values. */
const halfUp = (n: string, d: string) =>
  `CASE WHEN (${d}) = 0 THEN NULL ELSE sign(${n}) * sign(${d}) * ((2 * abs(${n}) + abs(${d})) // (2 * abs(${d}))) END`;
const A = 'CAST(a * 100 AS HUGEINT)';
const B = 'CAST(b * 1000 AS HUGEINT)';

describe('decimal arithmetic (Spark precision rules, exact)', () => {
  const cases: { expr: string; type: string; duck: string; raw?: boolean }[] = [
    { expr: 'a + b', type: 'Decimal[12e+3]', duck: 'a + b' },
    { expr: 'a - b', type: 'Decimal[12e+3]', duck: 'a - b' },
    { expr: 'a * b', type: 'Decimal[17e+5]', duck: 'a * b' },
    { expr: 'a % b', type: 'Decimal[6e+3]', duck: 'CASE WHEN b = 0 THEN NULL ELSE a % b END' },
    { expr: 'a + i', type: 'Decimal[13e+2]', duck: 'a + i' },
    { expr: 'i * b', type: 'Decimal[17e+3]', duck: 'i * b' },
    { expr: '-a', type: 'Decimal[10e+2]', duck: '-a' },
    // the literal 2 is decimal(1,0) here (Spark's pickMinimumPrecision): (10,2) * (1,0) = (12,2); - (6,3) = (14,3)
    { expr: 'a * 2 - b', type: 'Decimal[14e+3]', duck: 'a * 2 - b' },
    // CASE and COALESCE of decimals (or a decimal and an integer) widen to the decimal holding both (Spark's widerDecimalType)
    { expr: 'coalesce(a, 0)', type: 'Decimal[12e+2]', duck: 'coalesce(a, 0)' },
    { expr: 'CASE WHEN i > 0 THEN a ELSE b END', type: 'Decimal[11e+3]', duck: 'CASE WHEN i > 0 THEN a ELSE b END' },
    { expr: 'nvl(b, i)', type: 'Decimal[13e+3]', duck: 'coalesce(b, i)' },
    // casts to a smaller scale round half up (Spark's changePrecision), to an integer truncate
    { expr: 'CAST(a AS DECIMAL(9,0))', type: 'Decimal[9e0]', duck: 'CAST(a AS DECIMAL(9,0))' },
    { expr: 'CAST(b AS DECIMAL(5,1))', type: 'Decimal[5e+1]', duck: 'CAST(b AS DECIMAL(5,1))' },
    // decimal(10,2) / decimal(6,3): scale max(6, 2 + 6 + 1) = 9, precision 10 - 2 + 3 + 9 = 20
    { expr: 'a / b', type: 'Decimal[20e+9]', duck: halfUp(`${A} * 10000000000`, B), raw: true },
    // int / decimal: the int is decimal(10,0); scale max(6, 0 + 6 + 1) = 7, precision 10 + 3 + 7 = 20
    { expr: 'i / b', type: 'Decimal[20e+7]', duck: halfUp('CAST(i AS HUGEINT) * 10000000000', B), raw: true },
    // decimal / int: scale max(6, 2 + 10 + 1) = 13, precision 10 - 2 + 0 + 13 = 21
    { expr: 'a / i', type: 'Decimal[21e+13]', duck: halfUp(`${A} * 10000000000000`, "CAST(i AS HUGEINT) * 100"), raw: true },
  ];

  it('types and values agree with DuckDB (division: Spark\'s half-up quotient)', async () => {
    const df = DataFrame.fromRows(data, schema).withColumns(Object.fromEntries(cases.map((c, k) => [`e${k}`, c.expr])));
    const table = await df.toArrow();
    const theirs = await duck(`SELECT ${cases.map((c, k) => `CAST(${c.duck} AS VARCHAR) AS e${k}`).join(', ')} FROM ${duckTable}`);
    cases.forEach((c, k) => {
      const field = table.schema.fields.find((f) => f.name === `e${k}`)!;
      expect(`${c.expr}: ${field.type}`).toBe(`${c.expr}: ${c.type}`);
      const scale = (field.type as Decimal).scale;
      const expected = theirs.map((row) => (c.raw ? (row[`e${k}`] === null ? null : BigInt(row[`e${k}`] as string).toString()) : atScale(row[`e${k}`], scale)));
      expect(unscaled(table, `e${k}`), c.expr).toEqual(expected);
    });
    // Nulls from null inputs and from division by zero are both there.
    expect(unscaled(table, 'e13').filter((v) => v === null).length).toBeGreaterThan(data.filter((r) => r.a === null || r.b === null).length);
  });

  it('past 38 digits keep the integer digits and give up scale down to 6; an overflowing result is null', async () => {
    const df = DataFrame.fromRows([{ x: '12345678901234567890.1234567891', y: '3.0000000001' }, { x: '99999999999999999999999999.999', y: '99999999999999999999999999.999' }], { x: 'decimal(38,10)', y: 'decimal(38,10)' })
      .withColumns({ m: 'x * y', d: 'x / y', s: 'x + y' });
    const table = await df.toArrow();
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    // x * y: precision 77, scale 20 → decimal(38, 6); x / y: scale max(6, 10 + 38 + 1) = 49, precision 77 → (38, 6); x + y: (39, 10) → (38, 9)
    expect(types).toMatchObject({ m: 'Decimal[38e+6]', d: 'Decimal[38e+6]', s: 'Decimal[38e+9]' });
    // The exact product at scale 20, half up to 6 places; the second row's product needs 53 integer digits: null.
    const [x, y] = [12345678901234567890_1234567891n, 3_0000000001n];
    const halfUpTo = (v: bigint, drop: number) => (v * 2n + 10n ** BigInt(drop)) / (2n * 10n ** BigInt(drop));
    expect(unscaled(table, 'm')).toEqual([halfUpTo(x * y, 14).toString(), null]);
    // 12345678901234567890.1234567891 / 3.0000000001 = 4115226299040001303.7… to 6 places, half up
    const exact = (x * 10n ** 6n * 2n + y) / (2n * y);
    expect(unscaled(table, 'd')).toEqual([exact.toString(), '1000000']);
    expect(unscaled(table, 's')).toEqual([halfUpTo(x + y, 1).toString(), '199999999999999999999999999998000000']);
  });

  it('sum and avg of decimals: decimal(p + 10, s) and an exact decimal(p + 4, s + 4), merged across splits', async () => {
    const session = new SqlSession({ tables: { t: DataFrame.fromRows(data, schema) } });
    const df = await session.sql('SELECT g, sum(a) AS s, avg(a) AS m, avg(b) AS mb FROM t GROUP BY g ORDER BY g');
    const table = await df.toArrow();
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(['g: Utf8', 's: Decimal[20e+2]', 'm: Decimal[14e+6]', 'mb: Decimal[10e+7]']);
    const theirs = await duck(`SELECT g, CAST(sum(a) AS VARCHAR) AS s,
      CAST(${halfUp('sum(CAST(a * 100 AS HUGEINT)) * 10000', 'count(a)')} AS VARCHAR) AS m,
      CAST(${halfUp('sum(CAST(b * 1000 AS HUGEINT)) * 10000', 'count(b)')} AS VARCHAR) AS mb FROM ${duckTable} GROUP BY g ORDER BY g`);
    expect(unscaled(table, 's')).toEqual(theirs.map((r) => atScale(r.s, 2)));
    expect(unscaled(table, 'm')).toEqual(theirs.map((r) => r.m));
    expect(unscaled(table, 'mb')).toEqual(theirs.map((r) => r.mb));
  });

  it('comparisons with decimals are exact: against DuckDB, and past the 16 digits a double holds', async () => {
    const tests = ['a < b', 'a >= b', 'a = b', 'a * 1 = a', 'b * 1000 > i', 'i <= a', 'a + b = b + a', "a > CAST('100.5' AS DECIMAL(5,1))"];
    const df = DataFrame.fromRows(data, schema).withColumns(Object.fromEntries(tests.map((t, k) => [`c${k}`, t])));
    const ours = (await df.toRows()).map((r) => tests.map((_, k) => r[`c${k}`]));
    const theirs = (await duck(`SELECT ${tests.map((t, k) => `${t} AS c${k}`).join(', ')} FROM ${duckTable}`)).map((r) => tests.map((_, k) => r[`c${k}`]));
    expect(ours).toEqual(theirs);
    const wide = DataFrame.fromRows([{ x: '12345678901234567890.1234567891', y: '12345678901234567890.1234567892' }], { x: 'decimal(38,10)', y: 'decimal(38,10)' });
    expect(await wide.withColumns({ eq: 'x = y', lt: 'x < y', ge: 'x >= y', ne: 'x <> y' }).selectFields(['eq', 'lt', 'ge', 'ne']).toRows()).toEqual([{ eq: false, lt: true, ge: false, ne: true }]);
  });
});

