/**
 * A stable least-significant-digit radix sort of row numbers by unsigned 32-bit digits (most
 * significant first, across all sort keys). Each pass is a counting sort over 8 or 16 bits,
 * so sorting is linear in rows; passes over bits that are equal in every row are skipped.
 */
export function radixSortPermutation(digits: readonly Uint32Array[], length: number): Int32Array {
  let order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  let spare = new Int32Array(length);
  // Small inputs would spend more time clearing 65,536 counters than sorting.
  const bits = length >= 1 << 16 ? 16 : 8;
  const radix = 1 << bits;
  const mask = radix - 1;
  const counts = new Int32Array(radix);
  for (let d = digits.length - 1; d >= 0; d--) {
    const digit = digits[d];
    const varying = varyingBits(digit, length);
    for (let shift = 0; shift < 32; shift += bits) {
      if (((varying >>> shift) & mask) === 0) continue;
      counts.fill(0);
      for (let i = 0; i < length; i++) counts[(digit[order[i]] >>> shift) & mask]++;
      for (let b = 0, start = 0; b < radix; b++) {
        const c = counts[b];
        counts[b] = start;
        start += c;
      }
      for (let i = 0; i < length; i++) {
        const row = order[i];
        spare[counts[(digit[row] >>> shift) & mask]++] = row;
      }
      [order, spare] = [spare, order];
    }
  }
  return order;
}

/** The bits that differ between at least two rows. */
function varyingBits(digit: Uint32Array, length: number): number {
  if (length === 0) return 0;
  let all = digit[0];
  let any = digit[0];
  for (let i = 1; i < length; i++) {
    all &= digit[i];
    any |= digit[i];
  }
  return (all ^ any) >>> 0;
}
