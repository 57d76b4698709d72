import { DataType, Field, Float64, Int, List, Schema, Struct, TimestampMicrosecond, Type, Utf8, type Timestamp } from 'apache-arrow';
import { typeName } from './typeNames.js';

/**
 * What to do when two files disagree on a column's type and no numeric widening reconciles them:
 * 'string' (text formats: CSV, JSON, XML — the reader keeps each value's text, as Spark's JSON
 * inference does) or 'conflict' (binary formats: Parquet, Avro — their readers cannot turn a
 * column into another type, so the merge reports the conflict).
 */
export type MergeConflicts = 'string' | 'conflict';

/** Two inputs whose column types cannot be merged (binary formats). */
export class SchemaConflict extends Error {
  constructor(readonly path: string, readonly left: DataType, readonly right: DataType) {
    super(`column ${path} is ${typeName(left)} in one file and ${typeName(right)} in another`);
  }
}

/** Signed integers and floats, narrowest first; the merge of two is the wider (int → float included). */
function numericRank(type: DataType): number | undefined {
  if (type.typeId === Type.Int) {
    const int = type as Int;
    return int.isSigned ? Math.log2(int.bitWidth) - 3 : undefined; // int8 0 … int64 3
  }
  if (type.typeId === Type.Float) return 4 + (type as Float64).precision; // float16 4, float32 5, float64 6
  return undefined;
}

/**
 * Glue's `mergeDataTypes` (awsglue/gluetypes.py) with Spark's JSON-inference widening in place of
 * choice types: null + T → T; equal types → the first; int8 ⊂ … ⊂ int64 ⊂ float64 (as Spark's
 * JSON inference; Glue would make a choice{int,long}); date + timestamp → timestamp; structs: the
 * first's fields in order (merged where both have them), then the second's new ones; lists merge
 * their elements. Anything else: Utf8 ('string') or a SchemaConflict ('conflict').
 */
export function mergeDataTypes(a: DataType, b: DataType, conflicts: MergeConflicts = 'string', path = ''): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (typeName(a) === typeName(b)) return a;
  const ra = numericRank(a);
  const rb = numericRank(b);
  if (ra !== undefined && rb !== undefined) {
    if (conflicts === 'conflict') throw new SchemaConflict(path, a, b);
    // int64 + float32 would lose digits in float32: float64, as Spark.
    if (Math.max(ra, rb) === 5 && Math.min(ra, rb) === 3) return new Float64();
    return ra >= rb ? a : b;
  }
  if (a instanceof Struct && b instanceof Struct) {
    // Binary readers fill a missing top-level column with nulls but cannot reshape a nested one.
    if (conflicts === 'conflict' && path !== '') throw new SchemaConflict(path, a, b);
    const others = firstByName(b.children);
    const fields = a.children.map((field) => {
      const other = others.get(field.name);
      return other ? new Field(field.name, mergeDataTypes(field.type, other.type, conflicts, join(path, field.name)), true) : field;
    });
    const known = firstByName(a.children);
    for (const field of b.children) if (!known.has(field.name)) fields.push(field);
    return new Struct(fields);
  }
  if (a instanceof List && b instanceof List && conflicts === 'string') {
    return new List(new Field(a.children[0].name, mergeDataTypes(a.children[0].type, b.children[0].type, conflicts, `${path}[]`), true));
  }
  if (conflicts === 'string') {
    if (isTemporal(a) && isTemporal(b)) return a.typeId === Type.Timestamp ? a : b.typeId === Type.Timestamp ? b : new TimestampMicrosecond('UTC');
    return new Utf8();
  }
  throw new SchemaConflict(path, a, b);
}

const isTemporal = (type: DataType) => type.typeId === Type.Date || (type.typeId === Type.Timestamp && (type as Timestamp).unit !== undefined);
const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/** Fields by name, the first of a repeated name winning (as `find` would): lookups stay linear for wide schemas. */
function firstByName(fields: readonly Field[]): Map<string, Field> {
  const byName = new Map<string, Field>();
  for (const field of fields) if (!byName.has(field.name)) byName.set(field.name, field);
  return byName;
}

/** The merge of the files' schemas, in file order: see mergeDataTypes. Metadata of the first is kept. */
export function mergeSchemas(schemas: readonly Schema[], conflicts: MergeConflicts = 'string'): Schema {
  if (schemas.length === 0) return new Schema([]);
  let merged = new Struct(schemas[0].fields) as DataType;
  for (let i = 1; i < schemas.length; i++) merged = mergeDataTypes(merged, new Struct(schemas[i].fields), conflicts);
  const firsts = firstByName(schemas[0].fields);
  const fields = (merged as Struct).children.map((field) => {
    const first = firsts.get(field.name);
    return first && first.type === field.type ? first : new Field(field.name, field.type, true, first?.metadata);
  });
  return new Schema(fields, schemas[0].metadata);
}

/**
 * A partial schema over an inferred one: the inferred columns in their order, with the types the
 * given schema names, then the given columns the files do not have (all null).
 */
export function overlaySchema(inferred: Schema, given: Schema): Schema {
  const byName = new Map(given.fields.map((f) => [f.name, f]));
  const fields = inferred.fields.map((f) => byName.get(f.name) ?? f);
  for (const field of given.fields) if (!inferred.fields.some((f) => f.name === field.name)) fields.push(field);
  return new Schema(fields, inferred.metadata);
}
