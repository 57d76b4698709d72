import { corrupt } from './corrupt.js';

/**
 * DELTA_BINARY_PACKED (Parquet's Encodings.md): a header (block size, miniblocks per block, value
 * count, first value as a zigzag varint), then blocks: the block's min delta (zigzag varint), one
 * bit width (0–64) per miniblock, then each miniblock's deltas minus the min delta, bit-packed
 * LSB-first. Sums wrap at the type's width as the writers' do, so an INT32 value needs only the
 * low 32 bits of a delta however wide it was packed (arrow-rs packs INT32 deltas up to 33 bits),
 * and an INT64 value is summed as two 32-bit halves with a carry: no BigInt per value.
 */

/** A position in a page, and the last 64-bit varint read as two 32-bit halves. */
class Cursor {
  lo = 0;
  hi = 0;
  constructor(readonly bytes: Uint8Array, public at: number, readonly end: number) {}

  /** An unsigned varint of up to 64 bits into lo/hi. */
  varint(): void {
    const bytes = this.bytes;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift > 63) corrupt('a DELTA_BINARY_PACKED varint longer than 10 bytes');
      if (this.at >= this.end) corrupt('a DELTA_BINARY_PACKED header runs past the end of the page');
      const byte = bytes[this.at++];
      const bits = byte & 0x7f;
      if (shift < 28) lo |= bits << shift;
      else if (shift === 28) {
        lo |= bits << 28;
        hi |= bits >>> 4;
      } else hi |= bits << (shift - 32);
      if ((byte & 0x80) === 0) break;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** A zigzag varint (signed, up to 64 bits) into lo/hi. */
  zigzag(): void {
    this.varint();
    const sign = -(this.lo & 1);
    this.lo = ((this.lo >>> 1) | (this.hi << 31)) ^ sign;
    this.hi = (this.hi >>> 1) ^ sign;
  }

  /** An unsigned varint that must fit `limit` (a size or count of the header). */
  size(what: string, limit: number): number {
    this.varint();
    const value = (this.hi >>> 0) * 4294967296 + (this.lo >>> 0);
    if (value > limit) corrupt(`a DELTA_BINARY_PACKED header's ${what} ${value} is above ${limit}`);
    return value;
  }
}

/** Prev value's halves between miniblocks of an INT64 stream. */
interface Halves {
  lo: number;
  hi: number;
}

/**
 * Decodes `count` values of a DELTA_BINARY_PACKED stream at bytes[at, end) into `out` (32-bit
 * words, `words` per value: 1 for INT32, 2 for INT64 little-endian) from value `outAt`.
 * Returns where the stream ends (after the last miniblock's padding, as the next stream of
 * DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY starts there).
 */
export function decodeDeltaBinaryPacked(bytes: Uint8Array, at: number, end: number, count: number, words: 1 | 2, out: Int32Array, outAt: number): number {
  // A page of nulls only needs no values: a writer may leave out even the header.
  if (count === 0 && at >= end) return at;
  const cursor = new Cursor(bytes, at, end);
  const blockSize = cursor.size('block size', 1 << 20);
  const miniblocks = cursor.size('miniblock count', blockSize);
  const total = cursor.size('value count', 0x7fffffff);
  if (blockSize === 0 || blockSize % 128 !== 0) corrupt(`a DELTA_BINARY_PACKED block of ${blockSize} values (a multiple of 128 expected)`);
  const perMiniblock = blockSize / miniblocks;
  if (miniblocks === 0 || perMiniblock % 32 !== 0) corrupt(`DELTA_BINARY_PACKED blocks of ${blockSize} values in ${miniblocks} miniblocks (multiples of 32 expected)`);
  if (total !== count) corrupt(`a DELTA_BINARY_PACKED stream of ${total} values where the page has ${count}`);
  cursor.zigzag();
  if (count === 0) return cursor.at;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prev: Halves = { lo: cursor.lo, hi: cursor.hi };
  let o = outAt * words;
  out[o] = prev.lo;
  if (words === 2) out[o + 1] = prev.hi;
  o += words;
  let left = count - 1;
  while (left > 0) {
    cursor.zigzag();
    const minLo = cursor.lo;
    const minHi = cursor.hi;
    const widthsAt = cursor.at;
    if (miniblocks > end - widthsAt) corrupt('DELTA_BINARY_PACKED bit widths run past the end of the page');
    let p = widthsAt + miniblocks;
    for (let m = 0; m < miniblocks && left > 0; m++) {
      const width = bytes[widthsAt + m];
      if (width > 64) corrupt(`a DELTA_BINARY_PACKED miniblock of bit width ${width}`);
      const n = Math.min(perMiniblock, left);
      if (Math.ceil((n * width) / 8) > end - p) corrupt('a DELTA_BINARY_PACKED miniblock runs past the end of the page');
      if (words === 1) prev.lo = miniblock32(bytes, view, p, end, width, n, minLo, prev.lo, out, o);
      else miniblock64(bytes, view, p, end, width, n, minLo, minHi, prev, out, o);
      o += n * words;
      left -= n;
      // Miniblocks are padded to their full size; a writer that left the last one short ends the page.
      p = Math.min(end, p + (perMiniblock * width) / 8);
    }
    cursor.at = p;
  }
  return cursor.at;
}

/** `width` (1–32) bits at bit `bit` from bytes[at] (all within the checked miniblock), as an unsigned number. */
function bitsAt(bytes: Uint8Array, at: number, bit: number, width: number): number {
  let p = at + (bit >>> 3);
  const shift = bit & 7;
  let value = bytes[p] >>> shift;
  for (let got = 8 - shift; got < width; got += 8) value |= bytes[++p] << got;
  return width === 32 ? value >>> 0 : (value & ((1 << width) - 1)) >>> 0;
}

/** n INT32 values of one miniblock into out[o…]; returns the last value. */
function miniblock32(bytes: Uint8Array, view: DataView, at: number, end: number, width: number, n: number, min: number, prev: number, out: Int32Array, o: number): number {
  let value = prev;
  let i = 0;
  if (width === 0) {
    for (; i < n; i++) out[o + i] = value = (value + min) | 0;
    return value;
  }
  if (width <= 25) {
    // A 32-bit little-endian read holds any value of up to 25 bits whatever its bit offset.
    const mask = (1 << width) - 1;
    for (let bit = 0; i < n; i++, bit += width) {
      const p = at + (bit >>> 3);
      if (p + 3 >= end) break;
      value = (value + min + ((view.getUint32(p, true) >>> (bit & 7)) & mask)) | 0;
      out[o + i] = value;
    }
  } else {
    // Wider: the low 32 bits from a 32-bit read and the next byte (`<< (31 - s) << 1` is 0 when s = 0).
    const mask = width >= 32 ? -1 : (1 << width) - 1;
    for (let bit = 0; i < n; i++, bit += width) {
      const p = at + (bit >>> 3);
      if (p + 4 >= end) break;
      const s = bit & 7;
      value = (value + min + (((view.getInt32(p, true) >>> s) | ((bytes[p + 4] << (31 - s)) << 1)) & mask)) | 0;
      out[o + i] = value;
    }
  }
  // The last values before the end of the page, by bytes (only the low 32 bits of a delta count).
  const low = Math.min(width, 32);
  for (; i < n; i++) {
    value = (value + min + bitsAt(bytes, at, i * width, low)) | 0;
    out[o + i] = value;
  }
  return value;
}

/** n INT64 values of one miniblock into out[o…] as (lo, hi) word pairs; `prev` holds the last value's halves. */
function miniblock64(bytes: Uint8Array, view: DataView, at: number, end: number, width: number, n: number, minLo: number, minHi: number, prev: Halves, out: Int32Array, o: number): void {
  let lo = prev.lo;
  let hi = prev.hi;
  const min = minLo >>> 0;
  let i = 0;
  if (width <= 25) {
    const mask = width === 0 ? 0 : (1 << width) - 1;
    for (let bit = 0; i < n; i++, bit += width) {
      const p = at + (bit >>> 3);
      if (width !== 0 && p + 3 >= end) break;
      const delta = width === 0 ? 0 : (view.getUint32(p, true) >>> (bit & 7)) & mask;
      // Below 2^53: exact; the carry into the high half is 0, 1 or 2.
      const sum = (lo >>> 0) + min + delta;
      lo = sum | 0;
      hi = (hi + minHi + (sum > 0xffffffff ? Math.floor(sum / 4294967296) : 0)) | 0;
      out[o + 2 * i] = lo;
      out[o + 2 * i + 1] = hi;
    }
  } else {
    // Two 32-bit reads and the next byte hold any delta of up to 64 bits at any bit offset.
    const maskLo = width >= 32 ? -1 : (1 << width) - 1;
    const maskHi = width >= 64 ? -1 : width <= 32 ? 0 : (1 << (width - 32)) - 1;
    for (let bit = 0; i < n; i++, bit += width) {
      const p = at + (bit >>> 3);
      if (p + 8 >= end) break;
      const s = bit & 7;
      const w1 = view.getInt32(p + 4, true);
      const deltaLo = ((view.getInt32(p, true) >>> s) | ((w1 << (31 - s)) << 1)) & maskLo;
      const deltaHi = ((w1 >>> s) | ((bytes[p + 8] << (31 - s)) << 1)) & maskHi;
      const sum = (lo >>> 0) + min + (deltaLo >>> 0);
      lo = sum | 0;
      hi = (hi + minHi + deltaHi + (sum > 0xffffffff ? Math.floor(sum / 4294967296) : 0)) | 0;
      out[o + 2 * i] = lo;
      out[o + 2 * i + 1] = hi;
    }
  }
  const low = Math.min(width, 32);
  const high = width - low;
  for (; i < n; i++) {
    const bit = i * width;
    const sum = (lo >>> 0) + min + bitsAt(bytes, at, bit, low);
    const deltaHi = high > 0 ? bitsAt(bytes, at, bit + 32, high) : 0;
    lo = sum | 0;
    hi = (hi + minHi + deltaHi + (sum > 0xffffffff ? Math.floor(sum / 4294967296) : 0)) | 0;
    out[o + 2 * i] = lo;
    out[o + 2 * i + 1] = hi;
  }
  prev.lo = lo;
  prev.hi = hi;
}
