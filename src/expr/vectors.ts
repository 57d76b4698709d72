import {
  Bool, Data, DataType, DateDay, Decimal, Float64, Int32, Int64, makeData, makeVector, Type, Utf8,
} from 'apache-arrow';

/**
 * Small helpers to read Arrow Data as typed arrays and to build result Data directly from typed
 * arrays. Arrow JS slices value buffers but not validity bitmaps (their bits start at
 * `data.offset`), so kernels read validity through `validityOf`, which realigns it to bit 0.
 */

export const bitmapBytes = (length: number): number => ((length + 63) >> 6) << 3;

/** The validity bitmap realigned to bit 0, or null when every row is valid. */
export function validityOf(data: Data): Uint8Array | null {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0 || data.nullCount === 0) return null;
  return alignBits(bitmap, data.offset, data.length);
}

/** A Bool Data's value bits realigned to bit 0 (Arrow does not slice bit-packed values). */
export function boolBitsOf(data: Data): Uint8Array {
  return alignBits(data.values as Uint8Array, data.offset, data.length);
}

function alignBits(bits: Uint8Array, offset: number, length: number): Uint8Array {
  if ((offset & 7) === 0) {
    const start = offset >> 3;
    const out = new Uint8Array(bitmapBytes(length));
    out.set(bits.subarray(start, Math.min(bits.length, start + out.length)));
    return out;
  }
  const out = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) {
    const j = offset + i;
    if (bits[j >> 3] & (1 << (j & 7))) out[i >> 3] |= 1 << (i & 7);
  }
  return out;
}

/** Validity of `a AND b` rows (null when both are all-valid). */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (!a) return b;
  if (!b) return a;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = a[i] & b[i];
  return out;
}

/**
 * target &= other, two bitmaps of one length; 32 bits a step where both allow it (the bitmaps
 * kernels allocate do: bitmapBytes is a multiple of 8), which in a short run matters more than in a long one.
 */
export function andBits(target: Uint8Array, other: Uint8Array): void {
  const n = Math.min(target.length, other.length);
  if ((target.byteOffset | other.byteOffset | n) % 4 === 0) {
    const t = new Int32Array(target.buffer, target.byteOffset, n >> 2);
    const o = new Int32Array(other.buffer, other.byteOffset, n >> 2);
    for (let k = 0; k < t.length; k++) t[k] &= o[k];
  } else for (let k = 0; k < n; k++) target[k] &= other[k];
}

export const bitIsSet = (bits: Uint8Array, i: number): boolean => (bits[i >> 3] & (1 << (i & 7))) !== 0;

/** Number of unset bits among the first `length` bits. */
export function countUnset(bits: Uint8Array | null, length: number): number {
  if (!bits) return 0;
  let set = 0;
  const whole = length >> 3;
  for (let i = 0; i < whole; i++) set += POPCOUNT[bits[i]];
  for (let i = whole << 3; i < length; i++) if (bits[i >> 3] & (1 << (i & 7))) set++;
  return length - set;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/** Packs a byte-per-row mask (non-zero = set) into a bitmap. */
export function packMask(mask: Uint8Array, length: number): Uint8Array {
  const bits = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) if (mask[i]) bits[i >> 3] |= 1 << (i & 7);
  return bits;
}

/** Any Data with the given buffers; the null count is computed from the validity bitmap. */
export function makeResult<T extends DataType>(type: T, length: number, validity: Uint8Array | null,
  buffers: { data?: ArrayLike<number> | ArrayLike<bigint>; valueOffsets?: Int32Array; child?: Data; children?: Data[]; dictionary?: Data }): Data<T> {
  const nullCount = countUnset(validity, length);
  const props: Record<string, unknown> = {
    type, length, nullCount, nullBitmap: nullCount > 0 ? validity : null,
  };
  if (buffers.data) props.data = buffers.data;
  if (buffers.valueOffsets) props.valueOffsets = buffers.valueOffsets;
  if (buffers.child) props.child = buffers.child;
  if (buffers.children) props.children = buffers.children;
  if (buffers.dictionary) props.dictionary = makeVector(buffers.dictionary);
  // makeData's overloads are keyed on the concrete type; one cast here keeps kernels typed.
  return makeData(props as unknown as Parameters<typeof makeData>[0]) as unknown as Data<T>;
}

export const makeBool = (length: number, bits: Uint8Array, validity: Uint8Array | null): Data<Bool> =>
  makeResult(new Bool(), length, validity, { data: bits });
export const makeFloat64 = (values: Float64Array, validity: Uint8Array | null): Data<Float64> =>
  makeResult(new Float64(), values.length, validity, { data: values });
export const makeInt32 = (values: Int32Array, validity: Uint8Array | null): Data<Int32> =>
  makeResult(new Int32(), values.length, validity, { data: values });
export const makeInt64 = (values: BigInt64Array, validity: Uint8Array | null): Data<Int64> =>
  makeResult(new Int64(), values.length, validity, { data: values });
export const makeDateDay = (values: Int32Array, validity: Uint8Array | null): Data<DateDay> =>
  makeResult(new DateDay(), values.length, validity, { data: values });

/** A view of a 64-bit array as (lo, hi) int32 pairs: reading it avoids one BigInt per row. */
export function int32PairsOf(values: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** Fills a BigInt64Array from float64 numbers without a BigInt per row (exact below 2^53). */
export function float64ToInt64(values: Float64Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  const pairs = int32PairsOf(out);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const hi = Math.floor(v / 4294967296);
    pairs[2 * i] = (v - hi * 4294967296) | 0;
    pairs[2 * i + 1] = hi | 0;
  }
  return out;
}

const TWO_32 = 4294967296;

/** The signed 128-bit little-endian value at `i` as a float64, divided by 10^scale. */
export function decimalToNumber(words: Uint32Array, i: number, scale: number): number {
  const b = i * 4;
  const unscaled = (words[b + 3] | 0) * TWO_32 * TWO_32 * TWO_32 + words[b + 2] * TWO_32 * TWO_32 + words[b + 1] * TWO_32 + words[b];
  return scale === 0 ? unscaled : unscaled / 10 ** scale;
}

/** Writes a bigint into 128-bit little-endian two's complement words. */
export function writeDecimalWords(words: Uint32Array, i: number, unscaled: bigint): void {
  let v = BigInt.asUintN(128, unscaled);
  for (let w = 0; w < 4; w++) {
    words[i * 4 + w] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

/** The unscaled 128-bit value at `i` as a bigint (exact; for casts and formatting). */
export function decimalToBigInt(words: Uint32Array, i: number): bigint {
  const b = i * 4;
  const v = (BigInt(words[b + 3]) << 96n) | (BigInt(words[b + 2]) << 64n) | (BigInt(words[b + 1]) << 32n) | BigInt(words[b]);
  return BigInt.asIntN(128, v);
}

/**
 * Any numeric, temporal or decimal column as numbers, one per row. Narrow integer and float
 * arrays come back as they are (no copy); 64-bit and decimal columns are converted to float64.
 * Null rows hold unspecified values: callers combine with `validityOf`.
 */
export function numbersOf(data: Data): Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array | Float32Array {
  const values = data.values as ArrayLike<unknown>;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const pairs = int32PairsOf(values);
    const unsigned = values instanceof BigUint64Array;
    const out = new Float64Array(data.length);
    for (let i = 0; i < out.length; i++) {
      const hi = unsigned ? pairs[2 * i + 1] >>> 0 : pairs[2 * i + 1];
      out[i] = hi * TWO_32 + (pairs[2 * i] >>> 0);
    }
    return out;
  }
  if (data.typeId === Type.Decimal) {
    const scale = (data.type as Decimal).scale;
    const words = values as Uint32Array;
    const out = new Float64Array(data.length);
    for (let i = 0; i < out.length; i++) out[i] = decimalToNumber(words, i, scale);
    return out;
  }
  if (data.typeId === Type.Bool) {
    const bits = boolBitsOf(data);
    const out = new Uint8Array(data.length);
    for (let i = 0; i < out.length; i++) out[i] = (bits[i >> 3] >> (i & 7)) & 1;
    return out;
  }
  if (values instanceof Float64Array || values instanceof Int32Array || values instanceof Float32Array
    || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint8Array
    || values instanceof Uint16Array || values instanceof Uint32Array) {
    // Builders pad their buffers: cut to the row count so callers may copy the whole array.
    return values.length > data.length ? values.subarray(0, data.length) : values;
  }
  throw new Error(`numbersOf: ${String(data.type)} is not numeric`);
}

/** A dictionary column's indices as plain numbers (int64 indices are converted once). */
export function dictionaryIndicesOf(data: Data): ArrayLike<number> {
  const values = data.values as ArrayLike<number> | BigInt64Array;
  return values instanceof BigInt64Array ? numbersOf(data) : values;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Decodes UTF-8 bytes; short ASCII strings skip TextDecoder, which costs more than the copy. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  if (end - start < 24) {
    let s = '';
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      if (b >= 0x80) return decoder.decode(bytes.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  return decoder.decode(bytes.subarray(start, end));
}

export const encodeUtf8 = (text: string): Uint8Array => encoder.encode(text);

/**
 * Row -> string reader for Utf8 and Dictionary<Utf8> columns (null for null rows). For the
 * dictionary, entries are decoded once, not once per row.
 */
export function stringReader(data: Data): (i: number) => string | null {
  const validity = validityOf(data);
  if (data.typeId === Type.Dictionary) {
    const dict = data.dictionary!.data[0];
    const entries = new Array<string | null>(dict.length);
    const read = stringReader(dict);
    for (let k = 0; k < dict.length; k++) entries[k] = read(k);
    const indices = dictionaryIndicesOf(data);
    return (i) => (validity && !bitIsSet(validity, i) ? null : entries[indices[i]]);
  }
  if (data.typeId !== Type.Utf8) throw new Error(`stringReader: ${String(data.type)} is not a string column`);
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  return (i) => (validity && !bitIsSet(validity, i) ? null : decodeUtf8(bytes, offsets[i], offsets[i + 1]));
}

/** Builds a Utf8 column by encoding straight into one growing buffer (no per-value arrays). */
export class Utf8Builder {
  private bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private readonly validity: Uint8Array;
  private used = 0;
  private row = 0;
  private nulls = 0;

  constructor(readonly length: number, estimatedBytes = length * 8) {
    this.bytes = new Uint8Array(Math.max(64, estimatedBytes));
    this.offsets = new Int32Array(length + 1);
    this.validity = new Uint8Array(bitmapBytes(length));
  }

  append(text: string | null): void {
    if (text === null) return this.appendNull();
    // encodeInto needs up to 3 bytes per UTF-16 unit.
    const needed = this.used + text.length * 3;
    if (needed > this.bytes.length) this.grow(needed);
    this.used += encoder.encodeInto(text, this.bytes.subarray(this.used)).written;
    this.validity[this.row >> 3] |= 1 << (this.row & 7);
    this.offsets[++this.row] = this.used;
  }

  appendBytes(source: Uint8Array, start: number, end: number): void {
    const needed = this.used + (end - start);
    if (needed > this.bytes.length) this.grow(needed);
    this.bytes.set(source.subarray(start, end), this.used);
    this.used = needed;
    this.validity[this.row >> 3] |= 1 << (this.row & 7);
    this.offsets[++this.row] = this.used;
  }

  appendNull(): void {
    this.nulls++;
    this.offsets[++this.row] = this.used;
  }

  finish(): Data<Utf8> {
    if (this.row !== this.length) throw new Error(`Utf8Builder: ${this.row} of ${this.length} rows appended`);
    return makeResult(new Utf8(), this.length, this.nulls ? this.validity : null, {
      data: this.bytes.subarray(0, this.used), valueOffsets: this.offsets,
    });
  }

  private grow(needed: number): void {
    const next = new Uint8Array(Math.max(needed, this.bytes.length * 2));
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }
}
