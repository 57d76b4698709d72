import { Precision, Type, type Data, type DataType, type Dictionary, type Float } from 'apache-arrow';

/**
 * How a column's values sit in memory, which is all grouping, aggregation and sorting need:
 * - `number`: one JS number per value in a typed array (ints up to 32 bits, floats, DateDay, Time32);
 * - `words`: fixed-width values of 2 or 4 little-endian 32-bit words (int64, timestamps, decimals);
 * - `bool`: bit-packed; `utf8`: Utf8, or a Dictionary of Utf8 (`dictionary: true`).
 */
export type Physical =
  | { kind: 'number'; integer: boolean }
  | { kind: 'words'; words: number; signed: boolean }
  | { kind: 'bool' }
  | { kind: 'utf8'; dictionary: boolean }
  | { kind: 'unsupported' };

export function physicalOf(type: DataType): Physical {
  switch (type.typeId) {
    case Type.Bool:
      return { kind: 'bool' };
    case Type.Utf8:
      return { kind: 'utf8', dictionary: false };
    case Type.Dictionary:
      return (type as Dictionary).valueType.typeId === Type.Utf8 ? { kind: 'utf8', dictionary: true } : { kind: 'unsupported' };
    case Type.Decimal:
      return { kind: 'words', words: (type as DataType & { bitWidth: number }).bitWidth / 32, signed: true };
    case Type.Float:
      return (type as Float).precision === Precision.HALF ? { kind: 'unsupported' } : { kind: 'number', integer: false };
    case Type.Int: case Type.Date: case Type.Time: case Type.Timestamp: {
      const ArrayType = (type as DataType & { ArrayType: unknown }).ArrayType;
      if (ArrayType === BigInt64Array) return { kind: 'words', words: 2, signed: true };
      if (ArrayType === BigUint64Array) return { kind: 'words', words: 2, signed: false };
      return { kind: 'number', integer: true };
    }
    default:
      return { kind: 'unsupported' };
  }
}

/** The values of a `number` column as a typed array, indexed by row (Arrow slices value buffers). */
export const numbersOf = (data: Data): ArrayLike<number> => data.values as unknown as ArrayLike<number>;

/** The values of a `words` column as 32-bit words, `width` per row, low word first. */
export function wordsOf(data: Data, width: number): Int32Array {
  const values = data.values as unknown as ArrayBufferView;
  return new Int32Array(values.buffer, values.byteOffset, data.length * width);
}

/** A row's validity straight from the bitmap, for loops that already checked `nullBitmap`. */
export function validBit(bitmap: Uint8Array, offset: number, i: number): boolean {
  const j = offset + i;
  return (bitmap[j >> 3] & (1 << (j & 7))) !== 0;
}

/** The bitmap to test, or null when every row is valid (so loops can take the fast path). */
export function nullsOf(data: Data): Uint8Array | null {
  return data.nullBitmap && data.nullBitmap.length > 0 && data.nullCount > 0 ? data.nullBitmap : null;
}

/** Typed arrays that grow by doubling, keeping their contents. */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, needed: number, fill = 0): T {
  if (needed <= array.length) return array;
  const Ctor = array.constructor as new (n: number) => T;
  const out = new Ctor(Math.max(needed, array.length * 2, 16));
  out.set(array);
  if (fill !== 0) out.fill(fill, array.length);
  return out;
}
