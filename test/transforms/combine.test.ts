import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { col, lit } from '../../src/expr/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const items = () => DataFrame.fromRows(
  [{ sku: 'a', qty: 2, price: 1.5 }, { sku: 'b', qty: null, price: 4 }, { sku: 'a', qty: 2, price: 1.5 }, { sku: null, qty: 1, price: null }],
  { sku: 'string', qty: 'int32', price: 'double' },
);

describe('WithColumns', () => {
  it('adds and replaces columns column-wise, typed by inferType, all reading the input', async () => {
    const out = items().withColumns({ total: 'qty * price', qty: col('qty').add(lit(1)), sku: "upper(sku)" });
    expect(schemaToSpec(await out.schema())).toEqual({ sku: 'string', qty: 'int32', price: 'float64', total: 'float64' });
    expect(await out.toColumns()).toEqual({
      sku: ['A', 'B', 'A', null], qty: [3, null, 3, 2], price: [1.5, 4, 1.5, null], total: [3, null, 3, null],
    });
  });

  it('fails at prepare on a bad expression', async () => {
    await expect(items().withColumns({ x: 'nope + 1' }).schema()).rejects.toThrow(/nope/);
    expect(() => items().withColumns({})).toThrow('columns must be an object { name: expression } with at least one entry');
  });
});

describe('Union', () => {
  it('appends frame2 (duplicates kept), matching columns by name, padding and widening', async () => {
    const a = DataFrame.fromRows([{ id: 1, name: 'x' }], { id: 'int32', name: 'string' });
    const b = DataFrame.fromRows([{ name: 'y', id: 2, extra: true }, { name: 'x', id: 1, extra: null }], { name: 'string', id: 'int64', extra: 'bool' });
    const out = a.union(b as unknown as DataFrame<{ id: number; name: string }>);
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int64', name: 'string', extra: 'bool' });
    expect(await out.toRows()).toEqual([
      { id: 1, name: 'x', extra: null }, { id: 2, name: 'y', extra: true }, { id: 1, name: 'x', extra: null },
    ]);
  });

  it('refuses types it cannot reconcile', async () => {
    const a = DataFrame.fromRows([{ v: { x: 1 } }]);
    const b = DataFrame.fromRows([{ v: 1 }]);
    await expect(a.union(b as never).schema()).rejects.toThrow("Union: cannot union column 'v': frame1 has struct<x:int32>, frame2 has int32");
  });
});

describe('DropNullFields', () => {
  it('drops the columns that are null in every row, across batches', async () => {
    type R = { id: number; empty: string | null; some: number | null };
    const a = DataFrame.fromRows<R>([{ id: 1, empty: null, some: null }], { id: 'int32', empty: 'string', some: 'double' });
    const b = DataFrame.fromRows<R>([{ id: 2, empty: null, some: 2.5 }], { id: 'int32', empty: 'string', some: 'double' });
    const out = a.union(b).dropNullFields();
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', some: 'float64' });
    expect(await out.toRows()).toEqual([{ id: 1, some: null }, { id: 2, some: 2.5 }]);
  });

  it('keeps every column of an empty input', async () => {
    const out = DataFrame.fromRows([], { id: 'int32', x: 'string' }).dropNullFields();
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', x: 'string' });
  });
});

describe('DropDuplicates', () => {
  it('keeps the first of identical rows, nulls equal to nulls, order preserved', async () => {
    const twice = items().union(items());
    expect(await twice.dropDuplicates().toRows()).toEqual([
      { sku: 'a', qty: 2, price: 1.5 }, { sku: 'b', qty: null, price: 4 }, { sku: null, qty: 1, price: null },
    ]);
  });

  it('deduplicates on chosen columns and checks their names', async () => {
    expect(await items().dropDuplicates(['sku']).toColumns()).toEqual({ sku: ['a', 'b', null], qty: [2, null, 1], price: [1.5, 4, null] });
    expect((await items().dropDuplicates(['qty', 'price']).toColumns()).sku).toEqual(['a', 'b', null]);
    await expect(items().dropDuplicates(['skew' as never]).schema()).rejects.toThrow("no column 'skew' to deduplicate on; available: sku, qty, price");
  });
});
