import { Type, Utf8, makeData, makeVector } from 'apache-arrow';
import type { Dictionary, Int32 } from 'apache-arrow';
import type { Data, DataType, FixedSizeBinary, Int, Vector } from 'apache-arrow';
import { halfBitsToFloat32 } from '../float16.js';
import { PhysicalType } from '../parquetFooter.js';
import type { DecodedColumn } from './columnChunk.js';
import { countSet } from '../bits.js';
import type { DecodedValues, DictionaryValues } from './valueSink.js';

/** Days from the Julian day 0 of INT96 timestamps to 1970-01-01. */
const UNIX_JULIAN_DAY = 2_440_588n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Bits [from, from + length) of a bitmap as a bitmap of its own (a view when `from` is a byte boundary). */
function sliceBits(bits: Uint8Array, from: number, length: number): Uint8Array {
  if ((from & 7) === 0) return bits.subarray(from >> 3, (from + length + 7) >> 3);
  const out = new Uint8Array((length + 7) >> 3);
  const shift = from & 7;
  const p = from >> 3;
  for (let k = 0; k < out.length; k++) out[k] = ((bits[p + k] >> shift) | (bits[p + k + 1] << (8 - shift))) & 0xff;
  return out;
}

/**
 * One decoded column chunk as Arrow columns of `type`, one row range at a time: fixed-width values
 * as views of the decoded bytes, narrower integers, decimals, INT96 and float16 converted, byte
 * arrays as offsets and data, dictionary indices with the chunk's dictionary (as
 * Dictionary<Utf8, Int32>) or materialised as strings when the column's type is Utf8.
 */
export class ArrowColumn {
  private dictionaryVector: Vector | undefined;

  constructor(private readonly column: DecodedColumn, private readonly type: DataType, private readonly physicalType: number) {}

  slice(from: number, to: number): Data {
    const length = to - from;
    const { validity } = this.column;
    const nullBitmap = validity ? sliceBits(validity, from, length) : undefined;
    const nullCount = validity ? length - countSet(validity, from, to - from) : 0;
    const base = { type: this.type, length, nullCount, nullBitmap } as const;
    const values = this.column.values;
    const type = this.type;
    switch (values.kind) {
      case 'bool':
        return makeData({ ...base, type: type as never, data: sliceBits(values.bits, from, length) });
      case 'fixed':
        return makeData({ ...base, type: type as never, data: this.fixedValues(values, from, length) as never });
      case 'bytes':
        if (type.typeId === Type.Dictionary) return this.identityDictionary(values.offsets, values.data, from, to, base);
        if (type.typeId === Type.Decimal) return makeData({ ...base, type: type as never, data: decimalsFromBytes(values.offsets, values.data, from, to) });
        return makeData({ ...base, type: type as never, ...offsetsAndData(values.offsets, values.data, from, to) });
      case 'dictionary':
        if (type.typeId === Type.Dictionary) {
          return makeData({ ...base, type: type as Dictionary<Utf8, Int32>, data: values.indices.subarray(from, to), dictionary: this.dictionary(values.dictionary) });
        }
        return makeData({ ...base, type: type as never, ...materialised(values.dictionary, values.indices, validity, from, to) });
    }
  }

  private dictionary(dictionary: DictionaryValues): Vector {
    if (!this.dictionaryVector) {
      // An all-null chunk has no entry; its null rows' index 0 still points at one.
      const size = Math.max(1, dictionary.size);
      const offsets = dictionary.size ? dictionary.offsets : new Int32Array(2);
      this.dictionaryVector = makeVector(makeData({ type: new Utf8(), length: size, valueOffsets: offsets, data: dictionary.data }));
    }
    return this.dictionaryVector;
  }

  /** Byte arrays read as a dictionary column: the batch's values are its dictionary, in order. */
  private identityDictionary(offsets: Int32Array, data: Uint8Array, from: number, to: number, base: { length: number; nullCount: number; nullBitmap: Uint8Array | undefined }): Data {
    return identityDictionary(this.type as Dictionary<Utf8, Int32>, { ...base, ...offsetsAndData(offsets, data, from, to) });
  }

  private fixedValues(values: Extract<DecodedValues, { kind: 'fixed' }>, from: number, length: number): ArrayBufferView {
    const { bytes, width } = values;
    const buffer = bytes.buffer;
    const at = bytes.byteOffset + from * width;
    const type = this.type;
    switch (type.typeId) {
      case Type.Int: {
        const int = type as Int;
        if (width === 8) return int.isSigned ? new BigInt64Array(buffer, at, length) : new BigUint64Array(buffer, at, length);
        const source = new Int32Array(buffer, at, length);
        if (int.bitWidth === 32) return int.isSigned ? source : new Uint32Array(buffer, at, length);
        const out = int.bitWidth === 8 ? (int.isSigned ? new Int8Array(length) : new Uint8Array(length)) : int.isSigned ? new Int16Array(length) : new Uint16Array(length);
        for (let i = 0; i < length; i++) out[i] = source[i];
        return out;
      }
      case Type.Float:
        if (width === 2) return halfBitsToFloat32(new Uint16Array(buffer, at, length));
        return width === 4 ? new Float32Array(buffer, at, length) : new Float64Array(buffer, at, length);
      case Type.Date:
        return new Int32Array(buffer, at, length);
      case Type.Timestamp:
        return this.physicalType === PhysicalType.INT96 ? int96Micros(bytes, from, length) : new BigInt64Array(buffer, at, length);
      case Type.Decimal:
        // INT32/INT64 hold little-endian words; a FIXED_LEN_BYTE_ARRAY of 4 or 8 bytes is big-endian like any other.
        return this.physicalType !== PhysicalType.FIXED_LEN_BYTE_ARRAY && (width === 4 || width === 8) ? decimalsFromWords(new Int32Array(buffer, at, (length * width) >> 2), width >> 2, length) : decimalsFromFixed(bytes, width, from, length);
      case Type.FixedSizeBinary:
        return bytes.subarray(from * (type as FixedSizeBinary).byteWidth, (from + length) * (type as FixedSizeBinary).byteWidth);
      default:
        throw new Error(`the flat Parquet reader does not produce ${String(type)}`);
    }
  }
}

/**
 * Strings as Dictionary<Utf8, Int32> whose dictionary is the strings themselves, index i for row i:
 * for a column read as a dictionary where a file or chunk holds plain strings (batches of one read
 * share one type). Null rows index their empty entry.
 */
export function identityDictionary(
  type: Dictionary<Utf8, Int32>,
  strings: { length: number; nullCount: number; nullBitmap: Uint8Array | undefined; valueOffsets: Int32Array; data: Uint8Array },
): Data<Dictionary<Utf8, Int32>> {
  const { length, nullCount, nullBitmap } = strings;
  const entries = length > 0
    ? makeData({ type: new Utf8(), length, valueOffsets: strings.valueOffsets, data: strings.data })
    : makeData({ type: new Utf8(), length: 1, valueOffsets: new Int32Array(2), data: new Uint8Array(0) });
  const indices = new Int32Array(length);
  for (let i = 0; i < length; i++) indices[i] = i;
  return makeData({ type, length, nullCount, nullBitmap, data: indices, dictionary: makeVector(entries) });
}

/** A Utf8 column of any offset as an identity dictionary column (identityDictionary). */
export function utf8AsIdentityDictionary(type: Dictionary<Utf8, Int32>, data: Data<Utf8>): Data<Dictionary<Utf8, Int32>> {
  const { offset, length, nullCount } = data;
  const nullBitmap = data.nullBitmap && nullCount > 0 ? sliceBits(data.nullBitmap, offset, length) : undefined;
  const valueOffsets = data.valueOffsets.subarray(offset, offset + length + 1);
  return identityDictionary(type, { length, nullCount: nullBitmap ? nullCount : 0, nullBitmap, valueOffsets, data: data.values });
}

/** Offsets [from, to] rebased to 0 and the bytes they span. */
function offsetsAndData(offsets: Int32Array, data: Uint8Array, from: number, to: number): { valueOffsets: Int32Array; data: Uint8Array } {
  const start = offsets[from];
  let valueOffsets = offsets.subarray(from, to + 1);
  if (start !== 0) {
    valueOffsets = new Int32Array(to - from + 1);
    for (let i = 0; i <= to - from; i++) valueOffsets[i] = offsets[from + i] - start;
  }
  return { valueOffsets, data: data.subarray(start, offsets[to]) };
}

/** Dictionary indices [from, to) as the strings (or binaries) they stand for. */
function materialised(dictionary: DictionaryValues, indices: Int32Array, validity: Uint8Array | null, from: number, to: number): { valueOffsets: Int32Array; data: Uint8Array } {
  const length = to - from;
  const entries = dictionary.offsets;
  const source = dictionary.data;
  const valueOffsets = new Int32Array(length + 1);
  let bytes = 0;
  for (let i = 0; i < length; i++) {
    const r = from + i;
    if (validity === null || (validity[r >> 3] >> (r & 7)) & 1) {
      const d = indices[r];
      bytes += entries[d + 1] - entries[d];
    }
    valueOffsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < length; i++) {
    const size = valueOffsets[i + 1] - valueOffsets[i];
    if (size === 0) continue;
    const start = entries[indices[from + i]];
    const at = valueOffsets[i];
    if (size < 32) for (let b = 0; b < size; b++) data[at + b] = source[start + b];
    else data.set(source.subarray(start, start + size), at);
  }
  return { valueOffsets, data };
}

/** INT32/INT64 unscaled values as Decimal128 (four little-endian words, sign-extended). */
function decimalsFromWords(words: Int32Array, perValue: number, length: number): Uint32Array {
  const out = new Uint32Array(length * 4);
  for (let i = 0; i < length; i++) {
    const lo = words[i * perValue];
    const hi = perValue === 2 ? words[i * perValue + 1] : lo < 0 ? -1 : 0;
    const sign = hi < 0 ? 0xffffffff : 0;
    out[i * 4] = lo;
    out[i * 4 + 1] = hi;
    out[i * 4 + 2] = sign;
    out[i * 4 + 3] = sign;
  }
  return out;
}

/** Big-endian two's-complement bytes value[start, end) into 16 little-endian bytes at out[at…]. */
function bigEndianInto(out: Uint8Array, at: number, source: Uint8Array, start: number, end: number): void {
  const size = end - start;
  if (size === 0) return;
  const fill = source[start] & 0x80 ? 0xff : 0;
  for (let j = 0; j < 16; j++) out[at + j] = j < size ? source[end - 1 - j] : fill;
}

function decimalsFromFixed(bytes: Uint8Array, width: number, from: number, length: number): Uint32Array {
  const out = new Uint8Array(length * 16);
  for (let i = 0; i < length; i++) bigEndianInto(out, i * 16, bytes, (from + i) * width, (from + i + 1) * width);
  return new Uint32Array(out.buffer);
}

function decimalsFromBytes(offsets: Int32Array, data: Uint8Array, from: number, to: number): Uint32Array {
  const out = new Uint8Array((to - from) * 16);
  for (let i = from; i < to; i++) bigEndianInto(out, (i - from) * 16, data, offsets[i], offsets[i + 1]);
  return new Uint32Array(out.buffer);
}

/** INT96 (nanoseconds of the day, then the Julian day) as microseconds since the epoch. */
function int96Micros(bytes: Uint8Array, from: number, length: number): BigInt64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const at = (from + i) * 12;
    const nanos = view.getBigInt64(at, true);
    const day = BigInt(view.getInt32(at + 8, true));
    out[i] = BigInt.asIntN(64, (day - UNIX_JULIAN_DAY) * MICROS_PER_DAY + nanos / 1000n);
  }
  return out;
}
