import { describe, expect, it } from 'vitest';
import { Dictionary, Field, Int32, List, Schema, Struct, Utf8, makeVector, vectorFromArray, type Data } from 'apache-arrow';
import { filterBatch, makeBatch, maskToIndices, takeData } from '../../src/columns/take.js';
import { columnFromValues, inferTypeOfValues } from '../../src/columns/fromValues.js';
import { columnValues } from '../../src/columns/toValues.js';
import { utf8FromStrings } from '../../src/columns/utf8.js';
import { parseType, typeName } from '../../src/types/typeNames.js';

const data = (values: unknown[], type: string): Data => columnFromValues(parseType(type), values);
const take = (d: Data, idx: number[]) => columnValues(takeData(d, Int32Array.from(idx)));

describe('column kernels', () => {
  it('takes rows of every physical layout, nulls included', () => {
    expect(take(data([1, null, 3], 'int32'), [2, 1, 0, 2])).toEqual([3, null, 1, 3]);
    expect(take(data([1n, null, 9007199254740993n], 'int64'), [2, 0])).toEqual([9007199254740993n, 1]);
    expect(take(data([1.5, null], 'float64'), [1, 0])).toEqual([null, 1.5]);
    expect(take(data([true, false, null], 'bool'), [1, 2, 0])).toEqual([false, null, true]);
    expect(take(data(['é', null, '中文', ''], 'string'), [3, 2, 1, 0])).toEqual(['', '中文', null, 'é']);
    expect(take(data(['2024-03-01', null], 'date'), [0, 1])).toEqual([new Date('2024-03-01T00:00:00Z'), null]);
    expect(take(data(['2024-03-01T10:11:12Z'], 'timestamp'), [0, 0])).toEqual([new Date('2024-03-01T10:11:12Z'), new Date('2024-03-01T10:11:12Z')]);
    expect(take(data(['12.34', null, -0.5], 'decimal(10,2)'), [2, 0, 1])).toEqual([-0.5, 12.34, null]);
    expect(take(data([{ a: 1, b: 'x' }, null, { a: null, b: 'z' }], 'struct<a:int32,b:string>'), [2, 1, 0])).toEqual([{ a: null, b: 'z' }, null, { a: 1, b: 'x' }]);
    expect(take(data([[1, 2], null, [], [3]], 'array<int32>'), [3, 0, 1, 2])).toEqual([[3], [1, 2], null, []]);
  });

  it('respects slice offsets of Arrow data (bitmaps are not sliced, values are)', () => {
    const v = vectorFromArray([1, null, 3, 4, null, 6, 7, 8, 9], new Int32()).slice(3, 8);
    expect(take(v.data[0] as Data, [0, 1, 2, 3, 4])).toEqual([4, null, 6, 7, 8]);
    const s = vectorFromArray(['a', null, 'ccc', 'dd'], new Utf8()).slice(1, 4);
    expect(take(s.data[0] as Data, [2, 1, 0])).toEqual(['dd', 'ccc', null]);
  });

  it('takes dictionary-encoded strings by their keys', () => {
    const dict = vectorFromArray(['DE', 'FR', 'DE', null, 'FR'], new Dictionary(new Utf8(), new Int32()));
    const out = takeData(dict.data[0] as Data, Int32Array.from([4, 3, 0]));
    expect(out.type.typeId).toBe(dict.type.typeId);
    expect(columnValues(out)).toEqual(['FR', null, 'DE']);
  });

  it('filters a batch by a mask and keeps the batch when every row passes', () => {
    const schema = new Schema([new Field('a', new Int32(), true), new Field('s', new Utf8(), true)]);
    const batch = makeBatch(schema, [data([1, 2, 3], 'int32'), data(['x', null, 'z'], 'string')], 3);
    const kept = filterBatch(batch, Uint8Array.from([1, 0, 1]));
    expect(kept.numRows).toBe(2);
    expect(columnValues(kept.data.children[1] as Data)).toEqual(['x', 'z']);
    expect(filterBatch(batch, Uint8Array.from([1, 1, 1]))).toBe(batch);
    expect([...maskToIndices(Uint8Array.from([0, 1, 0, 1]))]).toEqual([1, 3]);
  });

  it('builds UTF-8 columns that Arrow reads back', () => {
    const d = utf8FromStrings(['a', null, 'héllo', '😀']);
    expect([...makeVector(d)]).toEqual(['a', null, 'héllo', '😀']);
  });

  it('infers types from JS values', () => {
    expect(typeName(inferTypeOfValues([1, 2, null]))).toBe('int32');
    expect(typeName(inferTypeOfValues([1, 2.5]))).toBe('float64');
    expect(typeName(inferTypeOfValues([1, 2 ** 40]))).toBe('int64');
    expect(typeName(inferTypeOfValues(['a', 1]))).toBe('string');
    expect(typeName(inferTypeOfValues([new Date(0)]))).toBe('timestamp');
    expect(typeName(inferTypeOfValues([{ a: 1, b: [true] }]))).toBe('struct<a:int32,b:array<bool>>');
    expect(typeName(inferTypeOfValues([null]))).toBe('null');
  });
});

describe('type names', () => {
  it('parses the Glue, Spark and Arrow spellings and prints canonical names', () => {
    for (const [name, canonical] of [
      ['int', 'int32'], ['integer', 'int32'], ['long', 'int64'], ['bigint', 'int64'], ['double', 'float64'],
      ['string', 'string'], ['boolean', 'bool'], ['date', 'date'], ['timestamp', 'timestamp'], ['timestamp(ms)', 'timestamp(ms)'],
      ['decimal(10,2)', 'decimal(10,2)'], ['DECIMAL', 'decimal(10,0)'], ['array<string>', 'array<string>'],
      ['struct<a:int,b:struct<c:string>>', 'struct<a:int32,b:struct<c:string>>'],
    ]) expect(typeName(parseType(name)), name).toBe(canonical);
  });

  it('rejects unknown types with the list of known ones', () => {
    expect(() => parseType('integr')).toThrow(/unknown type 'integr': use one of bool, int32/);
    expect(() => parseType('decimal(50,2)')).toThrow(/precision must be 1..38/);
  });

  it('keeps list and struct children typed', () => {
    const t = parseType('array<struct<x:double>>') as List;
    expect(((t.valueType as Struct).children[0]).name).toBe('x');
  });
});

describe('concat', () => {
  it('joins chunks exactly, ignoring the padding builders leave past the length', async () => {
    const { concatData } = await import('../../src/columns/concat.js');
    const a = vectorFromArray([0, 1, 2], new Int32()).data[0] as Data;
    const b = vectorFromArray([3, null], new Int32()).data[0] as Data;
    expect((a.values as Int32Array).length).toBeGreaterThan(3); // the padding this guards against
    expect(columnValues(concatData([a, b]))).toEqual([0, 1, 2, 3, null]);
    const s = concatData([data(['x', null], 'string'), data(['é'], 'string')]);
    expect(columnValues(s)).toEqual(['x', null, 'é']);
  });
});
