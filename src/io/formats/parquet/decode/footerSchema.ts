import {
  Binary, Bool, DateDay, Decimal, Field, FixedSizeBinary, Float32, Float64, Int8, Int16, Int32, Int64,
  Precision, RecordBatchReader, Schema, TimeUnit, Timestamp, Type, Uint8, Uint16, Uint32, Uint64, Utf8,
} from 'apache-arrow';
import type { DataType, Dictionary } from 'apache-arrow';
import { UUID_EXTENSION } from '../../text/columnText.js';
import { PhysicalType, type FooterColumn, type ParquetFooter } from '../parquetFooter.js';

const ARROW_SCHEMA = 'ARROW:schema';
const FIELD_ID = 'PARQUET:field_id';

/** LogicalType union members (parquet.thrift). */
const Logical = { STRING: 1, ENUM: 4, DECIMAL: 5, DATE: 6, TIME: 7, TIMESTAMP: 8, INTEGER: 10, UNKNOWN: 11, JSON: 12, BSON: 13, UUID: 14, FLOAT16: 15 } as const;
/** ConvertedType (parquet.thrift). */
const Converted = {
  UTF8: 0, DECIMAL: 5, DATE: 6, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10,
  UINT_8: 11, UINT_16: 12, UINT_32: 13, UINT_64: 14, INT_8: 15, INT_16: 16, INT_32: 17, INT_64: 18, JSON: 19,
} as const;

/** A flat file's Arrow schema as the reader gives it, and the footer column behind each field. */
export interface FlatSchema {
  schema: Schema;
  /** footer.columns index of each field. */
  columns: number[];
}

/** The top-level fields of any file, each as the flat reader would give it, or undefined where it cannot. */
export interface FlatColumns {
  /** Per top-level field: its Arrow field, or undefined (a group, a repeated leaf, a type or hint not covered). */
  fields: (Field | undefined)[];
  /** Per top-level field: its footer.columns index, or -1 for a group. */
  columns: number[];
  metadata: Map<string, string>;
}

/**
 * The top-level fields of a file from its footer alone, as parquet-wasm (arrow-rs) and the reader's
 * own adjustments give them (parquetReader.ts: views as plain strings, float16 as float32, INT96
 * as Timestamp(µs), UUID marked): the Parquet types mapped as arrow-rs maps them, then the
 * ARROW:schema hint where arrow-rs would take it. A nested field, or one of a type or hint this
 * mapping does not cover, is undefined (parquet-wasm reads it); undefined altogether when the
 * hint does not decode or does not match the fields.
 */
export function flatColumns(footer: ParquetFooter): FlatColumns | undefined {
  const hintText = footer.keyValues.find(([key]) => key === ARROW_SCHEMA)?.[1];
  let hint: Schema | undefined;
  if (hintText !== undefined) {
    hint = decodeArrowSchema(hintText);
    if (!hint || hint.fields.length !== footer.topLevel.length) return undefined;
    // arrow-rs keeps a hint's field metadata instead of the field id: not mapped here.
    if (footer.columns.some((column) => column.fieldId !== undefined)) return undefined;
  }
  const fields = footer.topLevel.map((top, i) => {
    if (top.column < 0) return undefined;
    const column = footer.columns[top.column];
    if (column.repetitions.length !== 1 || column.repetitions[0] > 1) return undefined;
    const parquet = parquetType(column);
    const hinted = parquet && hint ? applyHint(parquet, hint.fields[i].type) : parquet;
    const type = hinted && readerType(hinted, column);
    if (!type) return undefined;
    const metadata = new Map(hint ? hint.fields[i].metadata : column.fieldId !== undefined ? [[FIELD_ID, String(column.fieldId)]] : []);
    if (column.uuid && type.typeId === Type.FixedSizeBinary) metadata.set('ARROW:extension:name', UUID_EXTENSION);
    return new Field(column.name, type, column.repetitions[0] === 1, metadata);
  });
  const metadata = new Map<string, string>();
  for (const [key, value] of footer.keyValues) if (key !== ARROW_SCHEMA && value !== undefined) metadata.set(key, value);
  for (const [key, value] of hint?.metadata ?? []) metadata.set(key, value);
  return { fields, columns: footer.topLevel.map((top) => top.column), metadata };
}

/** The Arrow schema of a file whose fields are all flat and covered (flatColumns), else undefined: parquet-wasm gives it. */
export function flatSchema(footer: ParquetFooter): FlatSchema | undefined {
  const flat = flatColumns(footer);
  if (!flat || flat.fields.length === 0 || flat.fields.some((field) => field === undefined)) return undefined;
  return { schema: new Schema(flat.fields as Field[], flat.metadata), columns: flat.columns };
}

/** The base64 IPC schema message of an ARROW:schema entry (with or without the continuation marker). */
function decodeArrowSchema(base64: string): Schema | undefined {
  try {
    const message = Buffer.from(base64, 'base64');
    const continued = message.length >= 4 && message.readUInt32LE(0) === 0xffffffff;
    const stream = Buffer.concat([continued ? Buffer.alloc(0) : Buffer.from([0xff, 0xff, 0xff, 0xff]), message, Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])]);
    const reader = RecordBatchReader.from(new Uint8Array(stream));
    reader.open();
    return reader.schema;
  } catch {
    return undefined;
  }
}

const member = (column: FooterColumn, id: number) => column.logicalType?.get(id) as Map<number, unknown> | undefined;

function decimal(column: FooterColumn, maxPrecision = 38): DataType | undefined {
  const logical = member(column, Logical.DECIMAL);
  const scale = logical ? Number(logical.get(1) ?? 0) : (column.scale ?? 0);
  const precision = logical ? Number(logical.get(2)) : column.precision;
  if (precision === undefined || !(precision >= 1 && precision <= maxPrecision) || scale < 0 || scale > precision) return undefined;
  return new Decimal(scale, precision, 128);
}

/** The Arrow type arrow-rs gives a Parquet leaf (its schema/primitive.rs), for the types the flat reader decodes. */
function parquetType(column: FooterColumn): DataType | undefined {
  const logical = column.logicalType;
  const logicalId = logical && logical.size > 0 ? [...logical.keys()][0] : undefined;
  const converted = column.convertedType;
  switch (column.physicalType) {
    case PhysicalType.BOOLEAN:
      return logicalId === undefined && converted === undefined ? new Bool() : undefined;
    case PhysicalType.INT32: {
      if (logicalId === Logical.INTEGER) {
        const integer = member(column, Logical.INTEGER)!;
        const bits = Number(integer.get(1));
        const signed = integer.get(2) !== false;
        if (bits === 8) return signed ? new Int8() : new Uint8();
        if (bits === 16) return signed ? new Int16() : new Uint16();
        if (bits === 32) return signed ? new Int32() : new Uint32();
        return undefined;
      }
      if (logicalId === Logical.DECIMAL) return decimal(column);
      if (logicalId === Logical.DATE) return new DateDay();
      if (logicalId !== undefined) return undefined;
      switch (converted) {
        case undefined: case Converted.INT_32: return new Int32();
        case Converted.UINT_8: return new Uint8();
        case Converted.UINT_16: return new Uint16();
        case Converted.UINT_32: return new Uint32();
        case Converted.INT_8: return new Int8();
        case Converted.INT_16: return new Int16();
        case Converted.DATE: return new DateDay();
        case Converted.DECIMAL: return decimal(column);
        default: return undefined;
      }
    }
    case PhysicalType.INT64: {
      if (logicalId === Logical.INTEGER) {
        const integer = member(column, Logical.INTEGER)!;
        if (Number(integer.get(1)) !== 64) return undefined;
        return integer.get(2) !== false ? new Int64() : new Uint64();
      }
      if (logicalId === Logical.TIMESTAMP) {
        const timestamp = member(column, Logical.TIMESTAMP)!;
        const unit = timeUnit(column.timeUnit);
        if (unit === undefined) return undefined;
        return new Timestamp(unit, timestamp.get(1) === true ? 'UTC' : null);
      }
      if (logicalId === Logical.DECIMAL) return decimal(column);
      if (logicalId !== undefined) return undefined;
      switch (converted) {
        case undefined: case Converted.INT_64: return new Int64();
        case Converted.UINT_64: return new Uint64();
        case Converted.TIMESTAMP_MILLIS: return new Timestamp(TimeUnit.MILLISECOND, 'UTC');
        case Converted.TIMESTAMP_MICROS: return new Timestamp(TimeUnit.MICROSECOND, 'UTC');
        case Converted.DECIMAL: return decimal(column);
        default: return undefined;
      }
    }
    case PhysicalType.INT96:
      return logicalId === undefined && converted === undefined ? new Timestamp(TimeUnit.NANOSECOND, null) : undefined;
    case PhysicalType.FLOAT:
      return logicalId === undefined && converted === undefined ? new Float32() : undefined;
    case PhysicalType.DOUBLE:
      return logicalId === undefined && converted === undefined ? new Float64() : undefined;
    case PhysicalType.BYTE_ARRAY:
      if (logicalId === Logical.STRING || logicalId === Logical.JSON) return new Utf8();
      if (logicalId === Logical.DECIMAL) return decimal(column);
      if (logicalId !== undefined) return undefined;
      if (converted === undefined) return new Binary();
      if (converted === Converted.UTF8 || converted === Converted.JSON) return new Utf8();
      if (converted === Converted.DECIMAL) return decimal(column);
      return undefined;
    case PhysicalType.FIXED_LEN_BYTE_ARRAY: {
      const length = column.typeLength;
      if (length === undefined || length < 1) return undefined;
      if (logicalId === Logical.DECIMAL) return decimal(column);
      if (logicalId === Logical.FLOAT16) return length === 2 ? new Float32() : undefined;
      if (logicalId === Logical.UUID) return length === 16 ? new FixedSizeBinary(16) : undefined;
      if (logicalId !== undefined) return undefined;
      if (converted === Converted.DECIMAL) return decimal(column);
      return converted === undefined ? new FixedSizeBinary(length) : undefined;
    }
    default:
      return undefined;
  }
}

function timeUnit(unit: FooterColumn['timeUnit']): TimeUnit | undefined {
  return unit === 'ms' ? TimeUnit.MILLISECOND : unit === 'us' ? TimeUnit.MICROSECOND : unit === 'ns' ? TimeUnit.NANOSECOND : undefined;
}

/**
 * arrow-rs's apply_hint, for the hints the flat reader follows: a timestamp's unit and zone (on
 * INT64 columns and INT96's default), string/binary views, binary as string, string dictionaries of
 * int32 indices. A hint that only repeats the Parquet type changes nothing; any other hint gives
 * undefined (parquet-wasm reads the file: large offsets, Date64, times, Decimal32/64/256…).
 */
function applyHint(parquet: DataType, hint: DataType): DataType | undefined {
  const p = parquet.typeId;
  if (String(hint) === String(parquet)) return parquet;
  switch (hint.typeId) {
    case Type.Timestamp: {
      const h = hint as Timestamp;
      if (p === Type.Int && (parquet as Int64).bitWidth === 64 && (parquet as Int64).isSigned) return hint;
      if (p !== Type.Timestamp) return undefined;
      const t = parquet as Timestamp;
      if (t.unit === h.unit && h.timezone) return hint;
      if (t.unit === TimeUnit.NANOSECOND && !t.timezone) return hint;
      return undefined;
    }
    case Type.Dictionary: {
      const dictionary = hint as Dictionary;
      const ok = dictionary.dictionary.typeId === Type.Utf8 && dictionary.indices.bitWidth === 32 && dictionary.indices.isSigned;
      return ok && applyHint(parquet, dictionary.dictionary)?.typeId === Type.Utf8 ? hint : undefined;
    }
    case Type.Float:
      // float16 reads as float32 (parquetType; parquetReader's withoutViews on parquet-wasm's side).
      return (hint as Float32).precision === Precision.HALF && p === Type.Float && (parquet as Float32).precision === Precision.SINGLE ? parquet : undefined;
    case Type.Utf8View:
      return p === Type.Utf8 || p === Type.Binary ? new Utf8() : undefined;
    case Type.BinaryView:
      return p === Type.Binary ? new Binary() : undefined;
    case Type.Utf8:
      return p === Type.Binary ? new Utf8() : undefined;
    default:
      return undefined;
  }
}

/** The type the flat reader produces for a column (INT96 as microseconds, see parquetInt96.ts), or undefined. */
function readerType(type: DataType, column: FooterColumn): DataType | undefined {
  if (column.physicalType === PhysicalType.INT96) {
    return type.typeId === Type.Timestamp ? new Timestamp(TimeUnit.MICROSECOND, (type as Timestamp).timezone) : undefined;
  }
  if (type.typeId === Type.Timestamp && column.physicalType !== PhysicalType.INT64) return undefined;
  return type;
}
