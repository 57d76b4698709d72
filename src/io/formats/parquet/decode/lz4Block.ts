import { corrupt } from './corrupt.js';

/**
 * The LZ4 block format (lz4's Block_format.md: sequences of a token, literals and a match of
 * offset ≥ 1, the last sequence literals only), as Parquet's LZ4_RAW codec stores pages. Decoded
 * in two passes: the first walks the sequences, checks every length and offset and sums the
 * output size (the codec does not store it), the second copies into a buffer of that size.
 */

/** A length's extension bytes (each 255 adds 255 and continues) from src[at…]; sets `next`. */
let next = 0;
function extended(src: Uint8Array, at: number, end: number, base: number): number {
  let length = base;
  let p = at;
  for (;;) {
    if (p >= end) corrupt('an LZ4 length runs past the end of the block');
    const byte = src[p++];
    length += byte;
    if (byte !== 255) break;
  }
  next = p;
  return length;
}

/**
 * The bytes the LZ4 block src[at, end) decompresses to; a match may reach `before` bytes back
 * past the block's own output (earlier blocks of a dependent LZ4 frame).
 */
export function lz4BlockSize(src: Uint8Array, at: number, end: number, before = 0): number {
  let size = 0;
  let p = at;
  while (p < end) {
    const token = src[p++];
    let literals = token >>> 4;
    if (literals === 15) {
      literals = extended(src, p, end, 15);
      p = next;
    }
    if (literals > end - p) corrupt(`LZ4 literals of ${literals} bytes run past the end of the block`);
    p += literals;
    size += literals;
    if (p === end) break;
    if (end - p < 2) corrupt('an LZ4 match offset runs past the end of the block');
    const offset = src[p] | (src[p + 1] << 8);
    p += 2;
    if (offset === 0 || offset > before + size) corrupt(`an LZ4 match ${offset} bytes back after ${before + size} bytes`);
    let match = token & 15;
    if (match === 15) {
      match = extended(src, p, end, 15);
      p = next;
    }
    size += match + 4;
    if (size > 0x7fffffff) corrupt('an LZ4 block of more than 2 GiB');
  }
  return size;
}

/** Decodes the LZ4 block src[at, end), checked by lz4BlockSize, into out[outAt…]; returns the end of its output. */
export function lz4DecodeBlock(src: Uint8Array, at: number, end: number, out: Uint8Array, outAt: number): number {
  let p = at;
  let o = outAt;
  while (p < end) {
    const token = src[p++];
    let literals = token >>> 4;
    if (literals === 15) {
      literals = extended(src, p, end, 15);
      p = next;
    }
    if (literals < 16) for (let b = 0; b < literals; b++) out[o + b] = src[p + b];
    else out.set(src.subarray(p, p + literals), o);
    p += literals;
    o += literals;
    if (p >= end) break;
    const offset = src[p] | (src[p + 1] << 8);
    p += 2;
    let match = token & 15;
    if (match === 15) {
      match = extended(src, p, end, 15);
      p = next;
    }
    match += 4;
    const from = o - offset;
    // An offset shorter than the match repeats the bytes just written: copied byte by byte.
    if (offset < match || match < 32) for (let b = 0; b < match; b++) out[o + b] = out[from + b];
    else out.copyWithin(o, from, from + match);
    o += match;
  }
  return o;
}

/** A page compressed as one LZ4 block (Parquet's LZ4_RAW). */
export function lz4RawDecompress(page: Uint8Array): Uint8Array {
  const out = new Uint8Array(lz4BlockSize(page, 0, page.length));
  lz4DecodeBlock(page, 0, page.length, out, 0);
  return out;
}
