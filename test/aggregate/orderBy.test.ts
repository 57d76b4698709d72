import { Bool, DateDay, Decimal, Field, Float64, Int32, Int64, Struct, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { orderByKernel, type OrderByParams } from '../../transforms/OrderBy.js';
import { batchOf, dictionaryColumn, random, runKernel, splitAt } from './kernelHarness.js';

const sortBy = (keys: OrderByParams['keys']) => ({ keys });

describe('OrderBy', () => {
  const people = batchOf({
    name: [new Utf8(), ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus']],
    dept: [new Utf8(), ['ops', 'dev', null, 'dev', 'ops', null, 'dev']],
    age: [new Int32(), [30, 25, null, 25, 41, 30, null]],
  });

  it('is stable: equal keys keep their input order, across batches', async () => {
    const { columns } = await runKernel(orderByKernel, sortBy([{ column: 'dept' }]), splitAt(people, [2, 5]));
    expect(columns.name).toEqual(['cy', 'fay', 'bob', 'dee', 'gus', 'ann', 'eve']);
  });

  it('puts nulls first ascending and last descending by default, or where asked', async () => {
    const run = async (key: OrderByParams['keys'][0]) => (await runKernel(orderByKernel, sortBy([key]), [people])).columns.name;
    expect(await run({ column: 'age' })).toEqual(['cy', 'gus', 'bob', 'dee', 'ann', 'fay', 'eve']);
    expect(await run({ column: 'age', descending: true })).toEqual(['eve', 'ann', 'fay', 'bob', 'dee', 'cy', 'gus']);
    expect(await run({ column: 'age', nullsFirst: false })).toEqual(['bob', 'dee', 'ann', 'fay', 'eve', 'cy', 'gus']);
    expect(await run({ column: 'age', descending: true, nullsFirst: true })).toEqual(['cy', 'gus', 'eve', 'ann', 'fay', 'bob', 'dee']);
  });

  it('sorts by several keys, each with its own direction', async () => {
    const { columns } = await runKernel(orderByKernel, sortBy([{ column: 'dept', nullsFirst: false }, { column: 'age', descending: true }]), [people]);
    expect(columns.name).toEqual(['bob', 'dee', 'gus', 'eve', 'ann', 'fay', 'cy']);
    expect(columns.dept).toEqual(['dev', 'dev', 'dev', 'ops', 'ops', null, null]);
    expect(columns.age).toEqual([25, 25, null, 41, 30, 30, null]);
  });

  it('orders text by code point (UTF-8 bytes), plain or dictionary-encoded', async () => {
    const words = ['zoo', '', 'Zoo', 'é', 'e\u0301', '\uFF01', '\u{1F600}', 'a', 'ä', '日本', null, 'ab'];
    const byBytes = [...words].filter((w): w is string => w !== null).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const plain = await runKernel(orderByKernel, sortBy([{ column: 'w' }]), [batchOf({ w: [new Utf8(), words] })]);
    expect(plain.columns.w).toEqual([null, ...byBytes]);
    expect(byBytes.indexOf('\uFF01')).toBeLessThan(byBytes.indexOf('\u{1F600}')); // UTF-16 order would swap them
    const dict = await runKernel(orderByKernel, sortBy([{ column: 'w', descending: true }]), [
      batchOf({ w: dictionaryColumn(words.slice(0, 6), ['é', 'zoo', '\uFF01', '', 'Zoo', 'e\u0301']) }),
      batchOf({ w: dictionaryColumn(words.slice(6), ['日本', 'ab', 'a', 'ä', '\u{1F600}']) }),
    ]);
    expect(dict.columns.w).toEqual([...[...byBytes].reverse(), null]);
  });

  it('orders numbers, NaN, -0, int64 beyond 2^53, decimals, dates, timestamps and booleans', async () => {
    const batch = batchOf({
      f: [new Float64(), [1.5, -Infinity, NaN, -0, 0, -2.25, Infinity, null, -1e-300]],
      i: [new Int64(), [9007199254740993n, -9007199254740993n, 0n, -1n, 9007199254740992n, null, 2n ** 62n, -(2n ** 62n), 1n]],
      m: [new Decimal(2, 12, 128), ['1.00', '-0.01', '-123456789.99', '0.00', null, '0.01', '99.99', '-1.00', '2.50']],
      d: [new DateDay(), ['2024-01-01', '1969-12-31', null, '1970-01-01', '2000-02-29', '1900-01-01', '2024-01-02', '1999-12-31', '2038-01-19']],
      t: [new TimestampMicrosecond('UTC'), ['2024-01-01T00:00:00.001Z', '1969-12-31T23:59:59.999Z', null, '1970-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '2262-01-01T00:00:00Z', '1677-09-22T00:00:00Z', '2000-01-01T00:00:00Z']],
      b: [new Bool(), [true, false, null, true, false, true, false, null, true]],
    });
    const sorted = async (column: string) => (await runKernel(orderByKernel, sortBy([{ column }]), [batch])).columns[column];
    expect(await sorted('f')).toEqual([null, -Infinity, -2.25, -1e-300, -0, 0, 1.5, Infinity, NaN]);
    expect(await sorted('i')).toEqual([null, -(2n ** 62n), -9007199254740993n, -1, 0, 1, 9007199254740992n, 9007199254740993n, 2n ** 62n]);
    expect(await sorted('m')).toEqual([null, -123456789.99, -1, -0.01, 0, 0.01, 1, 2.5, 99.99]);
    const dates = ['1900-01-01', '1969-12-31', '1970-01-01', '1999-12-31', '2000-02-29', '2024-01-01', '2024-01-02', '2038-01-19'];
    expect(await sorted('d')).toEqual([null, ...dates.map((d) => new Date(d))]);
    const times = ['1677-09-22T00:00:00Z', '1900-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00.001Z', '2262-01-01T00:00:00Z'];
    expect(await sorted('t')).toEqual([null, ...times.map((t) => new Date(t))]);
    expect(await sorted('b')).toEqual([null, null, false, false, false, true, true, true, true]);
  });

  it('sorts large multi-batch input like a stable reference sort, in batches of at most 65,536 rows', async () => {
    const next = random(42);
    const rows = 150_000;
    const keys = Array.from({ length: rows }, () => (next() < 0.05 ? null : Math.floor(next() * 2000) - 1000));
    const batch = batchOf({ k: [new Int32(), keys], row: [new Int32(), Array.from({ length: rows }, (_, i) => i)] });
    const { batches, columns } = await runKernel(orderByKernel, sortBy([{ column: 'k', descending: true }]), splitAt(batch, [1, 70_000, 70_001, 140_000]));
    expect(batches.map((b) => b.numRows)).toEqual([65_536, 65_536, 18_928]);
    const reference = keys.map((k, row) => ({ k, row })).sort((a, b) => (a.k === null ? 1 : b.k === null ? -1 : b.k - a.k));
    expect(columns.k).toEqual(reference.map((r) => r.k));
    expect(columns.row).toEqual(reference.map((r) => r.row));
  });

  it('passes errors through, handles empty input and rejects unknown or unsortable keys', async () => {
    const empty = batchOf({ k: [new Int32(), []] });
    const { batches, errors } = await runKernel(orderByKernel, sortBy([{ column: 'k' }]), [empty, empty], { 1: [{ message: 'bad', line: 4 }] });
    expect(batches.map((b) => b.numRows)).toEqual([0]);
    expect(errors).toEqual([{ message: 'bad', line: 4 }]);
    expect(() => orderByKernel.prepare([people.schema], sortBy([{ column: 'nope' }]))).toThrow(/OrderBy key 'nope' is not a column; available: name, dept, age/);
    expect(() => orderByKernel.prepare([people.schema], sortBy([]))).toThrow(/non-empty array/);
    const structSchema = batchOf({ x: [new Struct([new Field('s', new Utf8(), true)]), [{ s: 'a' }]] }).schema;
    expect(() => orderByKernel.prepare([structSchema], sortBy([{ column: 'x' }]))).toThrow(/cannot sort by 'x' of type Struct/);
  });
});
