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

/** Sets `n` bits of zero-filled `dst` from bit `to`. */
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

const POPCOUNT = new Uint8Array(256);
for (let b = 1; b < 256; b++) POPCOUNT[b] = (b & 1) + POPCOUNT[b >> 1];

/** Set bits among the `n` bits of `bits` from bit `from` (a multiple of 8). */
export function countSet(bits: Uint8Array, from: number, n: number): number {
  let count = 0;
  const start = from >> 3;
  const whole = n >> 3;
  for (let k = 0; k < whole; k++) count += POPCOUNT[bits[start + k]];
  const rest = n & 7;
  if (rest) count += POPCOUNT[bits[start + whole] & ((1 << rest) - 1)];
  return count;
}
