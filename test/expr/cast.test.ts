import { describe, expect, it } from 'vitest';
import { Bool, DateDay, Decimal, Float64, Int32, Int64, TimestampMillisecond, Utf8, vectorFromArray, Dictionary } from 'apache-arrow';
import { castVector, evaluate, expr } from '../../src/expr/index.js';
import { batchOf, rows, run } from './helpers.js';

const strings = (values: (string | null)[]) => vectorFromArray(values, new Utf8());

describe('castVector', () => {
  it('string → int32 with failures reported by row and value', () => {
    const { vector, failures } = castVector(strings([' 42 ', '-7', '3.9', 'abc', null, '99999999999', '']), 'int');
    expect(String(vector.type)).toBe('Int32');
    expect([...vector]).toEqual([42, -7, 3, null, null, null, null]);
    expect(failures).toEqual([{ row: 3, value: 'abc' }, { row: 5, value: '99999999999' }, { row: 6, value: '' }]);
  });

  it('string → bigint keeps 64-bit precision', () => {
    const { vector, failures } = castVector(strings(['9223372036854775807', '-1', '9223372036854775808']), new Int64());
    expect([...vector]).toEqual([9223372036854775807n, -1n, null]);
    expect(failures).toEqual([{ row: 2, value: '9223372036854775808' }]);
  });

  it('string → double, boolean', () => {
    expect([...castVector(strings(['1.5', '1e3', 'NaN', 'x', '-Infinity']), 'double').vector]).toEqual([1.5, 1000, NaN, null, -Infinity]);
    const b = castVector(strings(['true', 'F', 'yes', '0', 'maybe']), 'boolean');
    expect([...b.vector]).toEqual([true, false, true, false, null]);
    expect(b.failures).toEqual([{ row: 4, value: 'maybe' }]);
  });

  it('string → date and timestamp (UTC, optional offset)', () => {
    const d = castVector(strings(['2024-02-29', '2023-02-29', '2024-1-5', '2024-03-01T10:00:00']), 'date');
    expect([...d.vector]).toEqual([Date.UTC(2024, 1, 29), null, Date.UTC(2024, 0, 5), Date.UTC(2024, 2, 1)]);
    expect(d.failures).toEqual([{ row: 1, value: '2023-02-29' }]);
    const t = castVector(strings(['2024-01-01 10:00:00', '2024-01-01T10:00:00.5+02:00', '2024-01-01', 'noon']), 'timestamp');
    expect(String(t.vector.type)).toBe('Timestamp<MICROSECOND, UTC>');
    expect([...t.vector.data[0].values as BigInt64Array].slice(0, 3)).toEqual([1704103200000000n, 1704096000500000n, 1704067200000000n]);
    expect(t.failures).toEqual([{ row: 3, value: 'noon' }]);
  });

  it('string → decimal exactly, rounding half up, overflow fails', () => {
    const { vector, failures } = castVector(strings(['123.456', '-0.005', '99999.99', '100000', '1e2']), 'decimal(7,2)');
    const back = castVector(vector, 'string');
    expect([...back.vector]).toEqual(['123.46', '-0.01', '99999.99', null, '100.00']);
    expect(failures).toEqual([{ row: 3, value: '100000' }]);
  });

  it('numeric ↔ numeric and decimal', () => {
    expect([...castVector(vectorFromArray([1.9, -1.9, 3e10, null], new Float64()), 'int').vector]).toEqual([1, -1, null, null]);
    expect(castVector(vectorFromArray([3e10], new Float64()), 'int').failures).toEqual([{ row: 0, value: '30000000000' }]);
    expect([...castVector(vectorFromArray([1, -2, null], new Int32()), 'bigint').vector]).toEqual([1n, -2n, null]);
    expect([...castVector(vectorFromArray([1, -2, null], new Int32()), 'double').vector]).toEqual([1, -2, null]);
    const dec = castVector(vectorFromArray([1.005, -2.5, 123456], new Float64()), new Decimal(2, 6, 128));
    expect([...castVector(dec.vector, 'string').vector]).toEqual(['1.01', '-2.50', null]);
    expect(dec.failures).toEqual([{ row: 2, value: '123456' }]);
    const asDouble = castVector(dec.vector, 'double');
    expect([...asDouble.vector]).toEqual([1.01, -2.5, null]);
    const rescaled = castVector(dec.vector, 'decimal(10,1)');
    expect([...castVector(rescaled.vector, 'string').vector]).toEqual(['1.0', '-2.5', null]);
    expect([...castVector(vectorFromArray([true, false, null], new Bool()), 'int').vector]).toEqual([1, 0, null]);
  });

  it('anything → string, Spark formatting', () => {
    expect([...castVector(vectorFromArray([1, 1.5, 1e7, 0.0001, null], new Float64()), 'string').vector])
      .toEqual(['1.0', '1.5', '1.0E7', '1.0E-4', null]);
    expect([...castVector(vectorFromArray([new Date('2024-01-02T03:04:05.250Z')], new TimestampMillisecond()), 'string').vector])
      .toEqual(['2024-01-02 03:04:05.25']);
    expect([...castVector(vectorFromArray([new Date('2024-01-02')], new DateDay()), 'string').vector]).toEqual(['2024-01-02']);
    expect([...castVector(vectorFromArray([true, null], new Bool()), 'string').vector]).toEqual(['true', null]);
    const dict = castVector(vectorFromArray(['a', 'b', 'a'], new Dictionary(new Utf8(), new Int32())), 'string');
    expect(String(dict.vector.type)).toBe('Utf8');
    expect([...dict.vector]).toEqual(['a', 'b', 'a']);
  });

  it('date ↔ timestamp', () => {
    const ts = castVector(vectorFromArray([new Date('2024-05-15T13:45:30Z'), new Date(-1)], new TimestampMillisecond()), 'date');
    expect([...ts.vector]).toEqual([Date.UTC(2024, 4, 15), Date.UTC(1969, 11, 31)]);
    const back = castVector(ts.vector, 'timestamp(ms)');
    expect([...back.vector]).toEqual([Date.UTC(2024, 4, 15), Date.UTC(1969, 11, 31)]);
  });

  it('refuses casts Spark refuses', () => {
    expect(() => castVector(vectorFromArray([new Date(0)], new DateDay()), 'int')).toThrow('cannot cast date to int32');
  });
});

describe('CAST in expressions', () => {
  const batch = batchOf({ s: [['12', 'x', null], new Utf8()], n: [[1, 2, 3], new Int32()] });
  it('failed values become null (Spark non-ANSI)', () => {
    expect(run('CAST(s AS int) + n', batch)).toEqual([13, null, null]);
    expect(run('CAST(n AS string) || s', batch)).toEqual(['112', '2x', null]);
    expect(rows(evaluate(expr("CAST('2024-01-01' AS date)").node, batch))).toEqual(Array(3).fill(Date.UTC(2024, 0, 1)));
  });
});
