import type { Data } from 'apache-arrow';

/**
 * Validity helpers. Arrow JS slices value buffers but not bitmaps: a Data's bitmap bits start
 * at `data.offset`, so every read goes through these helpers.
 */

/** True when row `i` of `data` is non-null. */
export function isValid(data: Data, i: number): boolean {
  const bitmap = data.nullBitmap;
  if (!bitmap || bitmap.length === 0) return true;
  const j = data.offset + i;
  return (bitmap[j >> 3] & (1 << (j & 7))) !== 0;
}

/** True when `data` may hold nulls (has a bitmap with at least one unset bit). */
export const mayHaveNulls = (data: Data): boolean =>
  !!data.nullBitmap && data.nullBitmap.length > 0 && data.nullCount > 0;

/** Reads bit `i` (offset-adjusted) of a bit-packed buffer such as a Bool column's values. */
export function getBit(bits: Uint8Array, offset: number, i: number): boolean {
  const j = offset + i;
  return (bits[j >> 3] & (1 << (j & 7))) !== 0;
}

/** Packs one byte per row (non-zero = set) into an Arrow bitmap, and counts the unset bits. */
export function packBits(bytes: Uint8Array, length = bytes.length): { bits: Uint8Array; unset: number } {
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  let set = 0;
  for (let i = 0; i < length; i++) {
    if (bytes[i]) {
      bits[i >> 3] |= 1 << (i & 7);
      set++;
    }
  }
  return { bits, unset: length - set };
}

/** A new bitmap of `length` bits, all set or all unset. */
export function fullBitmap(length: number, value: boolean): Uint8Array {
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  if (value) bits.fill(0xff);
  return bits;
}

/** How many rows are set among the first `length` bits of a bitmap aligned to bit 0. */
export function countSet(bits: Uint8Array, length: number): number {
  let set = 0;
  let k = 0;
  const whole = length >> 3;
  if (bits.byteOffset % 4 === 0) {
    // 32 rows a step: a count runs this once per batch, mostly before V8 has optimised it.
    const words = new Int32Array(bits.buffer, bits.byteOffset, whole >> 2);
    for (let w = 0; w < words.length; w++) {
      let v = words[w];
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      set += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
    }
    k = words.length << 2;
  }
  for (; k < whole; k++) set += POPCOUNT[bits[k]];
  for (let i = whole << 3; i < length; i++) set += (bits[i >> 3] >> (i & 7)) & 1;
  return set;
}

/** The rows set among the first `length` bits, in order; bytes without a set bit cost one read. */
export function setBitIndices(bits: Uint8Array, length: number): Int32Array {
  const out = new Int32Array(countSet(bits, length));
  for (let k = 0, j = 0; j < out.length; k++) {
    let byte = bits[k];
    while (byte !== 0 && j < out.length) {
      const low = byte & -byte;
      out[j++] = (k << 3) + 31 - Math.clz32(low);
      byte ^= low;
    }
  }
  return out;
}

const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];
