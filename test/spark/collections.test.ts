import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const frame = () => DataFrame.fromRows(
  [
    { id: 1, xs: [3, 1, null, 3], s: 'a', n: 2, nested: [[1], [2, 3]] },
    { id: 2, xs: [], s: null, n: -1, nested: [[4], null] },
    { id: 3, xs: null, s: 'c', n: null, nested: null },
  ],
  { id: 'int32', xs: 'array<int32>', s: 'string', n: 'int32', nested: 'array<array<int32>>' },
);

async function eval1(sql: Record<string, string>) {
  const out = frame().withColumns(sql).select(...Object.keys(sql));
  return { schema: schemaToSpec(await out.schema()), rows: await out.toRows() };
}

describe('array, map and struct functions', () => {
  it('size, element_at, array_contains', async () => {
    const { schema, rows } = await eval1({ size: 'size(xs)', first: 'element_at(xs, 1)', last: 'element_at(xs, -1)', out: 'element_at(xs, 9)', has3: 'array_contains(xs, 3)', has2: 'array_contains(xs, 2)' });
    expect(schema).toEqual({ size: 'int32', first: 'int32', last: 'int32', out: 'int32', has3: 'bool', has2: 'bool' });
    expect(rows).toEqual([
      { size: 4, first: 3, last: 3, out: null, has3: true, has2: null },
      { size: 0, first: null, last: null, out: null, has3: false, has2: false },
      { size: -1, first: null, last: null, out: null, has3: null, has2: null },
    ]);
  });

  it('sort_array, array_distinct, slice, flatten, array_join', async () => {
    const { rows } = await eval1({
      up: 'sort_array(xs)', down: 'sort_array(xs, false)', distinct: 'array_distinct(xs)', sl: 'slice(xs, 2, 2)', tail: 'slice(xs, -1, 5)',
      flat: 'flatten(nested)', joined: "array_join(xs, '|')", joinedNull: "array_join(xs, '|', 'null')",
    });
    expect(rows).toEqual([
      { up: [null, 1, 3, 3], down: [3, 3, 1, null], distinct: [3, 1, null], sl: [1, null], tail: [3], flat: [1, 2, 3], joined: '3|1|3', joinedNull: '3|1|null|3' },
      { up: [], down: [], distinct: [], sl: [], tail: [], flat: null, joined: '', joinedNull: '' },
      { up: null, down: null, distinct: null, sl: null, tail: null, flat: null, joined: null, joinedNull: null },
    ]);
  });

  it('array, struct and named_struct build values; constants work too', async () => {
    const { schema, rows } = await eval1({ arr: 'array(id, n, 7)', st: 'struct(id, s, n + 1)', ns: "named_struct('key', s, 'value', id)", k: 'size(array(1, 2, 3))' });
    expect(schema).toEqual({ arr: 'array<int32>', st: 'struct<id:int32,s:string,col3:int32>', ns: 'struct<key:string,value:int32>', k: 'int32' });
    expect(rows).toEqual([
      { arr: [1, 2, 7], st: { id: 1, s: 'a', col3: 3 }, ns: { key: 'a', value: 1 }, k: 3 },
      { arr: [2, -1, 7], st: { id: 2, s: null, col3: 0 }, ns: { key: null, value: 2 }, k: 3 },
      { arr: [3, null, 7], st: { id: 3, s: 'c', col3: null }, ns: { key: 'c', value: 3 }, k: 3 },
    ]);
  });

  it('map_keys, map_values, size and element_at read a Parquet map (written by DuckDB)', async () => {
    const file = join(await tempDir(), 'maps.parquet');
    await duck(`COPY (SELECT * FROM (VALUES (1, MAP {'a': 1, 'b': 2}), (2, NULL), (3, MAP {})) t(id, m)) TO '${file}'`);
    const out = read.parquet(file).withColumns({ k: 'map_keys(m)', v: 'map_values(m)', n: 'size(m)', b: "element_at(m, 'b')" }).select('id', 'k', 'v', 'n', 'b');
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', k: 'array<string>', v: 'array<int32>', n: 'int32', b: 'int32' });
    expect(await out.toRows()).toEqual([
      { id: 1, k: ['a', 'b'], v: [1, 2], n: 2, b: 2 },
      { id: 2, k: null, v: null, n: -1, b: null },
      { id: 3, k: [], v: [], n: 0, b: null },
    ]);
  });

  it('errors name the function and the argument', async () => {
    await expect(eval1({ bad: 'size(s)' })).rejects.toThrow('size: argument 1 must be an array or a map, got string');
    await expect(eval1({ bad: 'element_at(xs, 0)' })).rejects.toThrow('element_at: SQL array indices start at 1');
    await expect(eval1({ bad: "named_struct(s, 1)" })).rejects.toThrow('named_struct: argument 1 must be a string literal');
  });
});
