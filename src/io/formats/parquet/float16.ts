import { Field, Float32, List, makeData, Struct, Type } from 'apache-arrow';
import type { Data, DataType, Float16 } from 'apache-arrow';

/** The value of one IEEE 754 half-precision bit pattern. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Every half value as a float32 (exact: float32 holds them all), so 1.0 reads 1, not its bits 15360.
 * Built on first use: the Parquet reader loads this module for every read, float16 columns are rare.
 */
let table: Float32Array | undefined;
function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65_536);
    for (let bits = 0; bits < 65_536; bits++) table[bits] = halfToNumber(bits);
  }
  return table;
}

/** Half-precision bit patterns as float32 values. */
export function halfBitsToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  const halves = halfTable();
  for (let i = 0; i < out.length; i++) out[i] = halves[bits[i]];
  return out;
}

/**
 * A Float16 column as Float32. Arrow JS keeps float16 values as their raw 16 bits, which every
 * consumer (rows, CSV, JSON, kernels) would read as integers. Nulls keep their bitmap.
 */
export function float16ToFloat32(data: Data<Float16>): Data<Float32> {
  const bits = data.values;
  const out = new Float32Array(data.length);
  const halves = halfTable();
  for (let i = 0; i < out.length; i++) out[i] = halves[bits[i]];
  return makeData({ type: new Float32(), offset: 0, length: data.length, nullCount: data.nullCount, nullBitmap: data.offset === 0 ? data.nullBitmap : copyBitmap(data), data: out });
}

function copyBitmap(data: Data<Float16>): Uint8Array | undefined {
  if (!data.nullBitmap || data.nullCount === 0) return undefined;
  const out = new Uint8Array((data.length + 7) >> 3);
  for (let i = 0; i < data.length; i++) if (data.getValid(i)) out[i >> 3] |= 1 << (i & 7);
  return out;
}

const isFloat16 = (type: DataType): boolean => type.typeId === Type.Float && (type as Float16).precision === 0;

/** Whether a type holds a float16 anywhere (itself, a struct field, a list element). */
function holdsFloat16(type: DataType): boolean {
  if (isFloat16(type)) return true;
  return (type.typeId === Type.Struct || type.typeId === Type.List) && type.children.some((child) => holdsFloat16(child.type));
}

/**
 * A column with every float16 in it as float32, at the top or inside structs and lists (as the
 * reader's schema says: parquetReader's withoutViews). Columns without one are returned as they are.
 */
export function float16sToFloat32(data: Data): Data {
  if (!holdsFloat16(data.type)) return data;
  if (isFloat16(data.type)) return float16ToFloat32(data as Data<Float16>);
  const { offset, length, nullCount, nullBitmap } = data;
  if (data.type.typeId === Type.Struct) {
    const children = data.children.map(float16sToFloat32);
    const fields = (data.type as Struct).children.map((f, i) => new Field(f.name, children[i].type, f.nullable, f.metadata));
    return makeData({ type: new Struct(fields), offset, length, nullCount, nullBitmap, children });
  }
  const element = (data.type as List).children[0];
  const child = float16sToFloat32(data.children[0]);
  return makeData({ type: new List(new Field(element.name, child.type, element.nullable, element.metadata)), offset, length, nullCount, nullBitmap, valueOffsets: data.valueOffsets, child });
}
