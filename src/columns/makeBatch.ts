import { makeData, RecordBatch, Schema, Struct, type Data } from 'apache-arrow';

/** The schema of a batch with no columns (Arrow's constructor does nothing costly for it). */
const NO_COLUMNS = new Schema([]);

/**
 * A RecordBatch of `schema` over its struct `data` (one child per field, each `data.length`
 * long), built without Arrow JS's constructor path: `new RecordBatch(schema, data)` re-assigns
 * the schema to itself (`Schema.assign` looks every field up by name among all fields: quadratic
 * in the column count, seconds for a CSV with thousands of columns). The batch is the one the
 * constructor makes when every child has the batch's length; otherwise (Arrow then pads the short
 * children with nulls) the constructor builds it. Use it instead of `new RecordBatch(`.
 */
export function batchOf(schema: Schema, data: Data<Struct>): RecordBatch {
  const { children, length } = data;
  if (children.length !== schema.fields.length || children.some((child) => child.length !== length)) return new RecordBatch(schema, data);
  const batch = rowsOnlyBatch(length);
  const writable = batch as { -readonly [K in 'schema' | 'data']: RecordBatch[K] };
  writable.schema = schema;
  writable.data = data;
  return batch;
}

/** A RecordBatch of `schema` over column Data (one per field, each `length` long). */
export function makeBatch(schema: Schema, columns: readonly Data[], length: number): RecordBatch {
  return batchOf(schema, makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: [...columns] }));
}

/** A batch of `length` rows and no columns: all a count needs. */
export function rowsOnlyBatch(length: number): RecordBatch {
  return new RecordBatch(NO_COLUMNS, makeData({ type: new Struct([]), length, nullCount: 0, children: [] }));
}
