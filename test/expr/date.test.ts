import { describe, expect, it } from 'vitest';
import { DateDay, TimestampMicrosecond, TimestampMillisecond, Utf8, vectorFromArray, Int64, makeData } from 'apache-arrow';
import { evaluate, expr, year, col } from '../../src/expr/index.js';
import { batchOf, rows, run } from './helpers.js';

const ms = (iso: string) => Date.parse(iso);

describe('date and time functions', () => {
  const batch = batchOf({
    ts: [[new Date('2024-12-31T23:59:59Z'), new Date(-1), null, new Date('1900-03-01T05:00:00Z'), new Date('2400-02-29T12:00:00Z')], new TimestampMillisecond()],
    d: [[new Date('2024-02-29'), new Date('1969-12-31'), new Date('1970-01-01'), null, new Date('0001-01-01T00:00:00Z')], new DateDay()],
  });

  it('year/month/day/hour of millisecond timestamps, including before 1970 and outside the fast table', () => {
    expect(run('year(ts)', batch)).toEqual([2024, 1969, null, 1900, 2400]);
    expect(run('month(ts)', batch)).toEqual([12, 12, null, 3, 2]);
    expect(run('day(ts)', batch)).toEqual([31, 31, null, 1, 29]);
    expect(run('hour(ts)', batch)).toEqual([23, 23, null, 5, 12]);
  });

  it('year/month/day of dates', () => {
    expect(run('year(d)', batch)).toEqual([2024, 1969, 1970, null, 1]);
    expect(run('month(d)', batch)).toEqual([2, 12, 1, null, 1]);
    expect(run('dayofmonth(d)', batch)).toEqual([29, 31, 1, null, 1]);
    expect(run('hour(d)', batch)).toEqual([0, 0, 0, null, 0]);
  });

  it('every day of 1899..2401 agrees with Date.UTC', () => {
    const days: number[] = [];
    for (let t = Date.UTC(1899, 0, 1); t <= Date.UTC(2401, 11, 31); t += 86_400_000) days.push(t / 86_400_000);
    expect(days).toHaveLength(183_717); // 503 years, 122 of them leap years (1900, 2100, 2200, 2300 are not; 2000, 2400 are)
    const data = makeData({ type: new DateDay(), length: days.length, data: Int32Array.from(days) });
    const b = batchOf({ d: data });
    const expectDates = days.map((day) => new Date(day * 86_400_000));
    expect(run('year(d)', b)).toEqual(expectDates.map((x) => x.getUTCFullYear()));
    expect(run('month(d)', b)).toEqual(expectDates.map((x) => x.getUTCMonth() + 1));
    expect(run('day(d)', b)).toEqual(expectDates.map((x) => x.getUTCDate()));
  });

  it('microsecond timestamps', () => {
    const us = batchOf({ t: makeData({ type: new TimestampMicrosecond('UTC'), length: 2, data: BigInt64Array.from([1735689599999999n, -1n]) }) });
    expect(rows(evaluate(year(col('t')).node, us))).toEqual([2024, 1969]);
    expect(run('hour(t)', us)).toEqual([23, 23]);
  });

  it('date_trunc to year, quarter, month, week (Monday), day, hour', () => {
    const t = batchOf({ ts: [[new Date('2024-05-15T13:45:30Z'), null], new TimestampMillisecond()] });
    expect(run("date_trunc('year', ts)", t)).toEqual([ms('2024-01-01T00:00:00Z'), null]);
    expect(run("date_trunc('quarter', ts)", t)).toEqual([ms('2024-04-01T00:00:00Z'), null]);
    expect(run("date_trunc('MONTH', ts)", t)).toEqual([ms('2024-05-01T00:00:00Z'), null]);
    expect(run("date_trunc('week', ts)", t)).toEqual([ms('2024-05-13T00:00:00Z'), null]);
    expect(run("date_trunc('day', ts)", t)).toEqual([ms('2024-05-15T00:00:00Z'), null]);
    expect(run("date_trunc('hour', ts)", t)).toEqual([ms('2024-05-15T13:00:00Z'), null]);
    expect(String(evaluate(expr("date_trunc('day', ts)").node, t).type)).toBe('Timestamp<MILLISECOND>');
  });

  it('to_date and to_timestamp, with and without a format; bad text becomes null', () => {
    const s = batchOf({ s: [['2024-03-05', '05/03/2024 14:30', 'garbage', null], new Utf8()] });
    expect(run('to_date(s)', s)).toEqual([ms('2024-03-05'), null, null, null]);
    expect(run("to_timestamp(s, 'dd/MM/yyyy HH:mm')", s).map((v) => (v === null ? null : Number(v)))).toEqual([null, ms('2024-03-05T14:30:00Z'), null, null]);
    expect(run("to_date(s, 'dd/MM/yyyy HH:mm')", s)).toEqual([null, ms('2024-03-05'), null, null]);
    const evaluated = evaluate(expr("to_timestamp('2024-01-02 03:04:05.123456')").node, s);
    expect(String(evaluated.type)).toBe('Timestamp<MICROSECOND, UTC>');
    expect(evaluated.data[0].values[0]).toBe(1704164645123456n);
  });

  it('date_add, date_sub and datediff', () => {
    expect(run('date_add(d, 1)', batch)).toEqual([ms('2024-03-01'), ms('1970-01-01'), ms('1970-01-02'), null, ms('0001-01-02T00:00:00Z')]);
    expect(run('date_sub(d, 365)', batch).slice(0, 1)).toEqual([ms('2023-03-01')]);
    expect(run("datediff(d, DATE '1970-01-01')", batch)).toEqual([19782, -1, 0, null, -719162]);
    expect(run("datediff('2024-03-01', ts)", batch)).toEqual([-305, 19784, null, 45291, -137330]);
  });

  it('int64 epoch columns are not dates', () => {
    const b = batchOf({ n: vectorFromArray([1n], new Int64()) });
    expect(() => run('year(n)', b)).toThrow(/year: argument 1 must be a date or timestamp, got int64|year needs a date or timestamp, got int64/);
  });
});
