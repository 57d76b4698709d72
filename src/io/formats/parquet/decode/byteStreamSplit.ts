import { corrupt } from './corrupt.js';

/**
 * BYTE_STREAM_SPLIT: `count` values of `width` bytes stored as `width` streams, stream b holding
 * byte b of every value (FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY). Gathered back into
 * out[outAt…] (a byte offset), word by word where the target is aligned.
 */
export function decodeByteStreamSplit(bytes: Uint8Array, at: number, end: number, count: number, width: number, out: Uint8Array, outAt: number): void {
  if (count * width > end - at) corrupt(`a BYTE_STREAM_SPLIT page holds ${end - at} bytes, ${count} values of ${width} bytes need ${count * width}`);
  const aligned = ((out.byteOffset + outAt) & 3) === 0;
  if (aligned && (width === 4 || width === 8)) {
    const words = new Int32Array(out.buffer, out.byteOffset + outAt, (count * width) >> 2);
    const s1 = at + count;
    const s2 = s1 + count;
    const s3 = s2 + count;
    if (width === 4) {
      for (let i = 0; i < count; i++) words[i] = bytes[at + i] | (bytes[s1 + i] << 8) | (bytes[s2 + i] << 16) | (bytes[s3 + i] << 24);
      return;
    }
    const s4 = s3 + count;
    const s5 = s4 + count;
    const s6 = s5 + count;
    const s7 = s6 + count;
    for (let i = 0; i < count; i++) {
      words[2 * i] = bytes[at + i] | (bytes[s1 + i] << 8) | (bytes[s2 + i] << 16) | (bytes[s3 + i] << 24);
      words[2 * i + 1] = bytes[s4 + i] | (bytes[s5 + i] << 8) | (bytes[s6 + i] << 16) | (bytes[s7 + i] << 24);
    }
    return;
  }
  for (let b = 0; b < width; b++) {
    const stream = at + b * count;
    for (let i = 0, o = outAt + b; i < count; i++, o += width) out[o] = bytes[stream + i];
  }
}

/**
 * BYTE_STREAM_SPLIT values of 4 or 8 bytes gathered straight to their rows: `count` values for the
 * valid rows among [row, row + n) of `validity`, into `words` (the column's 32-bit words; null
 * rows keep their zeros). One pass instead of decoding into a packed copy and scattering it.
 */
export function scatterByteStreamSplit(bytes: Uint8Array, at: number, end: number, count: number, width: 4 | 8, words: Int32Array, validity: Uint8Array, row: number, n: number): void {
  if (count * width > end - at) corrupt(`a BYTE_STREAM_SPLIT page holds ${end - at} bytes, ${count} values of ${width} bytes need ${count * width}`);
  const s1 = at + count;
  const s2 = s1 + count;
  const s3 = s2 + count;
  let k = 0;
  if (width === 4) {
    for (let r = row; r < row + n; r++) {
      if (((validity[r >> 3] >> (r & 7)) & 1) === 0) continue;
      words[r] = bytes[at + k] | (bytes[s1 + k] << 8) | (bytes[s2 + k] << 16) | (bytes[s3 + k] << 24);
      k++;
    }
  } else {
    const s4 = s3 + count;
    const s5 = s4 + count;
    const s6 = s5 + count;
    const s7 = s6 + count;
    for (let r = row; r < row + n; r++) {
      if (((validity[r >> 3] >> (r & 7)) & 1) === 0) continue;
      words[2 * r] = bytes[at + k] | (bytes[s1 + k] << 8) | (bytes[s2 + k] << 16) | (bytes[s3 + k] << 24);
      words[2 * r + 1] = bytes[s4 + k] | (bytes[s5 + k] << 8) | (bytes[s6 + k] << 16) | (bytes[s7 + k] << 24);
      k++;
    }
  }
  if (k !== count) corrupt(`a BYTE_STREAM_SPLIT page of ${count} values for ${k} valid rows`);
}
