import { Bool, DataType, DateDay, Decimal, Field, Float64, Int32, Int64, List, Struct, TimeUnit, Timestamp, Utf8 } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';

/** An Avro schema as it appears (parsed) in a container file's header. */
export type AvroSchema = string | AvroSchema[] | { type: AvroSchema; [key: string]: unknown };

/** Turns a value as avsc decodes it into the value the JSON column builders accept. */
export type AvroConvert = (value: unknown) => unknown;

/** How one Avro type lands in Arrow: its type, whether it may be null, and the value conversion. */
export interface AvroColumn {
  type: DataType;
  nullable: boolean;
  convert: AvroConvert;
}

const identity: AvroConvert = (value) => value;

const isSafe = (value: bigint) => value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);

/** Longs are decoded as BigInt (see avroReader); the int64 builders take a bigint past 2^53 as it is. */
const longValue: AvroConvert = (value) => (typeof value === 'bigint' && isSafe(value) ? Number(value) : value);

const base64: AvroConvert = (value) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value);

const MS_PER_DAY = 86_400_000;
const isoDate: AvroConvert = (value) => (typeof value === 'number' ? new Date(value * MS_PER_DAY).toISOString().slice(0, 10) : value);

/** Avro decimals are big-endian two's-complement unscaled integers; the builder parses decimal text. */
function decimalText(scale: number): AvroConvert {
  return (value) => {
    if (!(value instanceof Uint8Array)) return value;
    let unscaled = 0n;
    for (const byte of value) unscaled = (unscaled << 8n) | BigInt(byte);
    if (value.length > 0 && value[0] & 0x80) unscaled -= 1n << BigInt(value.length * 8);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return negative ? `-${text}` : text;
  };
}

/** JSON text for values kept as text (maps, unions of several types): bytes as base64, longs as numbers. */
const jsonText: AvroConvert = (value) =>
  value === null || value === undefined
    ? null
    : JSON.stringify(value, (_key, v: unknown) =>
        typeof v === 'bigint' ? (isSafe(v) ? Number(v) : v.toString()) : v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('base64') : v,
      );

/** Named types (records, enums, fixed) declared so far, by full name and by short name. */
type Names = Map<string, AvroSchema>;

function rememberName(schema: { [key: string]: unknown }, names: Names, namespace: string | undefined) {
  if (typeof schema.name !== 'string') return;
  const space = typeof schema.namespace === 'string' ? schema.namespace : namespace;
  const full = schema.name.includes('.') || !space ? schema.name : `${space}.${schema.name}`;
  names.set(full, schema as AvroSchema);
  names.set(schema.name.split('.').at(-1)!, schema as AvroSchema);
}

/**
 * The Arrow column for an Avro type. Mapping: int → Int32, long → Int64, float/double → Float64,
 * boolean → Bool, string/enum → Utf8, bytes/fixed → Utf8 base64 text (sluice has no binary type;
 * base64 keeps every byte), record → Struct, array → List, union with null → nullable of the
 * other branch, other unions and maps → Utf8 JSON text (a union value as Avro's JSON encoding,
 * `{"int":3}`), date → DateDay, timestamp-millis/micros → Timestamp UTC, decimal → Decimal(p,s);
 * other logical types read as their underlying type.
 */
export function avroColumn(schema: AvroSchema, names: Names = new Map(), namespace?: string): AvroColumn {
  if (Array.isArray(schema)) return unionColumn(schema, names, namespace);
  if (typeof schema === 'string') {
    const named = names.get(schema) ?? (namespace ? names.get(`${namespace}.${schema}`) : undefined);
    if (named) return avroColumn(named, names, namespace);
    return primitiveColumn(schema);
  }
  const logical = schema.logicalType;
  if (logical === 'date' && schema.type === 'int') return { type: new DateDay(), nullable: false, convert: isoDate };
  if ((logical === 'timestamp-millis' || logical === 'timestamp-micros') && schema.type === 'long') {
    const unit = logical === 'timestamp-millis' ? TimeUnit.MILLISECOND : TimeUnit.MICROSECOND;
    return { type: new Timestamp(unit, 'UTC'), nullable: false, convert: longValue };
  }
  if (logical === 'decimal' && (schema.type === 'bytes' || schema.type === 'fixed') && typeof schema.precision === 'number') {
    const scale = typeof schema.scale === 'number' ? schema.scale : 0;
    if (schema.type === 'fixed') rememberName(schema, names, namespace);
    return { type: new Decimal(scale, schema.precision, 128), nullable: false, convert: decimalText(scale) };
  }
  switch (schema.type) {
    case 'record':
    case 'error':
      return recordColumn(schema, names, namespace);
    case 'enum':
    case 'fixed':
      rememberName(schema, names, namespace);
      return { type: new Utf8(), nullable: false, convert: schema.type === 'fixed' ? base64 : identity };
    case 'array': {
      const item = avroColumn(schema.items as AvroSchema, names, namespace);
      const convert: AvroConvert = (value) => (Array.isArray(value) ? value.map(item.convert) : value);
      return { type: new List(new Field('item', item.type, item.nullable)), nullable: false, convert };
    }
    case 'map':
      avroColumn(schema.values as AvroSchema, names, namespace); // declares the named types inside
      return { type: new Utf8(), nullable: false, convert: jsonText };
    default:
      return avroColumn(schema.type, names, namespace);
  }
}

function primitiveColumn(name: string): AvroColumn {
  switch (name) {
    case 'null':
      return { type: new Utf8(), nullable: true, convert: () => null };
    case 'boolean':
      return { type: new Bool(), nullable: false, convert: identity };
    case 'int':
      return { type: new Int32(), nullable: false, convert: identity };
    case 'long':
      return { type: new Int64(), nullable: false, convert: longValue };
    case 'float':
    case 'double':
      return { type: new Float64(), nullable: false, convert: identity };
    case 'string':
      return { type: new Utf8(), nullable: false, convert: identity };
    case 'bytes':
      return { type: new Utf8(), nullable: false, convert: base64 };
    default:
      throw new SluiceError(`Unknown Avro type '${name}'`);
  }
}

/** Unions are decoded wrapped (`{"int": 3}`), so a value names its branch. */
function unionColumn(branches: AvroSchema[], names: Names, namespace: string | undefined): AvroColumn {
  const others = branches.filter((b) => b !== 'null');
  const columns = branches.map((b) => avroColumn(b, names, namespace));
  const hasNull = others.length < branches.length;
  if (others.length === 1) {
    const only = columns[branches.indexOf(others[0])];
    const convert: AvroConvert = (value) => (value === null || value === undefined ? null : only.convert(unwrap(value)));
    return { type: only.type, nullable: hasNull, convert };
  }
  return { type: new Utf8(), nullable: hasNull, convert: jsonText };
}

function unwrap(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  return keys.length === 1 ? (value as Record<string, unknown>)[keys[0]] : value;
}

function recordColumn(schema: { [key: string]: unknown }, names: Names, namespace: string | undefined): AvroColumn {
  rememberName(schema, names, namespace);
  const space = typeof schema.namespace === 'string' ? schema.namespace : typeof schema.name === 'string' && schema.name.includes('.') ? schema.name.slice(0, schema.name.lastIndexOf('.')) : namespace;
  const fields = (schema.fields as { name: string; type: AvroSchema }[]) ?? [];
  const columns = fields.map((f) => avroColumn(f.type, names, space));
  const convert: AvroConvert = (value) => {
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) out[fields[i].name] = columns[i].convert(record[fields[i].name]);
    return out;
  };
  const type = new Struct(fields.map((f, i) => new Field(f.name, columns[i].type, columns[i].nullable)));
  return { type, nullable: false, convert };
}

/** The column a file gets when its writer schema is not a record (one value per row). */
export const AVRO_VALUE_COLUMN = 'value';

/**
 * The top-level fields of a file's writer schema, each with its conversion, which takes the whole
 * decoded record. A writer schema that is not a record (a file of strings, of arrays, of unions…)
 * gives one column, `value`, holding each datum: Spark's file reader refuses such files ("Avro
 * schema cannot be converted to a Spark SQL StructType"), so the name follows the single-value
 * columns of Spark's text and Kafka sources.
 */
export function avroRecordFields(schema: AvroSchema, file: string): { fields: Field[]; converts: Map<string, AvroConvert> } {
  const names: Names = new Map();
  if (typeof schema !== 'object' || Array.isArray(schema) || (schema.type !== 'record' && schema.type !== 'error')) {
    let column: AvroColumn;
    try {
      column = avroColumn(schema, names, undefined);
    } catch (error) {
      throw new SluiceError(`${file}: unreadable Avro writer schema (${JSON.stringify(schema).slice(0, 100)}): ${error instanceof Error ? error.message : String(error)}`, { file });
    }
    return { fields: [new Field(AVRO_VALUE_COLUMN, column.type, true)], converts: new Map([[AVRO_VALUE_COLUMN, column.convert]]) };
  }
  rememberName(schema, names, undefined);
  const space = typeof schema.namespace === 'string' ? schema.namespace : undefined;
  const avroFields = schema.fields as { name: string; type: AvroSchema }[];
  const converts = new Map<string, AvroConvert>();
  const fields = avroFields.map((f) => {
    const column = avroColumn(f.type, names, space);
    const name = f.name;
    const convert = column.convert;
    converts.set(name, (record) => convert((record as Record<string, unknown>)[name]));
    return new Field(f.name, column.type, column.nullable);
  });
  return { fields, converts };
}
