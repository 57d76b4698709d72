import type { ByteSink } from './byteSink.js';

/**
 * The RLE / bit-packed hybrid (Encodings.md): a run is a varint header, `count << 1` then the
 * value in ceil(bitWidth / 8) bytes (RLE), or `groups << 1 | 1` then groups of 8 values packed
 * LSB-first in `bitWidth` bytes each (bit-packed). Bit widths here are at most 24.
 */

export function rleRun(sink: ByteSink, value: number, count: number, bitWidth: number): void {
  sink.varint(count * 2);
  for (let b = 0; b < bitWidth; b += 8) sink.byte((value >>> b) & 0xff);
}

/** Bit-packs values[from, to), padding the last group of 8 with zeros. */
function bitPack(sink: ByteSink, values: Int32Array, from: number, to: number, bitWidth: number): void {
  const groups = (to - from + 7) >> 3;
  sink.varint(groups * 2 + 1);
  sink.reserve(groups * bitWidth);
  const out = sink.bytes;
  let at = sink.length;
  if (bitWidth === 8) {
    for (let i = from; i < to; i++) out[at++] = values[i];
  } else if (bitWidth === 16) {
    for (let i = from; i < to; i++) {
      const v = values[i];
      out[at++] = v & 0xff;
      out[at++] = (v >>> 8) & 0xff;
    }
  } else {
    // Whole bytes leave the accumulator as soon as they fill: at most three per value (widths up to 24).
    let acc = 0;
    let bits = 0;
    for (let i = from; i < to; i++) {
      acc |= values[i] << bits;
      bits += bitWidth;
      if (bits >= 8) {
        out[at++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
        if (bits >= 8) {
          out[at++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
          if (bits >= 8) {
            out[at++] = acc & 0xff;
            acc >>>= 8;
            bits -= 8;
          }
        }
      }
    }
    if (bits > 0) out[at++] = acc & 0xff;
  }
  // The last group's missing values are zeros: its remaining bytes.
  const end = sink.length + groups * bitWidth;
  while (at < end) out[at++] = 0;
  sink.length = at;
}

/** Encodes values[from, to): runs of 8+ equal values as RLE, the rest bit-packed. */
export function encodeHybrid(sink: ByteSink, values: Int32Array, from: number, to: number, bitWidth: number): void {
  let packedFrom = from;
  let i = from;
  while (i < to) {
    const v = values[i];
    let j = i + 1;
    while (j < to && values[j] === v) j++;
    const run = j - i;
    if (run >= 8) {
      // A bit-packed run holds whole groups of 8: lend it the first values of this run.
      const pad = (8 - ((i - packedFrom) & 7)) & 7;
      if (run - pad >= 8) {
        if (i + pad > packedFrom) bitPack(sink, values, packedFrom, i + pad, bitWidth);
        rleRun(sink, v, run - pad, bitWidth);
        packedFrom = j;
      }
    }
    i = j;
  }
  if (packedFrom < to) bitPack(sink, values, packedFrom, to, bitWidth);
}

/**
 * Definition levels (bit width 1) straight from validity bits [from, from + n), `from` a multiple
 * of 8: a bit-packed group of 8 levels is one validity byte, and long runs of 0x00 / 0xff bytes
 * become RLE runs.
 */
export function encodeValidityLevels(sink: ByteSink, bits: Uint8Array, from: number, n: number): void {
  const start = from >> 3;
  const whole = n >> 3;
  let packedFrom = 0;
  let k = 0;
  while (k < whole) {
    const b = bits[start + k];
    if (b !== 0 && b !== 0xff) {
      k++;
      continue;
    }
    let m = k + 1;
    while (m < whole && bits[start + m] === b) m++;
    if (m - k >= 4) {
      if (k > packedFrom) packBytes(sink, bits, start + packedFrom, k - packedFrom, 0);
      rleRun(sink, b & 1, (m - k) * 8, 1);
      packedFrom = m;
    }
    k = m;
  }
  const rest = n & 7;
  if (whole > packedFrom || rest) packBytes(sink, bits, start + packedFrom, whole - packedFrom + (rest ? 1 : 0), rest);
}

/** A bit-packed run of `count` bytes (8 levels each); `rest` > 0 masks the last byte to its valid bits. */
function packBytes(sink: ByteSink, bits: Uint8Array, from: number, count: number, rest: number): void {
  sink.varint(count * 2 + 1);
  sink.append(bits.subarray(from, from + count));
  if (rest) sink.bytes[sink.length - 1] &= (1 << rest) - 1;
}

/** Bits needed for values 0..max (at least 1). */
export function bitWidthOf(max: number): number {
  let width = 1;
  while (max >= 2 ** width) width++;
  return width;
}
