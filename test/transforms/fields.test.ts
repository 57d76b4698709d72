import { describe, expect, expectTypeOf, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import type { RowOf } from '../support/types.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const people = () => DataFrame.fromRows(
  [
    { id: 1, name: 'Ann', address: { city: 'Paris', zip: '75001', 'geo.lat': 48.8 } },
    { id: 2, name: null, address: null },
    { id: 3, name: 'Cy', address: { city: null, zip: '10001', 'geo.lat': 40.7 } },
  ],
  { id: 'int32', name: 'string', address: 'struct<city:string,zip:string,geo.lat:double>' },
);

describe('SelectFields', () => {
  it('keeps the named fields in the order named, nested ones inside their struct', async () => {
    const out = people().selectFields(['address.zip', 'id', 'address.`geo.lat`']);
    expect(schemaToSpec(await out.schema())).toEqual({ address: 'struct<zip:string,geo.lat:float64>', id: 'int32' });
    expect(await out.toRows()).toEqual([
      { address: { zip: '75001', 'geo.lat': 48.8 }, id: 1 },
      { address: null, id: 2 },
      { address: { zip: '10001', 'geo.lat': 40.7 }, id: 3 },
    ]);
  });

  it('narrows the row type', async () => {
    const typed = DataFrame.fromRows([{ a: 1, b: 'x' }]);
    const x = typed.selectFields(['a']);
    // Checked by tsc (npm test's typecheck step): the row type is exactly { a: number }.
    expectTypeOf<RowOf<typeof x>>().toEqualTypeOf<{ a: number }>();
    expectTypeOf<RowOf<typeof x>>().not.toEqualTypeOf<{ a: number; b: string }>();
    expect(await x.toRows()).toEqual([{ a: 1 }]);
  });

  it('names the unknown path and the available fields', async () => {
    await expect(people().selectFields(['address.town']).toRows()).rejects.toThrow(
      "SelectFields: no field 'town' inside 'address' for path 'address.town'; available: city, zip, `geo.lat`",
    );
    await expect(people().selectFields(['nme']).toRows()).rejects.toThrow("no field 'nme' for path 'nme'; available: id, name, address");
    await expect(people().selectFields(['id.x']).toRows()).rejects.toThrow("path 'id.x' goes into 'id', which is Int32 and not a struct");
  });
});

describe('DropFields', () => {
  it('drops top-level and nested fields (backticks quote dotted names)', async () => {
    const out = people().dropFields(['name', 'address.`geo.lat`', 'address.city']);
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', address: 'struct<zip:string>' });
    expect(await out.toColumns()).toEqual({ id: [1, 2, 3], address: [{ zip: '75001' }, null, { zip: '10001' }] });
  });

  it('drops a struct left without children', async () => {
    const out = people().dropFields(['address.city', 'address.zip', 'address.`geo.lat`']);
    expect(await out.toRows()).toEqual([{ id: 1, name: 'Ann' }, { id: 2, name: null }, { id: 3, name: 'Cy' }]);
  });

  it('types the result and rejects unknown fields', async () => {
    const x = DataFrame.fromRows([{ id: 1, v: 2 }]).dropFields(['v']);
    expectTypeOf<RowOf<typeof x>>().toEqualTypeOf<{ id: number }>();
    expect(await x.toRows()).toEqual([{ id: 1 }]);
    await expect(people().dropFields(['zip']).toRows()).rejects.toThrow("DropFields: no field 'zip' for path 'zip'");
  });
});

describe('RenameField', () => {
  it('renames top-level and nested fields, keeping positions and values', async () => {
    const top = people().renameField('name', 'full_name');
    expect(Object.keys(schemaToSpec(await top.schema()))).toEqual(['id', 'full_name', 'address']);
    const nested = people().renameField('address.`geo.lat`', 'address.latitude');
    expect(schemaToSpec(await nested.schema()).address).toBe('struct<city:string,zip:string,latitude:float64>');
    expect((await nested.toColumns()).address).toEqual([
      { city: 'Paris', zip: '75001', latitude: 48.8 }, null, { city: null, zip: '10001', latitude: 40.7 },
    ]);
  });

  it('types the result', async () => {
    const x = DataFrame.fromRows([{ a: 1, c: 'k' }]).renameField('a', 'b');
    expectTypeOf<RowOf<typeof x>>().toEqualTypeOf<{ b: number; c: string }>();
    expect(await x.toRows()).toEqual([{ b: 1, c: 'k' }]);
  });

  it('refuses clashes, moves out of the struct and unknown names', async () => {
    await expect(people().renameField('name', 'id').toRows()).rejects.toThrow("a field 'id' already exists");
    await expect(people().renameField('address.zip', 'zip').toRows()).rejects.toThrow('the new path must stay in the same struct');
    await expect(people().renameField('address.pin', 'address.zip2').toRows()).rejects.toThrow("no field 'pin' inside 'address'");
  });
});
