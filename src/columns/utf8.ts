import { Utf8, makeData, type Data } from 'apache-arrow';
import { packBits } from './bitmap.js';

const encoder = new TextEncoder();

/**
 * Builds a Utf8 column from JS strings (null/undefined are nulls): offsets plus one UTF-8 buffer
 * filled with `encodeInto`, ten times cheaper than Arrow's builders per value.
 */
export function utf8FromStrings(values: ArrayLike<string | null | undefined>): Data<Utf8> {
  const n = values.length;
  let capacity = 16;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v != null) capacity += v.length * 3;
  }
  let bytes = new Uint8Array(capacity);
  const offsets = new Int32Array(n + 1);
  const valid = new Uint8Array(n);
  let pos = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) nulls++;
    else {
      valid[i] = 1;
      if (v.length > 0) pos += encoder.encodeInto(v, bytes.subarray(pos)).written;
    }
    offsets[i + 1] = pos;
  }
  bytes = bytes.slice(0, pos);
  const nullBitmap = nulls > 0 ? packBits(valid, n).bits : undefined;
  return makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap, valueOffsets: offsets, data: bytes });
}
