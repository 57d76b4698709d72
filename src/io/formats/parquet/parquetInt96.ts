import { Field, List, Schema, Struct, Table, TimeUnit, Timestamp, Type, tableToIPC } from 'apache-arrow';
import { CompactReader, PhysicalType, type ParquetFooter } from './parquetFooter.js';
import { ThriftWriter, TType } from './encode/thriftCompact.js';

const ARROW_SCHEMA = 'ARROW:schema';
const FILE_KEY_VALUES = 5; // FileMetaData.key_value_metadata

/** The column paths (`ts`, `s.ts`, `l.list.element`) stored as INT96 (Spark's and Hive's legacy timestamps), nested ones included. */
export const int96Columns = (footer: ParquetFooter): Set<string> =>
  new Set(footer.columns.filter((c) => c.physicalType === PhysicalType.INT96).map((c) => c.path));

/**
 * The file's Arrow schema with its INT96 columns as Timestamp(µs). parquet-rs reads INT96 as
 * Timestamp(ns) by default, whose int64 wraps past 2262-04-11 (9999-12-31 read as 1816-03-30);
 * given this schema as the file's Arrow schema hint it decodes INT96 straight to microseconds,
 * which hold years 1 to 9999 exactly (Spark's TimestampType is µs too).
 */
export function int96AsMicros(schema: Schema, int96: Set<string>): Schema {
  return new Schema(schema.fields.map((field) => fieldAsMicros(field, [field.name], int96)), schema.metadata);
}

/**
 * The field with its INT96 timestamps as µs, inside structs and lists too. `paths` are the Parquet
 * column paths the field may stand for: a list's element sits under the list's repeated group
 * (`l.list.element`; Hive's `l.bag.array_element`) or, in 2-level legacy lists, right under it.
 */
function fieldAsMicros(field: Field, paths: string[], int96: Set<string>): Field {
  const type = field.type;
  if (type.typeId === Type.Timestamp) {
    if (!paths.some((path) => int96.has(path))) return field;
    return new Field(field.name, new Timestamp(TimeUnit.MICROSECOND, (type as Timestamp).timezone), field.nullable, field.metadata);
  }
  if (type.typeId === Type.Struct) {
    const children = (type as Struct).children.map((child) => fieldAsMicros(child, paths.map((path) => `${path}.${child.name}`), int96));
    return new Field(field.name, new Struct(children), field.nullable, field.metadata);
  }
  if (type.typeId === Type.List) {
    const child = (type as List).children[0];
    const childPaths = paths.flatMap((path) => [`${path}.list.${child.name}`, `${path}.bag.${child.name}`, `${path}.${child.name}`]);
    return new Field(field.name, new List(fieldAsMicros(child, childPaths, int96)), field.nullable, field.metadata);
  }
  return field;
}

/**
 * The file as a Blob whose footer carries `schema` as its Arrow schema hint (key ARROW:schema,
 * replacing any the writer left). Only the footer is rewritten: the column chunks are the
 * original Blob's bytes at the same offsets, read lazily as before.
 */
export function withArrowSchemaHint(blob: Blob, footer: ParquetFooter, schema: Schema): Blob {
  const reader = new CompactReader(footer.bytes);
  const spans = reader.fieldSpans();
  const keyValues = spans.find((span) => span.id === FILE_KEY_VALUES);
  const pairs: [Uint8Array, Uint8Array][] = [];
  if (keyValues) {
    // Re-read the one field as a struct of its own: header byte + value, then a stop byte.
    const parsed = new CompactReader(concat([Uint8Array.of((1 << 4) | TType.LIST), footer.bytes.subarray(keyValues.start, keyValues.end), Uint8Array.of(0)])).struct();
    for (const kv of (parsed.get(1) as Map<number, unknown>[] | undefined) ?? []) {
      const key = kv.get(1) as Uint8Array | undefined;
      if (key && new TextDecoder().decode(key) !== ARROW_SCHEMA) pairs.push([key, (kv.get(2) as Uint8Array | undefined) ?? new Uint8Array()]);
    }
  }
  const ipc = tableToIPC(new Table(schema), 'stream');
  pairs.push([new TextEncoder().encode(ARROW_SCHEMA), new TextEncoder().encode(Buffer.from(ipc).toString('base64'))]);
  const field = new ThriftWriter().list(FILE_KEY_VALUES, TType.STRUCT, pairs.length);
  for (const [key, value] of pairs) field.begin().binary(1, key).binary(2, value).end();
  const value = field.bytes().subarray(1); // without the field header (one byte: delta 5 from 0)

  const parts: Uint8Array[] = [];
  let lastId = 0;
  const header = (id: number, type: number) => {
    const delta = id - lastId;
    parts.push(delta > 0 && delta <= 15 ? Uint8Array.of((delta << 4) | type) : concat([Uint8Array.of(type), zigzagVarint(id)]));
    lastId = id;
  };
  let written = false;
  for (const span of spans) {
    if (!written && span.id >= FILE_KEY_VALUES) {
      header(FILE_KEY_VALUES, TType.LIST);
      parts.push(value);
      written = true;
      if (span.id === FILE_KEY_VALUES) continue;
    }
    header(span.id, span.type);
    parts.push(footer.bytes.subarray(span.start, span.end));
  }
  if (!written) {
    header(FILE_KEY_VALUES, TType.LIST);
    parts.push(value);
  }
  parts.push(Uint8Array.of(0));
  const metadata = concat(parts);
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, metadata.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  return new Blob([blob.slice(0, footer.offset), metadata, tail]);
}

function zigzagVarint(n: number): Uint8Array {
  const out: number[] = [];
  let v = n >= 0 ? n * 2 : -n * 2 - 1;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
