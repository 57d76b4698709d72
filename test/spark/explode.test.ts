import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { Explode, loadJobSpec } from '../../src/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

const orders = () => DataFrame.fromRows(
  [
    { id: 1, items: ['a', 'b'], note: 'x' },
    { id: 2, items: [], note: 'y' },
    { id: 3, items: null, note: 'z' },
    { id: 4, items: ['c', null], note: null },
  ],
  { id: 'int32', items: 'array<string>', note: 'string' },
);

describe('Explode (explode, posexplode, explode_outer)', () => {
  it('one row per element, other columns repeated, the element in the array\'s place', async () => {
    const out = orders().explode('items');
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', items: 'string', note: 'string' });
    expect(await out.toRows()).toEqual([
      { id: 1, items: 'a', note: 'x' }, { id: 1, items: 'b', note: 'x' }, { id: 4, items: 'c', note: null }, { id: 4, items: null, note: null },
    ]);
  });

  it('posexplode names the element and adds its position; outer keeps null and empty arrays', async () => {
    const out = orders().explode('items', { as: 'item', position: 'pos', outer: true });
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', pos: 'int32', item: 'string', note: 'string' });
    expect(await out.toRows()).toEqual([
      { id: 1, pos: 0, item: 'a', note: 'x' }, { id: 1, pos: 1, item: 'b', note: 'x' },
      { id: 2, pos: null, item: null, note: 'y' }, { id: 3, pos: null, item: null, note: 'z' },
      { id: 4, pos: 0, item: 'c', note: null }, { id: 4, pos: 1, item: null, note: null },
    ]);
    expect(await Explode.apply({ frame: orders(), column: 'items', outer: true }).count()).toBe(6);
  });

  it('agrees with DuckDB\'s unnest on a Parquet file, maps explode into key and value', async () => {
    const dir = await tempDir();
    const file = join(dir, 'nested.parquet');
    await duck(`COPY (SELECT * FROM (VALUES (1, [10, 20, 30], MAP {'a': 1}), (2, NULL, MAP {'b': 2, 'c': 3}), (3, [], NULL)) t(id, xs, m)) TO '${file}'`);
    const exploded = await read.parquet(file).explode('xs', { as: 'x', position: 'i' }).select('id', 'i', 'x').toRows();
    const expected = await duck(`SELECT id, (generate_subscripts(xs, 1) - 1)::INTEGER AS i, unnest(xs) AS x FROM '${file}' ORDER BY id, i`);
    expect(exploded).toEqual(expected);
    expect(await read.parquet(file).explode('m').select('id', 'key', 'value').toRows()).toEqual([
      { id: 1, key: 'a', value: 1 }, { id: 2, key: 'b', value: 2 }, { id: 2, key: 'c', value: 3 },
    ]);
  });

  it('is a job-spec node', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.json'), '{"id": 1, "tags": ["p", "q"]}\n{"id": 2, "tags": ["r"]}\n');
    const spec = {
      name: 'tags',
      nodes: [
        { id: 'in', type: 'read', format: 'json', paths: [join(dir, 'in.json')] },
        { id: 'each', type: 'Explode', input: 'in', column: 'tags', as: 'tag' },
        { id: 'sink', type: 'write', input: 'each', format: 'json', path: join(dir, 'out') },
      ],
    };
    const job = await loadJobSpec(spec);
    const frame = job.frames.get('each')!;
    expect(await frame.toRows()).toEqual([{ id: 1, tag: 'p' }, { id: 1, tag: 'q' }, { id: 2, tag: 'r' }]);
  });

  it('names what is wrong', async () => {
    await expect(orders().explode('note').toRows()).rejects.toThrow("Explode: column 'note' is string; explode takes an array or a map");
    await expect(orders().explode('nope').toRows()).rejects.toThrow("Explode: no column 'nope'; columns: id, items, note");
    await expect(orders().explode('items', { as: 'id' }).toRows()).rejects.toThrow("Explode: the output would have two columns named 'id'");
    expect(() => orders().explode('items', { outer: 'yes' as unknown as boolean })).toThrow('Explode: outer must be true or false, got "yes"');
  });
});

describe('generators in select and withColumn (F.explode and friends)', () => {
  it('select(..., F.explode(x).alias(...)) and Spark\'s default names col and pos', async () => {
    const { F, col } = await import('../../src/index.js');
    expect(await orders().select('id', F.explode('items').alias('item')).toRows()).toEqual([
      { id: 1, item: 'a' }, { id: 1, item: 'b' }, { id: 4, item: 'c' }, { id: 4, item: null },
    ]);
    expect(await orders().select(col('id'), F.posexplode_outer('items')).where('id < 3').toRows()).toEqual([
      { id: 1, pos: 0, col: 'a' }, { id: 1, pos: 1, col: 'b' }, { id: 2, pos: null, col: null },
    ]);
    expect(await orders().selectExpr('explode(items) AS item', 'id * 10 AS id10').limit(2).toRows()).toEqual([{ item: 'a', id10: 10 }, { item: 'b', id10: 10 }]);
    expect(await orders().withColumn('item', F.explode('items')).limit(2).toRows()).toEqual([
      { id: 1, items: ['a', 'b'], note: 'x', item: 'a' }, { id: 1, items: ['a', 'b'], note: 'x', item: 'b' },
    ]);
    expect(() => orders().select(F.explode('items'), F.explode('items').alias('x'))).toThrow('select: only one generator');
  });
});
