import { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { Relationalize } from '../../transforms/index.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/files.js';
import { PEOPLE_TABLES, peopleFile } from './people.js';

describe('Relationalize', () => {
  it('makes the root table and one table per array, with Glue names, bigint keys and id/index/val columns', async () => {
    const tables = Relationalize.apply({ frame: read.json(await peopleFile()), name: 'root', stagingPath: '/tmp/unused' });
    expect(await tables.keys()).toEqual(Object.keys(PEOPLE_TABLES));
    expect(await tables.count()).toBe(6);
    for (const [name, rows] of Object.entries(PEOPLE_TABLES)) {
      expect([name, await tables.select(name).toRows()]).toEqual([name, rows]);
    }
    expect(schemaToSpec(await tables.select('root').schema())).toEqual({
      id: 'int32', name: 'string', 'address.city': 'string', 'address.zip': 'string', tags: 'int64', friends: 'int64', matrix: 'int64',
    });
    expect(schemaToSpec(await tables.select('root_friends').schema())).toEqual({
      id: 'int64', index: 'int32', 'friends.val.name': 'string', 'friends.val.age': 'int32', 'friends.val.phones': 'int64',
    });
    expect(schemaToSpec(await tables.select('root_friends.val.phones').schema())).toEqual({ id: 'int64', index: 'int32', 'friends.val.phones.val': 'string' });
  });

  it('numbers keys over the whole input, not per batch, so child ids still find their parent', async () => {
    const schema = { id: 'int32', tags: 'array<string>', friends: 'array<struct<name:string,phones:array<string>>>' };
    const part = (rows: object[]) => DataFrame.fromRows(rows as never, schema).toArrow();
    const first = await part([{ id: 1, tags: ['a'], friends: [{ name: 'x', phones: ['1'] }] }, { id: 2, tags: null, friends: [] }]);
    const second = await part([{ id: 3, tags: ['b', 'c'], friends: [{ name: 'y', phones: ['2', '3'] }, { name: 'z', phones: null }] }]);
    const frame = DataFrame.fromBatches(first.schema, [...first.batches, ...second.batches] as RecordBatch[]);
    const tables = frame.relationalize('t');
    expect(await tables.keys()).toEqual(['t', 't_tags', 't_friends', 't_friends.val.phones']);
    expect(await tables.select('t').toRows()).toEqual([
      { id: 1, tags: 1, friends: 1 }, { id: 2, tags: null, friends: 2 }, { id: 3, tags: 3, friends: 3 },
    ]);
    expect(await tables.select('t_tags').toRows()).toEqual([
      { id: 1, index: 0, 'tags.val': 'a' }, { id: 3, index: 0, 'tags.val': 'b' }, { id: 3, index: 1, 'tags.val': 'c' },
    ]);
    expect(await tables.select('t_friends').toRows()).toEqual([
      { id: 1, index: 0, 'friends.val.name': 'x', 'friends.val.phones': 1 },
      { id: 3, index: 0, 'friends.val.name': 'y', 'friends.val.phones': 2 },
      { id: 3, index: 1, 'friends.val.name': 'z', 'friends.val.phones': null },
    ]);
    expect(await tables.select('t_friends.val.phones').toRows()).toEqual([
      { id: 1, index: 0, 'friends.val.phones.val': '1' },
      { id: 2, index: 0, 'friends.val.phones.val': '2' },
      { id: 2, index: 1, 'friends.val.phones.val': '3' },
    ]);
  });

  it('defaults the root name to roottable, leaves a frame without arrays as one flattened table, and names unknown members', async () => {
    const flat = DataFrame.fromRows([{ a: 1, s: { b: 'x', c: { d: true } } }, { a: 2, s: null }]);
    const tables = Relationalize.apply({ frame: flat });
    expect(await tables.keys()).toEqual(['roottable']);
    expect(await tables.select('roottable').toRows()).toEqual([
      { a: 1, 's.b': 'x', 's.c.d': true }, { a: 2, 's.b': null, 's.c.d': null },
    ]);
    await expect(tables.select('roottable_s').schema()).rejects.toThrow("no table 'roottable_s' in Relationalize's output (did you mean 'roottable'?); its tables: roottable");
    expect(() => Relationalize.apply({ frame: flat, options: { keys: 1 } as never })).toThrow("unknown Relationalize option 'keys'");
    expect(() => Relationalize.apply({ frame: flat, nam: 'x' } as never)).toThrow("unknown Relationalize parameter 'nam'; did you mean 'name'?");
  });
});

describe('Relationalize over several files, split across worker threads', () => {
  it('gives the same tables and keys as a single-threaded run', async () => {
    const dir = await tempDir('sluice-relationalize-par-');
    for (let f = 0; f < 3; f++) {
      const lines = Array.from({ length: 400 }, (_v, i) => JSON.stringify({ f, i, tags: i % 5 === 0 ? null : Array.from({ length: i % 4 }, (_x, k) => `t${k}`), kids: [{ n: i, toys: i % 3 === 0 ? [] : ['a', 'b'] }] }));
      writeFileSync(join(dir, `part-${f}.json`), lines.join('\n') + '\n');
    }
    const tables = read.json(dir).relationalize('r');
    expect(await tables.keys()).toEqual(['r', 'r_tags', 'r_kids', 'r_kids.val.toys']);
    for (const key of await tables.keys()) {
      const inline = await tables.select(key).collect({ parallel: false });
      const split = await tables.select(key).collect({ threads: 2, splitSize: 4096, inlineBelowBytes: 0 });
      expect(split.table.numRows, key).toBe(inline.table.numRows);
      expect(await DataFrame.fromArrow(split.table).toRows(), key).toEqual(await DataFrame.fromArrow(inline.table).toRows());
    }
    // 266 of each file's 400 rows (i % 3 !== 0) have two toys.
    expect(await tables.select('r_kids.val.toys').count()).toBe(3 * 266 * 2);
  });

  it('carries upstream error records with the root table only, so writing every table counts them once', async () => {
    const dir = await tempDir('sluice-relationalize-err-');
    writeFileSync(join(dir, 'p.json'), '{"id": 1, "tags": ["a"]}\n{"id": \n{"id": 2, "tags": []}\n');
    const tables = read.json(join(dir, 'p.json')).relationalize('root');
    const root = await tables.select('root').collect();
    const tags = await tables.select('root_tags').collect();
    expect([root.table.numRows, root.errors.length]).toEqual([2, 1]);
    expect([tags.table.numRows, tags.errors.length]).toEqual([1, 0]);
  });
});

describe('Relationalize column names', () => {
  it('refuses to make two columns of one name', async () => {
    const df = DataFrame.fromRows([{ 'a.b': 1, a: { b: 2 } }], { 'a.b': 'int32', a: 'struct<b:int32>' });
    await expect(df.relationalize('r').keys()).rejects.toThrow("Relationalize would make two columns named 'a.b' in table 'r'; rename one first");
  });
});
