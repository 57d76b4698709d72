import { Data, DataType, Type, makeData, RecordBatch, Struct } from 'apache-arrow';
import { getBit, mayHaveNulls } from './bitmap.js';
import { makeBatch } from './makeBatch.js';

/**
 * Gathers rows `indices` of a column into a new column: the one kernel behind filter, join,
 * partitioning, sort and dedup. Works on Arrow buffers directly, by physical layout.
 */
export function takeData<T extends DataType>(data: Data<T>, indices: Int32Array): Data<T> {
  const n = indices.length;
  const { nullBitmap, nullCount } = takeValidity(data, indices);
  const type = data.type;
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length: n, nullCount: n } as never) as Data<T>;
    case Type.Bool: {
      const bits = new Uint8Array(((n + 63) >> 6) << 3);
      const src = data.values as Uint8Array;
      for (let i = 0; i < n; i++) if (getBit(src, data.offset, indices[i])) bits[i >> 3] |= 1 << (i & 7);
      return makeData({ type, length: n, nullCount, nullBitmap, data: bits } as never) as Data<T>;
    }
    case Type.Utf8:
    case Type.Binary:
      return takeVarBinary(data, indices, nullBitmap, nullCount);
    case Type.Dictionary: {
      const keys = takeFixed(data.values as ArrayLike<number> & { constructor: unknown }, 1, indices);
      return makeData({ type, length: n, nullCount, nullBitmap, data: keys, dictionary: data.dictionary } as never) as Data<T>;
    }
    case Type.Struct: {
      const children = data.children.map((c) => takeData(c, indices));
      return makeData({ type, length: n, nullCount, nullBitmap, children } as never) as Data<T>;
    }
    case Type.List:
    case Type.Map: // a map is a list of key/value structs: the same offsets and one child
      return takeList(data, indices, nullBitmap, nullCount);
    case Type.FixedSizeList: {
      const size = (type as unknown as { listSize: number }).listSize;
      const childIdx = new Int32Array(n * size);
      for (let i = 0; i < n; i++) for (let k = 0; k < size; k++) childIdx[i * size + k] = (data.offset + indices[i]) * size + k;
      const child = takeData(data.children[0], childIdx);
      return makeData({ type, length: n, nullCount, nullBitmap, child } as never) as Data<T>;
    }
    default: {
      // Fixed-width values: ints, floats, dates, timestamps, decimals (stride = words per value).
      const values = takeFixed(data.values as ArrayLike<number> & { constructor: unknown }, data.stride, indices);
      return makeData({ type, length: n, nullCount, nullBitmap, data: values } as never) as Data<T>;
    }
  }
}

/** Gathers rows of every column of a batch. */
export function takeBatch(batch: RecordBatch, indices: Int32Array): RecordBatch {
  const children = batch.data.children.map((c) => takeData(c, indices));
  return makeBatch(batch.schema, children, indices.length);
}

// Batches are built in one place (makeBatch.ts); importers of take.ts keep finding makeBatch here.
export { makeBatch };

/** Row indices where `mask` is non-zero: a filter is a take of these. */
export function maskToIndices(mask: Uint8Array, length = mask.length): Int32Array {
  let count = 0;
  for (let i = 0; i < length; i++) if (mask[i]) count++;
  const out = new Int32Array(count);
  for (let i = 0, j = 0; i < length; i++) if (mask[i]) out[j++] = i;
  return out;
}

/** Keeps the rows where `mask` is non-zero; returns the batch itself when all are kept. */
export function filterBatch(batch: RecordBatch, mask: Uint8Array): RecordBatch {
  const indices = maskToIndices(mask, batch.numRows);
  return indices.length === batch.numRows ? batch : takeBatch(batch, indices);
}

function takeValidity(data: Data, indices: Int32Array): { nullBitmap?: Uint8Array; nullCount: number } {
  if (data.type.typeId === Type.Null) return { nullCount: indices.length };
  if (!mayHaveNulls(data)) return { nullCount: 0 };
  const bits = new Uint8Array(((indices.length + 63) >> 6) << 3);
  const nulls = gatherBits(data.nullBitmap!, data.offset, indices, bits);
  return nulls === 0 ? { nullCount: 0 } : { nullBitmap: bits, nullCount: nulls };
}

/**
 * Sets bit i of `bits` to bit `offset + indices[i]` of `source`; returns how many were clear. A
 * loop alone in its function: V8 compiles a long loop on its first call (on-stack replacement)
 * without type feedback for the code after it, and deoptimised there when the result was built here.
 */
function gatherBits(source: Uint8Array, offset: number, indices: Int32Array, bits: Uint8Array): number {
  let nulls = 0;
  for (let i = 0; i < indices.length; i++) {
    const j = offset + indices[i];
    if (source[j >> 3] & (1 << (j & 7))) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  return nulls;
}

type TypedArrayCtor = new (length: number) => { [i: number]: number | bigint };
type FixedValues = ArrayLike<number> & { constructor: unknown; buffer: ArrayBufferLike; byteOffset: number; byteLength: number; BYTES_PER_ELEMENT: number };

/**
 * Gathers fixed-width values. Values of whole 32-bit words (ints, floats, dates, timestamps,
 * decimals) are copied as words, by one loop per width: an element loop over a BigInt64Array
 * would make a BigInt per row, and one generic loop over every array type is slow in V8.
 */
function takeFixed(values: ArrayLike<number> & { constructor: unknown }, stride: number, indices: Int32Array) {
  const Ctor = values.constructor as TypedArrayCtor;
  const n = indices.length;
  const out = new Ctor(n * stride) as unknown as { [i: number]: number | bigint };
  const typed = values as FixedValues;
  const rowBytes = stride * typed.BYTES_PER_ELEMENT;
  if (rowBytes % 4 === 0 && typed.byteOffset % 4 === 0) {
    const src = new Int32Array(typed.buffer, typed.byteOffset, typed.byteLength >> 2);
    const dst = new Int32Array((out as unknown as FixedValues).buffer);
    const words = rowBytes >> 2;
    if (words === 1) takeWords1(src, dst, indices);
    else if (words === 2) takeWords2(src, dst, indices);
    else takeWordsN(src, dst, words, indices);
    return out;
  }
  // Dictionary keys (Int8/Uint8/Int16/Uint16) and booleans-as-bytes: one loop per byte width too.
  if (stride === 1 && typed.BYTES_PER_ELEMENT === 1) {
    takeBytes(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), new Uint8Array((out as unknown as FixedValues).buffer), indices);
    return out;
  }
  if (stride === 1 && typed.BYTES_PER_ELEMENT === 2 && typed.byteOffset % 2 === 0) {
    takeHalfWords(new Uint16Array(typed.buffer, typed.byteOffset, typed.byteLength >> 1), new Uint16Array((out as unknown as FixedValues).buffer), indices);
    return out;
  }
  const src = values as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) {
    const s = indices[i] * stride;
    for (let k = 0; k < stride; k++) out[i * stride + k] = src[s + k];
  }
  return out;
}

function takeBytes(src: Uint8Array, dst: Uint8Array, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
}

function takeHalfWords(src: Uint16Array, dst: Uint16Array, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
}

function takeWords1(src: Int32Array, dst: Int32Array, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) dst[i] = src[indices[i]];
}

function takeWords2(src: Int32Array, dst: Int32Array, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i] << 1;
    dst[2 * i] = src[s];
    dst[2 * i + 1] = src[s + 1];
  }
}

function takeWordsN(src: Int32Array, dst: Int32Array, words: number, indices: Int32Array): void {
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i] * words;
    for (let k = 0; k < words; k++) dst[i * words + k] = src[s + k];
  }
}

function takeVarBinary<T extends DataType>(data: Data<T>, indices: Int32Array, nullBitmap: Uint8Array | undefined, nullCount: number): Data<T> {
  const n = indices.length;
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  let total = 0;
  for (let i = 0; i < n; i++) total += offsets[indices[i] + 1] - offsets[indices[i]];
  const outOffsets = new Int32Array(n + 1);
  const outBytes = new Uint8Array(total);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const start = offsets[indices[i]];
    const end = offsets[indices[i] + 1];
    if (end - start < 16) for (let k = start; k < end; k++) outBytes[pos++] = bytes[k];
    else {
      outBytes.set(bytes.subarray(start, end), pos);
      pos += end - start;
    }
    outOffsets[i + 1] = pos;
  }
  return makeData({ type: data.type, length: n, nullCount, nullBitmap, valueOffsets: outOffsets, data: outBytes } as never) as Data<T>;
}

function takeList<T extends DataType>(data: Data<T>, indices: Int32Array, nullBitmap: Uint8Array | undefined, nullCount: number): Data<T> {
  const n = indices.length;
  const offsets = data.valueOffsets as Int32Array;
  const outOffsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += offsets[indices[i] + 1] - offsets[indices[i]];
    outOffsets[i + 1] = total;
  }
  const childIdx = new Int32Array(total);
  for (let i = 0, p = 0; i < n; i++) for (let k = offsets[indices[i]]; k < offsets[indices[i] + 1]; k++) childIdx[p++] = k;
  const child = takeData(data.children[0], childIdx);
  return makeData({ type: data.type, length: n, nullCount, nullBitmap, valueOffsets: outOffsets, child } as never) as Data<T>;
}
