import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { UnnestFrame } from '../../transforms/index.js';
import { peopleFile } from './people.js';

describe('Unnest', () => {
  it('flattens structs to dotted columns and structs inside arrays to <array>.val.<field>', async () => {
    const df = DataFrame.fromRows([
      { id: 1, s: { a: 'x', t: { b: 2 } }, items: [{ k: 'p', at: { lat: 1.5 } }, null, { k: null, at: null }], grid: [[{ v: 1 }], []] },
      { id: 2, s: null, items: null, grid: null },
      { id: 3, s: { a: null, t: null }, items: [], grid: [[{ v: null }, null]] },
    ], {
      id: 'int32', s: 'struct<a:string,t:struct<b:int32>>', items: 'array<struct<k:string,at:struct<lat:double>>>', grid: 'array<array<struct<v:int32>>>',
    });
    const out = df.unnest();
    expect(schemaToSpec(await out.schema())).toEqual({
      id: 'int32', 's.a': 'string', 's.t.b': 'int32',
      items: 'array<struct<items.val.k:string,items.val.at.lat:float64>>',
      grid: 'array<array<struct<grid.val.val.v:int32>>>',
    });
    expect(await out.toRows()).toEqual([
      { id: 1, 's.a': 'x', 's.t.b': 2, items: [{ 'items.val.k': 'p', 'items.val.at.lat': 1.5 }, null, { 'items.val.k': null, 'items.val.at.lat': null }], grid: [[{ 'grid.val.val.v': 1 }], []] },
      { id: 2, 's.a': null, 's.t.b': null, items: null, grid: null },
      { id: 3, 's.a': null, 's.t.b': null, items: [], grid: [[{ 'grid.val.val.v': null }, null]] },
    ]);
  });

  it('UnnestFrame is the same transform, and a frame read from JSON unnests batch by batch', async () => {
    const out = UnnestFrame.apply({ frame: read.json(await peopleFile()) });
    expect((await out.toRows()).map((r) => [r.id, r['address.city'], r['address.zip'], r.friends])).toEqual([
      [1, 'Paris', '75001', [{ 'friends.val.name': 'Bob', 'friends.val.age': 30, 'friends.val.phones': ['111', '222'] }, { 'friends.val.name': 'Cy', 'friends.val.age': null, 'friends.val.phones': [] }]],
      [2, null, null, null],
      [3, null, '10115', [{ 'friends.val.name': 'Dee', 'friends.val.age': 41, 'friends.val.phones': ['333'] }]],
    ]);
  });

  it('refuses to make two columns of one name', async () => {
    const df = DataFrame.fromRows([{ 'a.b': 1, a: { b: 2 } }], { 'a.b': 'int32', a: 'struct<b:int32>' });
    await expect(df.unnest().schema()).rejects.toThrow("Unnest would make two columns named 'a.b'");
  });
});
