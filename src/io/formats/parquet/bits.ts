/** Bit helpers over LSB-first bitmaps (Arrow validity, Parquet bit-packing: the same order). */

/** Copies `n` bits from `src` at bit `from` into zero-filled `dst` at bit `to`. */
export function copyBits(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  let i = 0;
  if ((from & 7) === 0 && (to & 7) === 0) {
    const whole = n >> 3;
    dst.set(src.subarray(from >> 3, (from >> 3) + whole), to >> 3);
    i = whole << 3;
  }
  for (; i < n; i++) {
    const s = from + i;
    if (src[s >> 3] & (1 << (s & 7))) {
      const d = to + i;
      dst[d >> 3] |= 1 << (d & 7);
    }
  }
}

/** Sets `n` bits of `dst` from bit `to`. */
export function setBits(dst: Uint8Array, to: number, n: number): void {
  let i = 0;
  while (i < n && ((to + i) & 7) !== 0) {
    const d = to + i++;
    dst[d >> 3] |= 1 << (d & 7);
  }
  const whole = (n - i) >> 3;
  dst.fill(0xff, (to + i) >> 3, ((to + i) >> 3) + whole);
  i += whole << 3;
  for (; i < n; i++) {
    const d = to + i;
    dst[d >> 3] |= 1 << (d & 7);
  }
}

/** Set bits of every byte value. */
export const POPCOUNT = new Uint8Array(256);
for (let b = 1; b < 256; b++) POPCOUNT[b] = (b & 1) + POPCOUNT[b >> 1];

/** Set bits among the `n` bits of `bits` from bit `from`. */
export function countSet(bits: Uint8Array, from: number, n: number): number {
  const to = from + n;
  let count = 0;
  let i = from;
  while (i < to && i & 7) count += (bits[i >> 3] >> (i++ & 7)) & 1;
  for (; i + 8 <= to; i += 8) count += POPCOUNT[bits[i >> 3]];
  for (; i < to; i++) count += (bits[i >> 3] >> (i & 7)) & 1;
  return count;
}
