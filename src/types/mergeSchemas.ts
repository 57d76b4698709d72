import { DataType, Field, Float64, Int, List, Schema, Struct, TimestampMicrosecond, Type, Utf8, type Timestamp } from 'apache-arrow';
import { typeName } from './typeNames.js';
import { choiceAlternatives, glueTypeName, isChoice, makeChoice } from './choice.js';

/**
 * What to do when two files disagree on a column's type and no widening reconciles them:
 * 'choice' (text formats: CSV, JSON, XML — the column becomes a Glue choice type, types/choice.ts,
 * and each value is kept in its own type) or 'conflict' (binary formats: Parquet, Avro — their
 * readers cannot turn a column into another type, so the merge reports the conflict).
 */
export type MergeConflicts = 'choice' | 'conflict';

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
 * Glue's `mergeDataTypes` (awsglue/gluetypes.py) with Spark's JSON-inference widening where the
 * types are compatible: null + T → T; equal types → the first; int8 ⊂ … ⊂ int64 ⊂ float64 (Glue
 * would make a choice{int,long} here; sluice widens, as Spark does, so a column of numbers stays a
 * number); date + timestamp → timestamp; structs: the first's fields in order (merged where both
 * have them), then the second's new ones; lists merge their elements. Anything else (a number and
 * a string, a struct and a string…) is a choice of both ('choice'), where choice + T merges T into
 * its compatible alternative or adds it; or a SchemaConflict ('conflict').
 */
export function mergeDataTypes(a: DataType, b: DataType, conflicts: MergeConflicts = 'choice', path = ''): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (typeName(a) === typeName(b)) return a;
  if (conflicts === 'choice' && (isChoice(a) || isChoice(b))) return mergeChoices(a, b, path);
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
  if (a instanceof List && b instanceof List && conflicts === 'choice') {
    return new List(new Field(a.children[0].name, mergeDataTypes(a.children[0].type, b.children[0].type, conflicts, `${path}[]`), true));
  }
  if (conflicts === 'choice') {
    if (isTemporal(a) && isTemporal(b)) return a.typeId === Type.Timestamp ? a : b.typeId === Type.Timestamp ? b : new TimestampMicrosecond('UTC');
    return makeChoice([a, b]);
  }
  throw new SchemaConflict(path, a, b);
}

/** Whether two types merge into one alternative (rather than being two alternatives of a choice). */
function compatible(a: DataType, b: DataType): boolean {
  if (numericRank(a) !== undefined && numericRank(b) !== undefined) return true;
  if (isTemporal(a) && isTemporal(b)) return true;
  return glueTypeName(a) === glueTypeName(b);
}

/** choice + T (or choice + choice): each alternative merges into its compatible one, or is added. */
function mergeChoices(a: DataType, b: DataType, path: string): DataType {
  const merged = isChoice(a) ? choiceAlternatives(a) : [a];
  for (const type of isChoice(b) ? choiceAlternatives(b) : [b]) {
    const i = merged.findIndex((known) => compatible(known, type));
    if (i < 0) merged.push(type);
    else merged[i] = mergeDataTypes(merged[i], type, 'choice', path);
  }
  return makeChoice(merged);
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
export function mergeSchemas(schemas: readonly Schema[], conflicts: MergeConflicts = 'choice'): Schema {
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

/**
 * The type with every choice (at any depth) made a string: for merges whose result must be a
 * plain type — Spark's JSON inference, a crawler's catalog column, a Map's inferred output.
 */
export function choicesAsText(type: DataType): DataType {
  if (isChoice(type)) return new Utf8();
  if (type.typeId === Type.Struct) return new Struct((type as Struct).children.map((f) => new Field(f.name, choicesAsText(f.type), f.nullable, f.metadata)));
  if (type.typeId === Type.List) {
    const item = (type as List).children[0];
    return new List(new Field(item.name, choicesAsText(item.type), item.nullable, item.metadata));
  }
  return type;
}
