import { describe, expect, it } from 'vitest';
import { Bool, DateDay, Decimal, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Schema, Struct, TimestampMillisecond, Utf8, vectorFromArray, makeData } from 'apache-arrow';
import { evaluate, expr, inferType } from '../../src/expr/index.js';
import { batchOf } from './helpers.js';

const schema = new Schema([
  new Field('i', new Int32()), new Field('s16', new Int16()), new Field('l', new Int64()), new Field('f', new Float64()),
  new Field('f32', new Float32()), new Field('dec', new Decimal(2, 10, 128)), new Field('s', new Utf8()),
  new Field('c', new Dictionary(new Utf8(), new Int32())), new Field('b', new Bool()), new Field('d', new DateDay()),
  new Field('ts', new TimestampMillisecond()),
  new Field('addr', new Struct([new Field('city', new Utf8()), new Field('zip', new Int32())])),
]);
const typeOf = (sql: string) => String(inferType(expr(sql).node, schema));

describe('inferType', () => {
  it.each([
    ['i + i', 'Int32'], ['i + s16', 'Int32'], ['i * l', 'Int64'], ['i + f', 'Float64'], ['i / i', 'Float64'],
    ['l % 2', 'Int64'], ['f32 + 1', 'Float64'], ['dec + 1', 'Decimal[11e+2]'], ['dec * 1.5', 'Float64'], ['-dec', 'Decimal[10e+2]'], ['-i', 'Int32'], ['i > 1', 'Bool'],
    ["c = 'DE'", 'Bool'], ['s IS NULL', 'Bool'], ['year(ts)', 'Int32'], ['month(d)', 'Int32'],
    ["date_trunc('day', ts)", 'Timestamp<MILLISECOND>'], ["date_trunc('day', d)", 'Timestamp<MICROSECOND, UTC>'],
    ['to_date(s)', 'Date32<DAY>'], ["to_timestamp(s, 'yyyy')", 'Timestamp<MICROSECOND, UTC>'], ['date_add(d, 1)', 'Date32<DAY>'],
    ['datediff(d, ts)', 'Int32'], ['lower(c)', 'Utf8'], ['length(s)', 'Int32'], ["split(s, ',')", 'List<Utf8>'],
    ['coalesce(i, l)', 'Int64'], ['coalesce(s, c)', 'Utf8'], ["CASE WHEN b THEN i ELSE 1.5 END", 'Float64'],
    ['CAST(s AS decimal(12,3))', 'Decimal[12e+3]'], ['addr.city', 'Utf8'], ['addr.zip + 1', 'Int32'],
    ['NULL', 'Null'], ['i + NULL', 'Int32'], ["DATE '2024-01-01'", 'Date32<DAY>'],
  ])('%s → %s', (sql, type) => {
    expect(typeOf(sql)).toBe(type);
  });

  it('explains unknown columns with the available ones', () => {
    expect(() => typeOf('amount > 1')).toThrow("unknown column 'amount'; available columns: i, s16, l, f, f32, dec, s, c, b, d, ts, addr");
    expect(() => typeOf('addr.street')).toThrow("struct addr has no field 'street'; its fields: city, zip");
  });

  it('reports type errors with the expression', () => {
    expect(() => typeOf('b + 1')).toThrow("'+' needs numbers, got bool and int32 in: (b + 1)");
    expect(typeOf('s + 1').toString()).toBe('Float64');
    expect(() => typeOf('i AND b')).toThrow('AND needs booleans, got int32 from i in: (i AND b)');
    expect(() => typeOf('year(i)')).toThrow('year: argument 1 must be a date or timestamp, got int32');
    expect(() => typeOf("CASE WHEN b THEN d ELSE 1 END")).toThrow(/incompatible types date and int32/);
  });

  it('agrees with the type evaluate produces', () => {
    const batch = batchOf({
      i: [[1, 2], new Int32()], l: vectorFromArray([1n, 2n], new Int64()), f: [[1.5, null], new Float64()],
      s: [['a,b', 'c'], new Utf8()], c: [['x', 'y'], new Dictionary(new Utf8(), new Int32())],
      d: [[new Date(0), new Date(86400000)], new DateDay()], ts: [[new Date(0), null], new TimestampMillisecond()],
      b: [[true, null], new Bool()],
    });
    const logical = (t: string) => t.replace('Dictionary<Int32, Utf8>', 'Utf8');
    for (const sql of ['i + i', 'i * l', 'i / i', 'f + i', 'year(ts)', "date_trunc('month', d)", 'coalesce(c, s)',
      "CASE WHEN b THEN i ELSE 1.5 END", "split(s, ',')", 'upper(c)', 'datediff(d, ts)', 'CAST(f AS decimal(5,1))', 'l % 2']) {
      const node = expr(sql).node;
      expect(logical(String(evaluate(node, batch).type)), sql).toBe(logical(String(inferType(node, batch.schema))));
    }
  });

  it('reads struct fields, nulling children of null structs', () => {
    const city = vectorFromArray(['Berlin', 'Paris', 'Rome'], new Utf8()).data[0];
    const type = new Struct([new Field('city', new Utf8())]);
    const addr = makeData({ type, length: 3, nullCount: 1, nullBitmap: Uint8Array.of(0b101), children: [city] });
    const batch = batchOf({ addr });
    expect([...evaluate(expr('addr.city').node, batch)]).toEqual(['Berlin', null, 'Rome']);
    expect([...evaluate(expr("upper(addr.city)").node, batch.slice(1, 3))]).toEqual([null, 'ROME']);
  });
});
