import { DateUnit, Precision, TimeUnit, Type } from 'apache-arrow';
import type { DataType, Field, Schema } from 'apache-arrow';
import type { ThriftWriter } from './thriftCompact.js';

/** Parquet enums (parquet.thrift) the encoder writes. */
export const Physical = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;
export const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
export const Converted = {
  UTF8: 0, DECIMAL: 5, DATE: 6, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10,
  UINT_8: 11, UINT_16: 12, UINT_32: 13, UINT_64: 14, INT_8: 15, INT_16: 16, INT_32: 17, INT_64: 18,
} as const;

/** How the column's values are taken out of Arrow buffers (see gather.ts). */
export type GatherKind =
  | 'words' // 32-bit words copied: int32/64, uint32/64, float32/64, date32, timestamps; decimal low words
  | 'widen' // int8/16, uint8/16 widened to int32
  | 'bool'
  | 'bytes' // utf8, binary
  | 'dictionary' // Arrow dictionary of utf8/binary, materialised to bytes
  | 'flba'; // decimal128 as big-endian fixed-length bytes

/** Sort order of min/max statistics. */
export type Order = 'signed' | 'unsigned' | 'float' | 'bytes' | 'bool' | 'flba';

/** One top-level Arrow field as a flat Parquet leaf column. */
export interface LeafColumn {
  name: string;
  nullable: boolean;
  physical: number;
  gather: GatherKind;
  /** Output words per value (1 or 2) for 'words'/'widen'; bytes per value for 'flba'. */
  width: number;
  /** Arrow words per value for 'words' (4 for decimal128), bytes per value for 'flba' (16). */
  stride: number;
  order: Order;
  /** FIXED_LEN_BYTE_ARRAY length. */
  typeLength?: number;
  converted?: number;
  scale?: number;
  precision?: number;
  /** Writes the LogicalType union's one member. */
  logical?: (w: ThriftWriter) => void;
}

const integer = (bits: number, signed: boolean) => (w: ThriftWriter) => w.struct(10).byte(1, bits).bool(2, signed).end();
const stringType = (w: ThriftWriter) => w.struct(1).end();
const dateType = (w: ThriftWriter) => w.struct(6).end();
const timestampType = (utc: boolean, unit: 1 | 2 | 3) => (w: ThriftWriter) =>
  w.struct(8).bool(1, utc).struct(2).struct(unit).end().end().end();
const decimalType = (scale: number, precision: number) => (w: ThriftWriter) => w.struct(5).i32(1, scale).i32(2, precision).end();

/** Bytes of the smallest two's-complement big-endian integer holding every `precision`-digit value. */
export function decimalBytes(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let n = 1;
  while ((1n << BigInt(8 * n - 1)) - 1n < max) n++;
  return n;
}

/** The leaf for a field, or undefined when this encoder does not cover its type (parquet-wasm will). */
export function leafOf(field: Field): LeafColumn | undefined {
  const base = { name: field.name, nullable: field.nullable };
  const t = field.type as DataType & Record<string, unknown>;
  switch (t.typeId) {
    case Type.Int: {
      const bits = t.bitWidth as number;
      const signed = t.isSigned as boolean;
      const converted = signed ? { 8: Converted.INT_8, 16: Converted.INT_16, 32: Converted.INT_32, 64: Converted.INT_64 }[bits] : { 8: Converted.UINT_8, 16: Converted.UINT_16, 32: Converted.UINT_32, 64: Converted.UINT_64 }[bits];
      const common = { ...base, converted, logical: integer(bits, signed), order: (signed ? 'signed' : 'unsigned') as Order };
      if (bits === 64) return { ...common, physical: Physical.INT64, gather: 'words', width: 2, stride: 2 };
      if (bits === 32) return { ...common, physical: Physical.INT32, gather: 'words', width: 1, stride: 1 };
      // int8/16 sign-extend and uint8/16 zero-extend into int32, so signed order holds for both.
      return { ...common, order: 'signed', physical: Physical.INT32, gather: 'widen', width: 1, stride: 1 };
    }
    case Type.Float:
      if (t.precision === Precision.SINGLE) return { ...base, physical: Physical.FLOAT, gather: 'words', width: 1, stride: 1, order: 'float' };
      if (t.precision === Precision.DOUBLE) return { ...base, physical: Physical.DOUBLE, gather: 'words', width: 2, stride: 2, order: 'float' };
      return undefined; // float16
    case Type.Bool:
      return { ...base, physical: Physical.BOOLEAN, gather: 'bool', width: 1, stride: 1, order: 'bool' };
    case Type.Utf8:
      return { ...base, physical: Physical.BYTE_ARRAY, gather: 'bytes', width: 0, stride: 0, order: 'bytes', converted: Converted.UTF8, logical: stringType };
    case Type.Binary:
      return { ...base, physical: Physical.BYTE_ARRAY, gather: 'bytes', width: 0, stride: 0, order: 'bytes' };
    case Type.Dictionary: {
      const value = t.dictionary as DataType;
      const indices = t.indices as DataType & { bitWidth: number };
      // 32-bit indices only: a chunk's dictionary spans batches and may outgrow 8/16-bit indices, which
      // arrow-rs (parquet-wasm) panics on when it reads the file back into the Arrow type.
      if (indices.bitWidth !== 32 || (value.typeId !== Type.Utf8 && value.typeId !== Type.Binary)) return undefined;
      const text = value.typeId === Type.Utf8;
      return {
        ...base, physical: Physical.BYTE_ARRAY, gather: 'dictionary', width: 0, stride: 0, order: 'bytes',
        ...(text ? { converted: Converted.UTF8, logical: stringType } : {}),
      };
    }
    case Type.Date:
      if (t.unit !== DateUnit.DAY) return undefined; // date64: arrow-rs's own conversion rules apply
      return { ...base, physical: Physical.INT32, gather: 'words', width: 1, stride: 1, order: 'signed', converted: Converted.DATE, logical: dateType };
    case Type.Timestamp: {
      const unit = t.unit as TimeUnit;
      if (unit === TimeUnit.SECOND) return undefined; // Parquet has no seconds unit
      const utc = typeof t.timezone === 'string' && t.timezone.length > 0;
      const code = unit === TimeUnit.MILLISECOND ? 1 : unit === TimeUnit.MICROSECOND ? 2 : 3;
      // Converted types imply UTC-adjusted instants, so local timestamps carry only the logical type.
      const converted = !utc || code === 3 ? undefined : code === 1 ? Converted.TIMESTAMP_MILLIS : Converted.TIMESTAMP_MICROS;
      return { ...base, physical: Physical.INT64, gather: 'words', width: 2, stride: 2, order: 'signed', converted, logical: timestampType(utc, code) };
    }
    case Type.Decimal: {
      if (t.bitWidth !== 128) return undefined;
      const scale = t.scale as number;
      const precision = t.precision as number;
      const common = { ...base, order: 'signed' as Order, converted: Converted.DECIMAL, scale, precision, logical: decimalType(scale, precision) };
      // As arrow-rs: the smallest physical type for the precision.
      if (precision <= 9) return { ...common, physical: Physical.INT32, gather: 'words', width: 1, stride: 4 };
      if (precision <= 18) return { ...common, physical: Physical.INT64, gather: 'words', width: 2, stride: 4 };
      const length = decimalBytes(precision);
      return { ...common, order: 'flba', physical: Physical.FIXED_LEN_BYTE_ARRAY, gather: 'flba', width: length, stride: 16, typeLength: length };
    }
    default:
      return undefined;
  }
}

/** True when every field of the schema is a flat column this encoder writes. */
export function canEncode(schema: Schema): boolean {
  return schema.fields.length > 0 && schema.fields.every((field) => leafOf(field) !== undefined);
}
