import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, ResolveChoice } from '../../src/index.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { typeName } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';

/** glue-semantics.md §2.2's case: `[{id:1},{id:"x"}]` (and a null, and a nested choice) → id: choice{int,string}. */
async function idsJson() {
  const dir = await tempDir('sluice-resolve-');
  const file = join(dir, 'ids.jsonl');
  await writeFile(file, [
    '{"id": 1, "n": {"v": 2}, "xs": [1, "a"]}',
    '{"id": "x", "n": {"v": "b"}, "xs": ["c"]}',
    '{"id": null, "n": null, "xs": null}',
    '{"id": "7", "n": {"v": null}, "xs": [3]}',
  ].join('\n') + '\n');
  return { dir, file };
}
const typesOf = (schema: import('apache-arrow').Schema) => Object.fromEntries(schema.fields.map((f) => [f.name, typeName(f.type)]));

describe('ResolveChoice', () => {
  it('reads the choice columns', async () => {
    const { file } = await idsJson();
    expect(typesOf(await read.json(file).schema())).toEqual({
      id: 'choice<int32,string>', n: 'struct<v:choice<int32,string>>', xs: 'array<choice<int32,string>>',
    });
  });

  it('cast:<type>: every alternative cast, uncastable values null, every row kept', async () => {
    const { file } = await idsJson();
    const df = read.json(file).resolveChoice({ specs: [['id', 'cast:long'], ['n.v', 'cast:string'], ['xs[]', 'cast:int']] });
    expect(typesOf(await df.schema())).toEqual({ id: 'int64', n: 'struct<v:string>', xs: 'array<int32>' });
    expect(await df.toRows()).toEqual([
      { id: 1, n: { v: '2' }, xs: [1, null] },
      { id: null, n: { v: 'b' }, xs: [null] },
      { id: null, n: null, xs: null },
      { id: 7, n: { v: null }, xs: [3] },
    ]);
  });

  it('project:<type>: the values of that type, the others null', async () => {
    const { file } = await idsJson();
    const df = ResolveChoice.apply({ frame: read.json(file).selectFields(['id']), specs: [['id', 'project:string']] });
    expect(typesOf(await df.schema())).toEqual({ id: 'string' });
    expect(await df.toRows()).toEqual([{ id: null }, { id: 'x' }, { id: null }, { id: '7' }]);
  });

  it('make_cols: <col>_<type> columns, the first in place and the others last', async () => {
    const { file } = await idsJson();
    const df = read.json(file).resolveChoice({ specs: [['id', 'make_cols']] });
    expect(typesOf(await df.schema())).toEqual({
      id_int: 'int32', n: 'struct<v:choice<int32,string>>', xs: 'array<choice<int32,string>>', id_string: 'string',
    });
    expect((await df.schema()).fields.map((f) => f.name)).toEqual(['id_int', 'n', 'xs', 'id_string']);
    expect((await df.selectFields(['id_int', 'id_string']).toRows())).toEqual([
      { id_int: 1, id_string: null }, { id_int: null, id_string: 'x' }, { id_int: null, id_string: null }, { id_int: null, id_string: '7' },
    ]);
  });

  it('make_struct, and choice: one action for every choice column', async () => {
    const { file } = await idsJson();
    const df = read.json(file).resolveChoice({ choice: 'make_struct' });
    expect(typesOf(await df.schema())).toEqual({
      id: 'struct<int:int32,string:string>', n: 'struct<v:struct<int:int32,string:string>>', xs: 'array<struct<int:int32,string:string>>',
    });
    expect((await df.toRows())[0]).toEqual({ id: { int: 1, string: null }, n: { v: { int: 2, string: null } }, xs: [{ int: 1, string: null }, { int: null, string: 'a' }] });
    const cast = await read.json(file).resolveChoice({ choice: 'cast:string' }).toRows();
    expect(cast).toEqual([
      { id: '1', n: { v: '2' }, xs: ['1', 'a'] },
      { id: 'x', n: { v: 'b' }, xs: ['c'] },
      { id: null, n: null, xs: null },
      { id: '7', n: { v: null }, xs: ['3'] },
    ]);
  });

  it('make_cols inside arrays: <field>_<type> inside the array\'s struct (myList[].price), one array per type for the elements (xs[])', async () => {
    const dir = await tempDir('sluice-resolve-arrays-');
    const file = join(dir, 'items.jsonl');
    await writeFile(file, [
      '{"items": [{"price": 1, "q": 2}, {"price": "free", "q": 3}], "xs": [1, "a"], "m": [[1, "b"]]}',
      '{"items": null, "xs": null, "m": [null, [2]]}',
      '{"items": [{"price": 2, "q": null}], "xs": [], "m": []}',
    ].join('\n') + '\n');
    const df = read.json(file).resolveChoice({ specs: [['items[].price', 'make_cols'], ['xs[]', 'make_cols'], ['m[][]', 'make_cols']] });
    expect((await df.schema()).fields.map((f) => [f.name, typeName(f.type)])).toEqual([
      ['items', 'array<struct<price_int:int32,q:int32,price_string:string>>'],
      ['xs_int', 'array<int32>'], ['m_int', 'array<array<int32>>'], ['xs_string', 'array<string>'], ['m_string', 'array<array<string>>'],
    ]);
    expect(await df.toRows()).toEqual([
      { items: [{ price_int: 1, q: 2, price_string: null }, { price_int: null, q: 3, price_string: 'free' }], xs_int: [1, null], m_int: [[1, null]], xs_string: [null, 'a'], m_string: [[null, 'b']] },
      { items: null, xs_int: null, m_int: [null, [2]], xs_string: null, m_string: [null, [null]] },
      { items: [{ price_int: 2, q: null, price_string: null }], xs_int: [], m_int: [], xs_string: [], m_string: [] },
    ]);
    // Glue's `[]` may be left out, as DropFields allows (`items.price`); choice: make_cols reaches the same columns.
    const dotted = read.json(file).resolveChoice({ specs: [['items.price', 'make_cols']] });
    expect(typeName((await dotted.schema()).fields[0].type)).toBe('array<struct<price_int:int32,q:int32,price_string:string>>');
    expect((await read.json(file).resolveChoice({ choice: 'make_cols' }).toRows())).toEqual(await df.toRows());
  });

  it("refuses both or neither of specs/choice with Glue's text, bad actions and paths by name", async () => {
    const { file } = await idsJson();
    const df = read.json(file);
    expect(() => df.resolveChoice({ specs: [['id', 'cast:long']], choice: 'make_cols' })).toThrow('Parameter specs and option are both specified, choose one.');
    expect(() => df.resolveChoice({})).toThrow('Parameter specs and option are both missing, add one.');
    expect(() => df.resolveChoice({ specs: [['id', 'explode']] })).toThrow(/unknown action 'explode'/);
    expect(() => df.resolveChoice({ choice: 'match_catalog' })).toThrow('ResolveChoice match_catalog: name the catalog table with both database and tableName');
    await expect(df.resolveChoice({ specs: [['idd', 'cast:long']] }).schema()).rejects.toThrow(/no field 'idd'; did you mean 'id'\?/);
  });

  it('a job-spec node', async () => {
    const { dir, file } = await idsJson();
    const out = join(dir, 'out');
    await runJobSpec({
      name: 'resolve',
      nodes: [
        { id: 'src', type: 'read', format: 'json', paths: [file] },
        { id: 'fix', type: 'ResolveChoice', input: 'src', specs: [['id', 'cast:long']], choice: undefined },
        { id: 'slim', type: 'SelectFields', input: 'fix', paths: ['id'] },
        { id: 'out', type: 'write', input: 'slim', format: 'json', path: out },
      ].map((n) => JSON.parse(JSON.stringify(n))),
    });
    const part = (await readdir(out)).find((f) => f.endsWith('.json'))!;
    expect((await readFile(join(out, part), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))).toEqual([{ id: 1 }, { id: null }, { id: null }, { id: 7 }]);
  });
});
