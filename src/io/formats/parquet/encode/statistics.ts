import type { LeafColumn } from './parquetTypes.js';

/** Column-chunk statistics: min and max PLAIN-encoded (byte arrays without length), and the null count. */
export interface ColumnStatistics {
  nulls: number;
  min?: Uint8Array;
  max?: Uint8Array;
}

/** The non-null values to scan: the chunk's own, or its dictionary (every entry of which is used). */
export interface StatisticsInput {
  count: number;
  words: Int32Array;
  bytes: Uint8Array;
  offsets: Int32Array;
}

export function statistics(leaf: LeafColumn, values: StatisticsInput, nulls: number): ColumnStatistics {
  if (values.count === 0) return { nulls };
  switch (leaf.order) {
    case 'signed':
    case 'unsigned':
      return leaf.width === 1 ? int32Stats(values, nulls, leaf.order === 'unsigned') : int64Stats(values, nulls, leaf.order === 'unsigned');
    case 'float':
      return leaf.width === 1 ? floatStats(new Float32Array(values.words.buffer, values.words.byteOffset, values.count), nulls, 4) : floatStats(new Float64Array(values.words.buffer, values.words.byteOffset, values.count), nulls, 8);
    case 'bool':
      return boolStats(values, nulls);
    case 'bytes':
      return bytesStats(values, nulls);
    case 'flba':
      return fixedStats(values, leaf.width, nulls);
  }
}

const wordBytes = (words: Int32Array, at: number, width: number) => new Uint8Array(words.buffer.slice(words.byteOffset + at * 4, words.byteOffset + (at + width) * 4));

function int32Stats(v: StatisticsInput, nulls: number, unsigned: boolean): ColumnStatistics {
  const lo = int32Extremes(v.words, v.count, unsigned);
  return { nulls, min: wordBytes(v.words, lo, 1), max: wordBytes(v.words, maxAt, 1) };
}

function int64Stats(v: StatisticsInput, nulls: number, unsigned: boolean): ColumnStatistics {
  const lo = int64Extremes(v.words, v.count, unsigned);
  return { nulls, min: wordBytes(v.words, 2 * lo, 2), max: wordBytes(v.words, 2 * maxAt, 2) };
}

/**
 * Where the last extremes scan found its maximum (it returns where its minimum is). The scans are
 * loops alone in their functions, returning a number: V8 compiles a long loop on its first call
 * (on-stack replacement) without type feedback for the code after it, and deoptimised there, at
 * the statistics' object, on each page until it compiled the function again.
 */
let maxAt = 0;

function int32Extremes(w: Int32Array, count: number, unsigned: boolean): number {
  let lo = 0;
  let hi = 0;
  if (unsigned) {
    for (let i = 1; i < count; i++) {
      const x = w[i] >>> 0;
      if (x < w[lo] >>> 0) lo = i;
      else if (x > w[hi] >>> 0) hi = i;
    }
  } else {
    for (let i = 1; i < count; i++) {
      const x = w[i];
      if (x < w[lo]) lo = i;
      else if (x > w[hi]) hi = i;
    }
  }
  maxAt = hi;
  return lo;
}

/** 64-bit order on (high word, low word) pairs, without BigInts. */
function int64Extremes(w: Int32Array, count: number, unsigned: boolean): number {
  // Unsigned order is signed order with the high words' sign bits flipped.
  const flip = unsigned ? 0x80000000 | 0 : 0;
  let lo = 0;
  let hi = 0;
  let loHigh = w[1] ^ flip;
  let loLow = w[0] >>> 0;
  let hiHigh = loHigh;
  let hiLow = loLow;
  for (let i = 1; i < count; i++) {
    const h = w[2 * i + 1] ^ flip;
    const l = w[2 * i] >>> 0;
    if (h < loHigh || (h === loHigh && l < loLow)) {
      lo = i;
      loHigh = h;
      loLow = l;
    } else if (h > hiHigh || (h === hiHigh && l > hiLow)) {
      hi = i;
      hiHigh = h;
      hiLow = l;
    }
  }
  maxAt = hi;
  return lo;
}

/** NaN takes no part; a zero bound is written as -0.0 (min) and +0.0 (max), as the spec asks. */
function floatStats(f: Float32Array | Float64Array, nulls: number, size: 4 | 8): ColumnStatistics {
  let min = floatMin(f);
  let max = floatMax;
  if (min > max) return { nulls }; // every value NaN
  if (min === 0) min = -0;
  if (max === 0) max = 0;
  const encode = (x: number) => {
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    if (size === 4) view.setFloat32(0, x, true);
    else view.setFloat64(0, x, true);
    return bytes;
  };
  return { nulls, min: encode(min), max: encode(max) };
}

/** The largest value the last floatMin saw (as maxAt, for the same reason). */
let floatMax = -Infinity;

/** The smallest value but NaN (Infinity when all are NaN; floatMax is then -Infinity). */
function floatMin(f: Float32Array | Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < f.length; i++) {
    const x = f[i];
    if (x !== x) continue;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  floatMax = max;
  return min;
}

function boolStats(v: StatisticsInput, nulls: number): ColumnStatistics {
  let ones = 0;
  for (let i = 0; i < v.count; i++) if (v.bytes[i >> 3] & (1 << (i & 7))) ones++;
  return { nulls, min: Uint8Array.of(ones === v.count ? 1 : 0), max: Uint8Array.of(ones > 0 ? 1 : 0) };
}

/** Unsigned lexicographic order of bytes (UTF-8 strings sort as code points). */
function compareBytes(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): number {
  const n = Math.min(e1 - s1, e2 - s2);
  for (let k = 0; k < n; k++) {
    const d = b[s1 + k] - b[s2 + k];
    if (d !== 0) return d;
  }
  return e1 - s1 - (e2 - s2);
}

function bytesStats(v: StatisticsInput, nulls: number): ColumnStatistics {
  const { bytes, offsets } = v;
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < v.count; i++) {
    const s = offsets[i];
    const e = offsets[i + 1];
    if (compareBytes(bytes, s, e, offsets[lo], offsets[lo + 1]) < 0) lo = i;
    else if (compareBytes(bytes, s, e, offsets[hi], offsets[hi + 1]) > 0) hi = i;
  }
  return { nulls, min: bytes.slice(offsets[lo], offsets[lo + 1]), max: bytes.slice(offsets[hi], offsets[hi + 1]) };
}

/** Big-endian two's complement: the first byte compares signed, the rest unsigned. */
function fixedStats(v: StatisticsInput, width: number, nulls: number): ColumnStatistics {
  const b = v.bytes;
  const compare = (i: number, j: number) => {
    const d = (b[i * width] ^ 0x80) - (b[j * width] ^ 0x80);
    if (d !== 0) return d;
    for (let k = 1; k < width; k++) {
      const e = b[i * width + k] - b[j * width + k];
      if (e !== 0) return e;
    }
    return 0;
  };
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < v.count; i++) {
    if (compare(i, lo) < 0) lo = i;
    else if (compare(i, hi) > 0) hi = i;
  }
  return { nulls, min: b.slice(lo * width, (lo + 1) * width), max: b.slice(hi * width, (hi + 1) * width) };
}

/** Orders two PLAIN-encoded statistics of the leaf's type (negative, zero, positive), as the statistics compare values. */
export function compareStatistic(leaf: LeafColumn, a: Uint8Array, b: Uint8Array): number {
  const va = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const vb = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const sign = (x: number | bigint, y: number | bigint) => (x < y ? -1 : x > y ? 1 : 0);
  switch (leaf.order) {
    case 'signed':
      return leaf.width === 1 ? sign(va.getInt32(0, true), vb.getInt32(0, true)) : sign(va.getBigInt64(0, true), vb.getBigInt64(0, true));
    case 'unsigned':
      return leaf.width === 1 ? sign(va.getUint32(0, true), vb.getUint32(0, true)) : sign(va.getBigUint64(0, true), vb.getBigUint64(0, true));
    case 'float':
      return leaf.width === 1 ? sign(va.getFloat32(0, true), vb.getFloat32(0, true)) : sign(va.getFloat64(0, true), vb.getFloat64(0, true));
    case 'bool':
      return a[0] - b[0];
    case 'bytes':
      return compareBytesOf(a, b);
    case 'flba': {
      const d = (a[0] ^ 0x80) - (b[0] ^ 0x80);
      return d !== 0 ? d : compareBytesOf(a.subarray(1), b.subarray(1));
    }
  }
}

function compareBytesOf(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}
