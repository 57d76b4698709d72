import type { ByteSink } from './byteSink.js';
import { copyBits } from '../bits.js';

/** PLAIN encoding (Encodings.md) of value ranges [from, to) of the gathered, null-free values. */

/** INT32/INT64/FLOAT/DOUBLE: the little-endian words as they are. */
export function plainWords(sink: ByteSink, words: Int32Array, width: number, from: number, to: number): void {
  sink.append(new Uint8Array(words.buffer, words.byteOffset + from * width * 4, (to - from) * width * 4));
}

/** BOOLEAN: bit-packed, LSB first. */
export function plainBools(sink: ByteSink, bits: Uint8Array, from: number, to: number): void {
  const n = to - from;
  const size = (n + 7) >> 3;
  sink.reserve(size);
  sink.bytes.fill(0, sink.length, sink.length + size);
  copyBits(bits, from, sink.bytes, sink.length * 8, n);
  sink.length += size;
}

/** BYTE_ARRAY: each value as a 4-byte little-endian length and its bytes. */
export function plainByteArrays(sink: ByteSink, bytes: Uint8Array, offsets: Int32Array, from: number, to: number): void {
  sink.reserve((to - from) * 4 + offsets[to] - offsets[from]);
  const out = sink.bytes;
  let at = sink.length;
  for (let i = from; i < to; i++) {
    const s = offsets[i];
    const e = offsets[i + 1];
    const len = e - s;
    out[at] = len & 0xff;
    out[at + 1] = (len >>> 8) & 0xff;
    out[at + 2] = (len >>> 16) & 0xff;
    out[at + 3] = len >>> 24;
    at += 4;
    if (len > 32) {
      out.set(bytes.subarray(s, e), at);
      at += len;
    } else for (let b = s; b < e; b++) out[at++] = bytes[b];
  }
  sink.length = at;
}

/** FIXED_LEN_BYTE_ARRAY: the values back to back. */
export function plainFixed(sink: ByteSink, bytes: Uint8Array, width: number, from: number, to: number): void {
  sink.append(bytes.subarray(from * width, to * width));
}
