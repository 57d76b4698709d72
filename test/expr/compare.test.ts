import { describe, expect, it } from 'vitest';
import { Dictionary, Float64, Int32, Int64, Utf8, vectorFromArray, DateDay, TimestampMillisecond } from 'apache-arrow';
import { evaluatePredicate, expr } from '../../src/expr/index.js';
import { batchOf, run } from './helpers.js';

describe('comparisons', () => {
  const batch = batchOf({
    x: [[1, 5, null, 10], new Int32()],
    y: [[1.5, 5, 3, null], new Float64()],
    s: [['apple', 'Banana', null, 'cherry'], new Utf8()],
  });

  it('compare numbers of mixed widths, with nulls giving null', () => {
    expect(run('x > 4', batch)).toEqual([false, true, null, true]);
    expect(run('4 < x', batch)).toEqual([false, true, null, true]);
    expect(run('x >= y', batch)).toEqual([false, true, null, null]);
    expect(run('x = 5.0', batch)).toEqual([false, true, null, false]);
    expect(run('x <> 5', batch)).toEqual([true, false, null, true]);
    expect(run('x = NULL', batch)).toEqual([null, null, null, null]);
  });

  it('compare strings by UTF-8 byte order', () => {
    expect(run("s = 'apple'", batch)).toEqual([true, false, null, false]);
    expect(run("s < 'b'", batch)).toEqual([true, true, null, false]);
    expect(run("s >= 'Banana'", batch)).toEqual([true, true, null, true]);
    expect(run('s = s', batch)).toEqual([true, true, null, true]);
  });

  it('IN and BETWEEN with SQL null rules', () => {
    expect(run('x IN (1, 10)', batch)).toEqual([true, false, null, true]);
    expect(run('x NOT IN (1, 10)', batch)).toEqual([false, true, null, false]);
    expect(run('x IN (1, NULL)', batch)).toEqual([true, null, null, null]);
    expect(run('x NOT IN (1, NULL)', batch)).toEqual([false, null, null, null]);
    expect(run('x IN (y, 10)', batch)).toEqual([false, true, null, true]);
    expect(run('x BETWEEN 2 AND 10', batch)).toEqual([false, true, null, true]);
    expect(run('x NOT BETWEEN 2 AND 9', batch)).toEqual([true, false, null, true]);
  });

  it('dictionary columns: equality and IN through the dictionary, with null rows', () => {
    const dict = batchOf({ country: [['DE', 'FR', null, 'DE', 'US'], new Dictionary(new Utf8(), new Int32())] });
    expect(run("country = 'DE'", dict)).toEqual([true, false, null, true, false]);
    expect(run("country <> 'DE'", dict)).toEqual([false, true, null, false, true]);
    expect(run("country IN ('FR', 'US')", dict)).toEqual([false, true, null, false, true]);
    expect(run("'DE' = country", dict)).toEqual([true, false, null, true, false]);
    expect(run("country > 'E'", dict)).toEqual([false, true, null, false, true]);
    // More than 8 rows to cover the packed path of the index mapping.
    const many = Array.from({ length: 21 }, (_, i) => (i % 3 === 0 ? 'DE' : i % 3 === 1 ? 'FR' : null));
    const big = batchOf({ country: [many, new Dictionary(new Utf8(), new Int32())] });
    expect([...evaluatePredicate(expr("country = 'DE'").node, big)]).toEqual(many.map((c) => (c === 'DE' ? 1 : 0)));
  });

  it('int64 compares exactly beyond 2^53', () => {
    const big = batchOf({ id: vectorFromArray([9007199254740993n, 9007199254740992n, -5n, null], new Int64()) });
    expect(run('id = 9007199254740993', big)).toEqual([true, false, false, null]);
    expect(run('id > 9007199254740992', big)).toEqual([true, false, false, null]);
    expect(run('id < 0', big)).toEqual([false, false, true, null]);
    expect(run('id > 1.5', big)).toEqual([true, true, false, null]);
  });

  it('dates and timestamps compare with each other and with string literals', () => {
    const t = batchOf({
      d: [[new Date('2024-01-01'), new Date('2024-03-01'), null], new DateDay()],
      ts: [[new Date('2024-01-01T12:00:00Z'), new Date('2023-12-31T00:00:00Z'), new Date(0)], new TimestampMillisecond()],
    });
    expect(run("d >= DATE '2024-02-01'", t)).toEqual([false, true, null]);
    expect(run("d = '2024-01-01'", t)).toEqual([true, false, null]);
    expect(run('ts > d', t)).toEqual([true, false, null]);
    expect(run("ts < TIMESTAMP '2024-01-01 00:00:00'", t)).toEqual([false, true, true]);
    expect(run("ts BETWEEN '2023-12-31' AND '2024-01-01 12:00:00'", t)).toEqual([true, true, false]);
  });

  it('rejects comparisons Spark would reject', () => {
    expect(() => run("x > DATE '2024-01-01'", batch)).toThrow(/cannot compare int32 with date/);
  });
});
