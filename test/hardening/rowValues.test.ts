import { describe, expect, it } from 'vitest';
import { Field, Schema, TimeUnit, Timestamp, makeData, RecordBatch, Struct, Int32, Table } from 'apache-arrow';
import { DataFrame } from '../../src/index.js';

/** A one-column timestamp batch of the given unit and raw values. */
function timestamps(unit: TimeUnit, values: bigint[]): DataFrame {
  const type = new Timestamp(unit, 'UTC');
  const data = makeData({ type, length: values.length, nullCount: 0, data: BigInt64Array.from(values) });
  const schema = new Schema([new Field('ts', type, true)]);
  return DataFrame.fromArrow(new Table([new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: values.length, nullCount: 0, children: [data] }))]));
}

describe('row values keep what the column holds', () => {
  it('nanosecond and microsecond timestamps convert exactly, rounding down as Spark does', async () => {
    // 2024-01-02T03:04:05.999999999Z: a double loses the last digits and can round up a millisecond.
    const ns = 1_704_164_645_999_999_999n;
    const rows = await timestamps(TimeUnit.NANOSECOND, [ns, -1n, 9_223_372_036_854_775_807n]).toRows();
    expect(rows.map((r) => (r.ts as Date).toISOString())).toEqual([
      '2024-01-02T03:04:05.999Z', '1969-12-31T23:59:59.999Z', '2262-04-11T23:47:16.854Z',
    ]);
    const us = await timestamps(TimeUnit.MICROSECOND, [253_402_300_799_999_999n, -1n]).toRows();
    expect(us.map((r) => (r.ts as Date).toISOString())).toEqual(['9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z']);
  });

  it('fields named __proto__, constructor and valueOf are plain own fields of rows', async () => {
    const names = ['__proto__', 'constructor', 'valueOf'];
    const fromColumns = DataFrame.fromColumns({ __proto__: [1], constructor: [2], valueOf: [3] } as never, { ['__proto__']: 'int32', constructor: 'int32', valueOf: 'int32' });
    const rows = await fromColumns.toRows();
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.keys(rows[0])).toEqual(names);
    expect(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value).toBe(1);
    expect([rows[0].constructor, rows[0].valueOf]).toEqual([2, 3]);
    // A row object lacking a field must not read the inherited `constructor` as its value.
    const partial = await DataFrame.fromRows([{ id: 1 }, { id: 2, constructor: 5 } as never], { id: 'int32', constructor: 'int32' }).toRows();
    expect(partial).toEqual([{ id: 1, constructor: null }, { id: 2, constructor: 5 }]);
  });
});
