import { corrupt } from './corrupt.js';
import { decodeDeltaBinaryPacked } from './deltaBinaryPacked.js';
import { decodeDeltaLengthByteArray, type PackedByteArrays } from './deltaLengthByteArray.js';

/**
 * DELTA_BYTE_ARRAY (incremental, "front coding"): the `count` prefix lengths as a
 * DELTA_BINARY_PACKED stream, then the suffixes as DELTA_LENGTH_BYTE_ARRAY; value i is the first
 * prefix[i] bytes of value i − 1, then suffix i. Built back to back in a buffer of their own. The
 * first value of a page has no prefix (as arrow-rs reads it: each page starts afresh).
 */
export function decodeDeltaByteArray(bytes: Uint8Array, at: number, end: number, count: number): PackedByteArrays {
  const prefixes = new Int32Array(count);
  const suffixesAt = decodeDeltaBinaryPacked(bytes, at, end, count, 1, prefixes, 0);
  const suffixes = decodeDeltaLengthByteArray(bytes, suffixesAt, end, count);
  const lengths = suffixes.lengths;
  let total = 0;
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[i];
    if (prefix < 0 || prefix > previous) corrupt(`a DELTA_BYTE_ARRAY prefix of ${prefix} bytes after a value of ${previous}`);
    previous = prefix + lengths[i];
    lengths[i] = previous;
    total += previous;
  }
  if (total > 0x7fffffff) corrupt(`DELTA_BYTE_ARRAY values of ${total} bytes in one page`);
  const out = new Uint8Array(total);
  let p = suffixes.dataAt;
  let o = 0;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const prefix = prefixes[i];
    const suffix = lengths[i] - prefix;
    if (prefix < 32) for (let b = 0; b < prefix; b++) out[o + b] = out[start + b];
    else out.copyWithin(o, start, start + prefix);
    if (suffix < 32) for (let b = 0; b < suffix; b++) out[o + prefix + b] = bytes[p + b];
    else out.set(bytes.subarray(p, p + suffix), o + prefix);
    start = o;
    o += prefix + suffix;
    p += suffix;
  }
  return { lengths, bytes: out, dataAt: 0, total };
}
