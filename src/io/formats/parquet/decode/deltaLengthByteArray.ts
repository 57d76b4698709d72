import { corrupt } from './corrupt.js';
import { decodeDeltaBinaryPacked } from './deltaBinaryPacked.js';

/** Byte arrays as their lengths and their bytes back to back: bytes[dataAt, dataAt + total). */
export interface PackedByteArrays {
  lengths: Int32Array;
  bytes: Uint8Array;
  dataAt: number;
  total: number;
}

/**
 * DELTA_LENGTH_BYTE_ARRAY: the `count` lengths as a DELTA_BINARY_PACKED stream at bytes[at…],
 * then the values' bytes back to back (no copy: the result points into `bytes`). Every length is
 * checked, and their sum against what the page holds.
 */
export function decodeDeltaLengthByteArray(bytes: Uint8Array, at: number, end: number, count: number): PackedByteArrays {
  const lengths = new Int32Array(count);
  const dataAt = decodeDeltaBinaryPacked(bytes, at, end, count, 1, lengths, 0);
  let total = 0;
  let negative = 0;
  for (let i = 0; i < count; i++) {
    total += lengths[i];
    negative |= lengths[i];
  }
  if (negative < 0) corrupt('a DELTA_LENGTH_BYTE_ARRAY length below 0');
  if (total > end - dataAt) corrupt(`DELTA_LENGTH_BYTE_ARRAY values of ${total} bytes where the page holds ${end - dataAt}`);
  return { lengths, bytes, dataAt, total };
}
