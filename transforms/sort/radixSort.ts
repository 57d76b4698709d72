/**
 * A stable least-significant-digit radix sort of row numbers by unsigned 32-bit digits (most
 * significant first, across all sort keys). Each pass is a counting sort over RADIX_BITS bits,
 * so sorting is linear in rows; passes over bits that are equal in every row are skipped. The
 * current digit travels with the row numbers, so passes read sequentially; 8-bit passes keep
 * the 256 write streams of a scatter within the CPU caches.
 */
export function radixSortPermutation(digits: readonly Uint32Array[], length: number, radixBits = 8): Int32Array {
  let order = new Int32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  let spareOrder = new Int32Array(length);
  let keys = new Uint32Array(length);
  let spareKeys = new Uint32Array(length);
  const radix = 1 << radixBits;
  const mask = radix - 1;
  const counts = new Int32Array(radix);
  let sorted = false; // whether `order` is no longer the identity
  for (let d = digits.length - 1; d >= 0; d--) {
    const digit = digits[d];
    const varying = varyingBits(digit, length);
    if (varying === 0) continue;
    if (sorted) for (let i = 0; i < length; i++) keys[i] = digit[order[i]];
    else keys.set(digit.subarray(0, length));
    for (let shift = 0; shift < 32; shift += radixBits) {
      if (((varying >>> shift) & mask) === 0) continue;
      counts.fill(0);
      for (let i = 0; i < length; i++) counts[(keys[i] >>> shift) & mask]++;
      for (let b = 0, start = 0; b < radix; b++) {
        const c = counts[b];
        counts[b] = start;
        start += c;
      }
      for (let i = 0; i < length; i++) {
        const key = keys[i];
        const at = counts[(key >>> shift) & mask]++;
        spareKeys[at] = key;
        spareOrder[at] = order[i];
      }
      [order, spareOrder] = [spareOrder, order];
      [keys, spareKeys] = [spareKeys, keys];
      sorted = true;
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
