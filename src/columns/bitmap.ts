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
