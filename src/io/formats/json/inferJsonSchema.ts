import { Bool, DataType, Field, Float64, Int32, Int64, List, Null, Schema, Struct, Type, Utf8 } from 'apache-arrow';
import { isObject } from './jsonPath.js';
import { nestsTooDeep } from './jsonDepth.js';
import { mergeDataTypes } from '../../../types/mergeSchemas.js';
import { choiceAlternatives, isChoice, makeChoice } from '../../../types/choice.js';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** ±2^63: a whole number outside this (`1.0e+28`) does not fit int64 and is inferred as a double. */
export const INT64_LIMIT = 9_223_372_036_854_775_808;

/** The Arrow type of one JSON value; `Null` stands for "not known yet". */
export function typeOfJsonValue(value: unknown): DataType {
  if (value === null || value === undefined) return new Null();
  if (typeof value === 'boolean') return new Bool();
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return new Float64();
    if (value >= INT32_MIN && value <= INT32_MAX) return new Int32();
    return value >= -INT64_LIMIT && value < INT64_LIMIT ? new Int64() : new Float64();
  }
  if (typeof value === 'string') return new Utf8();
  if (Array.isArray(value)) {
    let element: DataType = new Null();
    for (const item of value) element = mergeDataTypes(element, typeOfJsonValue(item));
    return new List(new Field('item', element, true));
  }
  if (isObject(value)) {
    return new Struct(Object.keys(value).map((key) => new Field(key, typeOfJsonValue(value[key]), true)));
  }
  return new Utf8();
}

/**
 * XML's merge of two inferred types (JSON merges with types/mergeSchemas' mergeDataTypes, where a
 * conflict is a choice): int32 ⊂ int64 ⊂ float64, structs union their fields (first-seen order),
 * lists merge their elements. Any other conflict becomes Utf8: XML values are text, kept as such.
 */
export function mergeTypes(a: DataType, b: DataType): DataType {
  if (a.typeId === Type.Null) return b;
  if (b.typeId === Type.Null) return a;
  if (isNumeric(a) && isNumeric(b)) return numericRank(a) >= numericRank(b) ? a : b;
  if (a.typeId !== b.typeId) return new Utf8();
  if (a instanceof Struct && b instanceof Struct) {
    const fields = a.children.map((field) => {
      const other = b.children.find((candidate) => candidate.name === field.name);
      return other ? new Field(field.name, mergeTypes(field.type, other.type), true) : field;
    });
    for (const field of b.children) if (!a.children.some((known) => known.name === field.name)) fields.push(field);
    return new Struct(fields);
  }
  if (a instanceof List && b instanceof List) {
    return new List(new Field('item', mergeTypes(a.children[0].type, b.children[0].type), true));
  }
  return a;
}

const isNumeric = (type: DataType) => type.typeId === Type.Int || type.typeId === Type.Float;
const numericRank = (type: DataType) => (type instanceof Int32 ? 0 : type instanceof Int64 ? 1 : 2);

/** Columns seen only as null (or empty lists) have no type to go on: make them Utf8, like Spark. */
export function settle(type: DataType): DataType {
  if (type.typeId === Type.Null) return new Utf8();
  if (isChoice(type)) return makeChoice(choiceAlternatives(type).map(settle));
  if (type instanceof Struct) return new Struct(type.children.map((field) => new Field(field.name, settle(field.type), true)));
  if (type instanceof List) return new List(new Field('item', settle(type.children[0].type), true));
  return type;
}

/**
 * Infers a schema from sample records (JSON objects), merged as Glue merges them (a value that is
 * a number in one record and a string or a struct in another makes a choice); non-object samples are skipped, and so are
 * records nested deeper than MAX_JSON_DEPTH (the readers make them error records).
 */
export function inferJsonSchema(records: Iterable<unknown>): Schema {
  let merged: DataType = new Struct([]);
  for (const record of records) if (isObject(record) && !nestsTooDeep(record)) merged = mergeDataTypes(merged, typeOfJsonValue(record));
  return new Schema((settle(merged) as Struct).children);
}
