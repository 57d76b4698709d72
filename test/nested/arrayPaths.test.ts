import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { runJobSpec } from '../../src/job/index.js';
import { read } from '../../src/frame/read.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { join } from 'node:path';
import { tempDir } from '../support/files.js';
import { peopleFile } from './people.js';

const SCHEMA = { id: 'int32', friends: 'array<struct<name:string,age:int32,pets:array<struct<kind:string,legs:int32>>>>' };
const people = () => DataFrame.fromRows([
  { id: 1, friends: [{ name: 'Bob', age: 30, pets: [{ kind: 'cat', legs: 4 }] }, null, { name: null, age: null, pets: null }] },
  { id: 2, friends: null },
  { id: 3, friends: [] },
], SCHEMA);

describe('DropFields and SelectFields on paths inside arrays of structs', () => {
  it('drops a field from every element, and a field of a struct array inside the elements', async () => {
    const out = people().dropFields(['friends.age', 'friends.pets.legs']);
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', friends: 'array<struct<name:string,pets:array<struct<kind:string>>>>' });
    expect(await out.toRows()).toEqual([
      { id: 1, friends: [{ name: 'Bob', pets: [{ kind: 'cat' }] }, null, { name: null, pets: null }] },
      { id: 2, friends: null },
      { id: 3, friends: [] },
    ]);
  });

  it('selects fields of the elements, in the order named', async () => {
    const out = people().selectFields(['friends.pets.kind', 'friends.name']);
    expect(schemaToSpec(await out.schema())).toEqual({ friends: 'array<struct<pets:array<struct<kind:string>>,name:string>>' });
    expect(await out.toRows()).toEqual([
      { friends: [{ pets: [{ kind: 'cat' }], name: 'Bob' }, null, { pets: null, name: null }] },
      { friends: null },
      { friends: [] },
    ]);
  });

  it('names the missing field inside the array, and refuses paths into arrays of values', async () => {
    await expect(people().dropFields(['friends.agee']).schema()).rejects.toThrow("no field 'agee' inside 'friends' for path 'friends.agee'; available: name, age, pets");
    const tags = DataFrame.fromRows([{ tags: ['a'] }], { tags: 'array<string>' });
    await expect(tags.dropFields(['tags.x']).schema()).rejects.toThrow("path 'tags.x' goes into 'tags', which is List<Utf8> and not a struct or an array of structs");
  });

  it('works in a job spec on data read from JSON', async () => {
    const dir = await tempDir('sluice-array-paths-');
    await runJobSpec({
      nodes: [
        { id: 'people', type: 'read', format: 'json', paths: ['${IN}'] },
        { id: 'slim', type: 'DropFields', input: 'people', paths: ['friends.phones', 'address', 'matrix', 'tags'] },
        { id: 'w', type: 'write', input: 'slim', format: 'json', path: '${OUT}' },
      ],
    }, { IN: await peopleFile(), OUT: join(dir, 'out') });
    expect(await read.json(join(dir, 'out')).toRows()).toEqual([
      { id: 1, name: 'Ann', friends: [{ name: 'Bob', age: 30 }, { name: 'Cy', age: null }] },
      { id: 2, name: 'Ben', friends: null },
      { id: 3, name: null, friends: [{ name: 'Dee', age: 41 }] },
    ]);
  });
});
