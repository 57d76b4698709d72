import { describe, expect, it } from 'vitest';
import { parseExpr } from '../../src/expr/parser.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { SqlSession } from '../../src/sql/SqlSession.js';

/** SQL's calls with keywords between arguments parse to the plain calls they mean (values are checked against DuckDB in test/oracle). */
describe('EXTRACT, TRIM … FROM, POSITION … IN, SUBSTRING … FROM … FOR', () => {
  const col = (name: string) => ({ kind: 'col', name });
  const lit = (value: unknown) => ({ kind: 'lit', value });

  it('parse to date_part, trim/ltrim/rtrim (characters first, as Spark), locate and substring', () => {
    expect(parseExpr('EXTRACT(year FROM ts)')).toEqual({ kind: 'call', fn: 'date_part', args: [lit('YEAR'), col('ts')] });
    expect(parseExpr("trim(BOTH 'xy' FROM s)")).toEqual({ kind: 'call', fn: 'trim', args: [lit('xy'), col('s')] });
    expect(parseExpr('trim(LEADING FROM s)')).toEqual({ kind: 'call', fn: 'ltrim', args: [col('s')] });
    expect(parseExpr("trim(TRAILING '-' FROM s)")).toEqual({ kind: 'call', fn: 'rtrim', args: [lit('-'), col('s')] });
    expect(parseExpr("trim('-' FROM s)")).toEqual({ kind: 'call', fn: 'trim', args: [lit('-'), col('s')] });
    expect(parseExpr('trim(s)')).toEqual({ kind: 'call', fn: 'trim', args: [col('s')] });
    expect(parseExpr("position('a' IN s)")).toEqual({ kind: 'call', fn: 'locate', args: [lit('a'), col('s')] });
    expect(parseExpr("position('a', s, 2)")).toEqual({ kind: 'call', fn: 'position', args: [lit('a'), col('s'), lit(2)] });
    expect(parseExpr('substring(s FROM 2 FOR n + 1)')).toEqual({
      kind: 'call', fn: 'substring', args: [col('s'), lit(2), { kind: 'arith', op: '+', left: col('n'), right: lit(1) }],
    });
    expect(parseExpr('substr(s, 2)')).toEqual({ kind: 'call', fn: 'substr', args: [col('s'), lit(2)] });
  });

  it('point at what is wrong', () => {
    expect(() => parseExpr('EXTRACT(fortnight FROM ts)')).toThrow(/expected a field to extract: YEAR.* at column 9/);
    expect(() => parseExpr('EXTRACT(YEAR ts)')).toThrow(/expected FROM at column 14/);
    expect(() => parseExpr("trim(BOTH 'x' s)")).toThrow(/expected FROM at column 15/);
  });

  it('work in SQL and in withColumns', async () => {
    const df = DataFrame.fromRows([{ s: 'xxhixx', ts: '2024-02-29 13:45:30.25' }, { s: null, ts: null }], { s: 'string', ts: 'timestamp' });
    const session = new SqlSession({ tables: { t: df } });
    const rows = await (await session.sql(`
      SELECT EXTRACT(DAY FROM ts) AS d, extract(second FROM ts) AS sec, trim(BOTH 'x' FROM s) AS b, trim(LEADING 'x' FROM s) AS l,
             position('h' IN s) AS p, substring(s FROM 3 FOR 2) AS sub
      FROM t`)).toRows();
    expect(rows).toEqual([
      { d: 29, sec: 30.25, b: 'hi', l: 'hixx', p: 3, sub: 'hi' },
      { d: null, sec: null, b: null, l: null, p: null, sub: null },
    ]);
    expect(await df.withColumns({ q: 'EXTRACT(QUARTER FROM ts)' }).selectFields(['q']).toRows()).toEqual([{ q: 1 }, { q: null }]);
  });

  it('INTERVAL literals: x ± INTERVAL … is interval_add(x, months, micros); alone or with * they are errors with a column', async () => {
    expect(parseExpr("ts - INTERVAL '1' DAY 2 HOURS")).toEqual({
      kind: 'call', fn: 'interval_add', args: [col('ts'), lit(-0), { kind: 'lit', value: -(86_400_000_000 + 7_200_000_000), type: 'int64' }],
    });
    expect(parseExpr("INTERVAL '1 year 2 months' + d")).toEqual({ kind: 'call', fn: 'interval_add', args: [col('d'), lit(14), { kind: 'lit', value: 0, type: 'int64' }] });
    expect(() => parseExpr('INTERVAL 1 DAY')).toThrow(/expected a date or timestamp to add the INTERVAL to .* at column 1/);
    expect(() => parseExpr('d + 2 * INTERVAL 1 DAY')).toThrow(/INTERVAL can only be added to or subtracted from a date or timestamp.* at column 9/);
    expect(() => parseExpr('d + INTERVAL 1.5 MONTHS')).toThrow(/months and years in whole numbers\) at column 18/);
    expect(() => parseExpr('INTERVAL 1 DAY + INTERVAL 2 DAYS')).toThrow(/a date or timestamp on one side of an INTERVAL at column 18/);
    const session = new SqlSession({ tables: { t: DataFrame.fromRows([{ d: '2024-02-29' }], { d: 'date' }) } });
    const rows = await (await session.sql("SELECT d + INTERVAL 1 YEAR AS y, d - INTERVAL '1 week' AS w, CAST(d + INTERVAL 90 MINUTES AS string) AS m FROM t")).toRows();
    expect(rows.map((r) => ({ y: String((r.y as Date).toISOString()).slice(0, 10), w: (r.w as Date).toISOString().slice(0, 10), m: r.m })))
      .toEqual([{ y: '2025-02-28', w: '2024-02-22', m: '2024-02-29 01:30:00' }]);
  });
});
