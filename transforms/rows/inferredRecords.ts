import { Field, Schema, Type, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { columnFromValues, inferTypeOfValues } from '../../src/columns/fromValues.js';
import { nullColumn } from '../../src/columns/nullColumn.js';
import { ownField } from '../../src/columns/ownFields.js';
import { makeBatch } from '../../src/columns/take.js';
import { columnValues } from '../../src/columns/toValues.js';
import { choicesAsText, mergeDataTypes } from '../../src/types/mergeSchemas.js';
import { typeName } from '../../src/types/typeNames.js';
import type { Row } from '../../src/frame/DataFrame.js';

/**
 * Schema-on-read for records a row function returns (Map, FlatMap without a declared schema):
 * each chunk's records become a batch of the chunk's own inferred schema (columnar at once, so
 * no record outlives its chunk), the chunk schemas merge into one, and every batch is then
 * conformed to the merged schema before it leaves the step.
 */

/** The records as a batch: columns in order of first appearance, types inferred from the values. */
export function recordsBatch(records: readonly Row[]): RecordBatch {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) if (!seen.has(key)) (seen.add(key), names.push(key));
  const fields: Field[] = [];
  const columns: Data[] = [];
  for (const name of names) {
    const values = records.map((r) => ownField(r, name) ?? null);
    const type = inferTypeOfValues(values);
    fields.push(new Field(name, type, true));
    columns.push(columnFromValues(type, values));
  }
  return makeBatch(new Schema(fields), columns, records.length);
}

/**
 * The type a column gets when two chunks disagree. The one place to plug choice types in: today
 * numbers widen (int32 → int64 → float64), structs union their fields, and other conflicts fall
 * back to string, as the JSON reader's inference does (src/types/mergeSchemas.ts).
 */
export function mergeOutputTypes(a: DataType, b: DataType): DataType {
  return choicesAsText(mergeDataTypes(a, b, 'choice'));
}

/**
 * The merged schema of the chunks' batches (first chunk's columns first, new ones appended). A
 * column null in every record takes the input's type of the same name, if any, so a passed-through
 * empty column keeps its type; with no records at all the output keeps the input's schema.
 */
export function mergedRecordsSchema(batches: readonly RecordBatch[], input: Schema): Schema {
  const types = new Map<string, DataType>();
  for (const batch of batches) {
    for (const field of batch.schema.fields) {
      const known = types.get(field.name);
      types.set(field.name, known ? mergeOutputTypes(known, field.type) : field.type);
    }
  }
  if (types.size === 0 && batches.every((b) => b.numRows === 0)) return input;
  const fields = [...types].map(([name, type]) => {
    const fallback = type.typeId === Type.Null ? input.fields.find((f) => f.name === name) : undefined;
    return fallback ?? new Field(name, type, true);
  });
  return new Schema(fields, input.metadata);
}

/** A batch conformed to `schema`: missing columns as nulls, columns of another type rebuilt in it. */
export function conformBatch(batch: RecordBatch, schema: Schema): RecordBatch {
  const columns = schema.fields.map((field) => {
    const index = batch.schema.fields.findIndex((f) => f.name === field.name);
    if (index < 0) return nullColumn(field.type, batch.numRows);
    const data = batch.data.children[index] as Data;
    return typeName(data.type) === typeName(field.type) ? data : columnFromValues(field.type, columnValues(data));
  });
  return makeBatch(schema, columns, batch.numRows);
}
