import { beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { Int64, Field, Schema, Utf8, Table } from 'apache-arrow';
import { DataFrame } from '../../src/frame/DataFrame.js';
import type { RowOf } from '../support/types.js';
import { columnFromValues } from '../../src/columns/fromValues.js';
import { makeBatch } from '../../src/columns/take.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const left = () => DataFrame.fromRows(
  [{ id: 1, l: 'a' }, { id: 2, l: 'b' }, { id: null, l: 'n' }, { id: 1, l: 'c' }, { id: 5, l: 'e' }],
  { id: 'int32', l: 'string' },
);
// int64 keys go through the general Map index; int32 on both sides through the typed-array one.
let rightKeyType = 'int64';
const right = () => DataFrame.fromRows(
  [{ key: 1, r: 'x' }, { key: 3, r: 'y' }, { key: 1, r: 'z' }, { key: null, r: 'n' }, { key: 2, r: 'w' }],
  { key: rightKeyType, r: 'string' },
);

describe.each(['int64', 'int32'])('Join with a %s frame2 key', (keyType) => {
  beforeEach(() => {
    rightKeyType = keyType;
  });

  it('inner: every pair of matching keys, null keys never match, int32 meets int64', async () => {
    expect(await left().join(right(), ['id'], ['key']).toRows()).toEqual([
      { id: 1, l: 'a', key: 1, r: 'x' }, { id: 1, l: 'a', key: 1, r: 'z' },
      { id: 2, l: 'b', key: 2, r: 'w' },
      { id: 1, l: 'c', key: 1, r: 'x' }, { id: 1, l: 'c', key: 1, r: 'z' },
    ]);
  });

  it('left: unmatched frame1 rows with nulls', async () => {
    expect(await left().join(right(), ['id'], ['key'], 'left').toRows()).toEqual([
      { id: 1, l: 'a', key: 1, r: 'x' }, { id: 1, l: 'a', key: 1, r: 'z' },
      { id: 2, l: 'b', key: 2, r: 'w' },
      { id: null, l: 'n', key: null, r: null },
      { id: 1, l: 'c', key: 1, r: 'x' }, { id: 1, l: 'c', key: 1, r: 'z' },
      { id: 5, l: 'e', key: null, r: null },
    ]);
  });

  it('right: matches, then unmatched frame2 rows in their order', async () => {
    expect(await left().join(right(), ['id'], ['key'], 'right').toRows()).toEqual([
      { id: 1, l: 'a', key: 1, r: 'x' }, { id: 1, l: 'a', key: 1, r: 'z' },
      { id: 2, l: 'b', key: 2, r: 'w' },
      { id: 1, l: 'c', key: 1, r: 'x' }, { id: 1, l: 'c', key: 1, r: 'z' },
      { id: null, l: null, key: 3, r: 'y' },
      { id: null, l: null, key: null, r: 'n' },
    ]);
  });

  it('outer: both sides kept', async () => {
    const rows = await left().join(right(), ['id'], ['key'], 'outer').toRows();
    expect(rows).toEqual([
      { id: 1, l: 'a', key: 1, r: 'x' }, { id: 1, l: 'a', key: 1, r: 'z' },
      { id: 2, l: 'b', key: 2, r: 'w' },
      { id: null, l: 'n', key: null, r: null },
      { id: 1, l: 'c', key: 1, r: 'x' }, { id: 1, l: 'c', key: 1, r: 'z' },
      { id: 5, l: 'e', key: null, r: null },
      { id: null, l: null, key: 3, r: 'y' },
      { id: null, l: null, key: null, r: 'n' },
    ]);
  });

  it('semi and anti: frame1 rows (once each) with or without a match', async () => {
    const semi = left().join(right(), ['id'], ['key'], 'semi');
    expect(schemaToSpec(await semi.schema())).toEqual({ id: 'int32', l: 'string' });
    expect(await semi.toRows()).toEqual([{ id: 1, l: 'a' }, { id: 2, l: 'b' }, { id: 1, l: 'c' }]);
    expect(await left().join(right(), ['id'], ['key'], 'anti').toRows()).toEqual([{ id: null, l: 'n' }, { id: 5, l: 'e' }]);
  });

});

describe('Join', () => {
  beforeEach(() => {
    rightKeyType = 'int64';
  });

  it('composite string keys; colliding frame2 names get _right', async () => {
    const a = DataFrame.fromRows([{ c: 'FR', d: 'x', v: 1 }, { c: 'FR', d: 'y', v: 2 }, { c: 'DE', d: null, v: 3 }]);
    const b = DataFrame.fromRows([{ c: 'FR', d: 'y', v: 20 }, { c: 'DE', d: null, v: 30 }, { c: 'FR', d: 'x', v: 10 }]);
    const out = a.join(b, ['c', 'd'], ['c', 'd']);
    expect(Object.keys(schemaToSpec(await out.schema()))).toEqual(['c', 'd', 'v', 'c_right', 'd_right', 'v_right']);
    expect(await out.toRows()).toEqual([
      { c: 'FR', d: 'x', v: 1, c_right: 'FR', d_right: 'x', v_right: 10 },
      { c: 'FR', d: 'y', v: 2, c_right: 'FR', d_right: 'y', v_right: 20 },
    ]);
  });

  it('joins over several frame2 batches and empty sides', async () => {
    const schema = new Schema([new Field('k', new Int64(), true), new Field('s', new Utf8(), true)]);
    const batch = (k: number[], s: string[]) => makeBatch(schema, [columnFromValues(new Int64(), k), columnFromValues(new Utf8(), s)], k.length);
    const multi = DataFrame.fromArrow(new Table([batch([1, 2], ['p', 'q']), batch([2, 9], ['r', 's'])]));
    expect(await left().join(multi, ['id'], ['k'], 'inner').toColumns()).toEqual({ id: [1, 2, 2, 1], l: ['a', 'b', 'b', 'c'], k: [1, 2, 2, 1], s: ['p', 'q', 'r', 'p'] });
    const empty = DataFrame.fromRows([], { k: 'int32', s: 'string' });
    expect(await left().join(empty, ['id'], ['k'], 'left').toColumns()).toEqual({ id: [1, 2, null, 1, 5], l: ['a', 'b', 'n', 'c', 'e'], k: [null, null, null, null, null], s: [null, null, null, null, null] });
    expect(await empty.join(right(), ['k'], ['key'], 'right').count()).toBe(5);
  });

  it('unique frame2 keys: each frame1 row meets at most one row, in frame1 order', async () => {
    const frame1 = (ids: (number | null)[]) => DataFrame.fromRows(ids.map((id, i) => ({ id, l: `l${i}` })), { id: 'int32', l: 'string' });
    // frame2 is the smaller input, so the inner join indexes it too.
    const frame2 = () => DataFrame.fromRows([{ key: 1, r: 'one' }, { key: 2, r: 'two' }, { key: 3, r: 'three' }], { key: 'int32', r: 'string' });
    expect(await frame1([3, 1, 2, 1, 3, 3, 1]).join(frame2(), ['id'], ['key']).toColumns()).toEqual({
      id: [3, 1, 2, 1, 3, 3, 1], l: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6'], key: [3, 1, 2, 1, 3, 3, 1], r: ['three', 'one', 'two', 'one', 'three', 'three', 'one'],
    });
    expect(await frame1([3, 9, 1, null, 1, 2, 2]).join(frame2(), ['id'], ['key']).toColumns()).toEqual({
      id: [3, 1, 1, 2, 2], l: ['l0', 'l2', 'l4', 'l5', 'l6'], key: [3, 1, 1, 2, 2], r: ['three', 'one', 'one', 'two', 'two'],
    });
    expect(await frame1([3, 9, 1, null, 1, 2, 2]).join(frame2(), ['id'], ['key'], 'left').toColumns()).toEqual({
      id: [3, 9, 1, null, 1, 2, 2], l: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6'], key: [3, null, 1, null, 1, 2, 2], r: ['three', null, 'one', null, 'one', 'two', 'two'],
    });
    expect(await frame1([3, 1, 3, 1, 3, 1]).join(frame2(), ['id'], ['key'], 'right').toColumns()).toEqual({
      id: [3, 1, 3, 1, 3, 1, null], l: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', null], key: [3, 1, 3, 1, 3, 1, 2], r: ['three', 'one', 'three', 'one', 'three', 'one', 'two'],
    });
    expect(await frame1([3, null, 3, 9, 3, 3]).join(frame2(), ['id'], ['key'], 'outer').toColumns()).toEqual({
      id: [3, null, 3, 9, 3, 3, null, null], l: ['l0', 'l1', 'l2', 'l3', 'l4', 'l5', null, null],
      key: [3, null, 3, null, 3, 3, 1, 2], r: ['three', null, 'three', null, 'three', 'three', 'one', 'two'],
    });
  });

  it('int32 keys spread far apart (hashed) join as dense ones (a direct table) do', async () => {
    const ids = [7, -2_000_000_000, null, 2_000_000_000, 7, 5];
    const frame1 = DataFrame.fromRows(ids.map((id, i) => ({ id, l: `l${i}` })), { id: 'int32', l: 'string' });
    const frame2 = DataFrame.fromRows(
      [{ key: 2_000_000_000, r: 'far' }, { key: 7, r: 'seven' }, { key: null, r: 'null' }, { key: -2_000_000_000, r: 'low' }, { key: 7, r: 'again' }],
      { key: 'int32', r: 'string' },
    );
    expect(await frame1.join(frame2, ['id'], ['key'], 'left').toColumns()).toEqual({
      id: [7, 7, -2_000_000_000, null, 2_000_000_000, 7, 7, 5],
      l: ['l0', 'l0', 'l1', 'l2', 'l3', 'l4', 'l4', 'l5'],
      key: [7, 7, -2_000_000_000, null, 2_000_000_000, 7, 7, null],
      r: ['seven', 'again', 'low', null, 'far', 'seven', 'again', null],
    });
  });

  it('fails clearly on incompatible keys, unknown keys and unknown join types', async () => {
    await expect(left().join(right(), ['l'], ['key']).schema()).rejects.toThrow("cannot join 'l' (string) with 'key' (int64)");
    await expect(left().join(right(), ['idd'], ['key']).schema()).rejects.toThrow("no field 'idd' for path 'idd'; available: id, l");
    await expect(left().join(right(), ['id'], ['key', 'r']).schema()).rejects.toThrow('keys1 has 1 keys but keys2 has 2');
    expect(() => left().join(right(), ['id'], ['key'], 'cross' as never)).toThrow("unknown join type 'cross'");
  });

  it('computes the row type', async () => {
    const a = DataFrame.fromRows([{ id: 1, x: 'a' }]);
    const b = DataFrame.fromRows([{ k: 1, y: true }]);
    const joined = a.join(b, ['id'], ['k']);
    expectTypeOf<RowOf<typeof joined>>().toEqualTypeOf<{ id: number; x: string; k: number; y: boolean }>();
    expect(await joined.toRows()).toEqual([{ id: 1, x: 'a', k: 1, y: true }]);
  });
});
