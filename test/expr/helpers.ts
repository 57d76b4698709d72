import { Data, Field, makeData, RecordBatch, Schema, Struct, Vector, vectorFromArray, type DataType } from 'apache-arrow';
import { evaluate, expr } from '../../src/expr/index.js';

/** A RecordBatch from named columns given as Vectors, Data, or plain arrays (with an optional type). */
export function batchOf(columns: Record<string, Vector | Data | [unknown[], DataType]>): RecordBatch {
  const datas = Object.values(columns).map((c) => {
    if (c instanceof Data) return c;
    if (c instanceof Vector) return c.data[0];
    return vectorFromArray(c[0] as never[], c[1]).data[0];
  });
  const length = datas[0].length;
  const schema = new Schema(Object.keys(columns).map((name, i) => new Field(name, datas[i].type, true)));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length, children: datas }));
}

/** The rows of a vector as plain JS values (bigint kept, Date-like numbers as they come). */
export const rows = (v: Vector): unknown[] => [...v].map((x) => (x !== null && typeof x === 'object' && 'toArray' in x ? [...(x as Vector)] : x));

/** Evaluates Spark SQL text over a batch and returns its rows. */
export const run = (sql: string, batch: RecordBatch): unknown[] => rows(evaluate(expr(sql).node, batch));
