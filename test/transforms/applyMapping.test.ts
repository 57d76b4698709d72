import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { schemaToSpec } from '../../src/types/typeNames.js';

const orders = () => DataFrame.fromRows(
  [
    { order_id: '1', amount: '12.50', placed: '2024-01-05', customer: { name: 'Ann', age: 31 } },
    { order_id: 'x2', amount: 'abc', placed: 'not a date', customer: null },
    { order_id: null, amount: '99999999999.999', placed: null, customer: { name: null, age: 7 } },
  ],
  { order_id: 'string', amount: 'string', placed: 'string', customer: 'struct<name:string,age:int32>' },
);

describe('ApplyMapping', () => {
  it('outputs only mapped fields in mapping order, casting, reading and building structs', async () => {
    const out = orders().applyMapping([
      ['customer.name', 'string', 'who', 'string'],
      ['order_id', 'string', 'id', 'long'],
      ['amount', 'string', 'money.amount', 'decimal(10,2)'],
      ['placed', 'string', 'money.day', 'date'],
      ['customer.age', 'int', 'age', 'double'],
    ]);
    expect(schemaToSpec(await out.schema())).toEqual({
      who: 'string', id: 'int64', money: 'struct<amount:decimal(10,2),day:date>', age: 'float64',
    });
    // Values that cannot be cast become null (as in Glue): 'x2', 'abc', 'not a date', and
    // 99999999999.999 which does not fit decimal(10,2). A null struct's children read as null.
    expect(await out.toRows()).toEqual([
      { who: 'Ann', id: 1, money: { amount: 12.5, day: new Date('2024-01-05T00:00:00Z') }, age: 31 },
      { who: null, id: null, money: { amount: null, day: null }, age: null },
      { who: null, id: null, money: { amount: null, day: null }, age: 7 },
    ]);
    expect(await out.errorsCount()).toBe(0);
  });

  it('reports a missing source column with the available ones, at prepare time', async () => {
    await expect(orders().applyMapping([['orderid', 'string', 'id', 'int']]).schema()).rejects.toThrow(
      "ApplyMapping: no field 'orderid' for path 'orderid'; available: order_id, amount, placed, customer",
    );
  });

  it('rejects bad type names, impossible casts and clashing targets', async () => {
    expect(() => orders().applyMapping([['order_id', 'string', 'id', 'integr']])).toThrow("unknown type 'integr'");
    await expect(orders().applyMapping([['customer', 'struct', 'c', 'int']]).schema()).rejects.toThrow("cannot map 'customer' (struct<name:string,age:int32>) to int");
    await expect(orders().applyMapping([['amount', 'string', 'c', 'struct']]).schema()).rejects.toThrow("cannot map 'amount' (string) to struct: it is not a struct");
    await expect(orders().applyMapping([['order_id', 'string', 'a', 'string'], ['amount', 'string', 'a.b', 'string']]).schema())
      .rejects.toThrow("needs 'a' to be a struct");
    await expect(orders().applyMapping([['order_id', 'string', 'a', 'string'], ['amount', 'string', 'a', 'string']]).schema())
      .rejects.toThrow("target 'a' is mapped twice");
  });

  it('keeps a struct as is when mapped to its own type', async () => {
    const out = orders().applyMapping([['customer', 'struct', 'c', 'struct'], ['customer', 'struct', 'd', 'struct<name:string,age:int>']]);
    expect((await out.toColumns()).d).toEqual([{ name: 'Ann', age: 31 }, null, { name: null, age: 7 }]);
    expect((await out.toColumns()).c).toEqual([{ name: 'Ann', age: 31 }, null, { name: null, age: 7 }]);
  });
});
