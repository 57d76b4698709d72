import {
  Bool, DataType, DateDay, Decimal, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, Null,
  Schema, Struct, TimestampMicrosecond, TimestampMillisecond, Type, Utf8, TimeUnit,
} from 'apache-arrow';
import { SluiceError } from './ErrorRecord.js';
import { isChoice, makeChoice } from './choice.js';

/**
 * sluice's logical types are Arrow's DataTypes. This file maps them to and from the names users
 * write in job specs and ApplyMapping ("int32", "decimal(10,2)", "timestamp", "array<string>").
 */

const SIMPLE: Record<string, () => DataType> = {
  bool: () => new Bool(), boolean: () => new Bool(),
  byte: () => new Int8(), tinyint: () => new Int8(), int8: () => new Int8(),
  short: () => new Int16(), smallint: () => new Int16(), int16: () => new Int16(),
  int: () => new Int32(), integer: () => new Int32(), int32: () => new Int32(),
  long: () => new Int64(), bigint: () => new Int64(), int64: () => new Int64(),
  float: () => new Float32(), float32: () => new Float32(),
  double: () => new Float64(), float64: () => new Float64(),
  string: () => new Utf8(), utf8: () => new Utf8(), varchar: () => new Utf8(),
  date: () => new DateDay(),
  timestamp: () => new TimestampMicrosecond('UTC'), 'timestamp(us)': () => new TimestampMicrosecond('UTC'),
  'timestamp(ms)': () => new TimestampMillisecond('UTC'),
  null: () => new Null(), void: () => new Null(),
};

/** Parses a type name: the Glue/Spark/Arrow spellings, decimal(p,s), array<T>, struct<a:T,...>, choice<T,U> (types/choice.ts). */
export function parseType(name: string): DataType {
  const text = name.trim().toLowerCase();
  const simple = SIMPLE[text];
  if (simple) return simple();
  const dec = /^(?:decimal|numeric)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?$/.exec(text);
  if (dec) {
    const precision = dec[1] ? Number(dec[1]) : 10;
    const scale = dec[2] ? Number(dec[2]) : 0;
    if (precision < 1 || precision > 38 || scale > precision) throw new SluiceError(`invalid decimal type '${name}': precision must be 1..38 and scale <= precision`);
    return new Decimal(scale, precision, 128);
  }
  const arr = /^(?:array|list)\s*<(.*)>$/.exec(name.trim());
  if (arr) return new List(new Field('element', parseType(arr[1]), true));
  const st = /^struct\s*<(.*)>$/i.exec(name.trim());
  if (st) return new Struct(splitTopLevel(st[1]).map(parseStructField));
  const choice = /^choice\s*<(.*)>$/i.exec(name.trim());
  if (choice) return makeChoice(splitTopLevel(choice[1]).map(parseType));
  throw new SluiceError(`unknown type '${name}': use one of bool, int32, int64, float64, decimal(p,s), string, date, timestamp, array<T>, struct<a:T>`);
}

function parseStructField(part: string): Field {
  const i = part.indexOf(':');
  if (i < 0) throw new SluiceError(`invalid struct field '${part}': expected name:type`);
  return new Field(part.slice(0, i).trim(), parseType(part.slice(i + 1)), true);
}

/** Splits "a:int, b:struct<c:int,d:int>" on the commas that are not inside <...>. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '<' || ch === '(') depth++;
    else if (ch === '>' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.slice(start).trim()) parts.push(text.slice(start));
  return parts;
}

/** The canonical name of a type, the inverse of parseType. */
export function typeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool: return 'bool';
    case Type.Int: {
      const t = type as Int32;
      return `${t.isSigned ? 'int' : 'uint'}${t.bitWidth}`;
    }
    case Type.Float: return (type as Float64).precision === 2 ? 'float64' : (type as Float64).precision === 1 ? 'float32' : 'float16';
    case Type.Decimal: return `decimal(${(type as Decimal).precision},${(type as Decimal).scale})`;
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Binary: return 'binary';
    case Type.Date: return 'date';
    case Type.Timestamp: return (type as TimestampMicrosecond).unit === TimeUnit.MILLISECOND ? 'timestamp(ms)' : 'timestamp';
    case Type.Dictionary: return typeName((type as Dictionary).dictionary);
    case Type.List: return `array<${typeName((type as List).valueType)}>`;
    case Type.Struct:
      if (isChoice(type)) return `choice<${type.children.map((f) => typeName(f.type)).join(',')}>`;
      return `struct<${(type as Struct).children.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
    case Type.Null: return 'null';
    default: return String(type);
  }
}

/** A schema from a job spec's `{"order_id": "int32", ...}`; every field nullable. */
export function schemaFromSpec(spec: Record<string, string>): Schema {
  return new Schema(Object.entries(spec).map(([name, t]) => new Field(name, parseType(t), true)));
}

/** A schema as `{"name": "type"}`, for `sluice schema` and the catalog. */
export function schemaToSpec(schema: Schema): Record<string, string> {
  return Object.fromEntries(schema.fields.map((f) => [f.name, typeName(f.type)]));
}
