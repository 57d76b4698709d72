import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Raw snappy uncompressed in JS straight into a destination the caller may reuse (a Parquet
 * page's scratch buffer), every length and offset checked: a corrupt stream is a SluiceError
 * saying what is wrong, never a read past the input, a write past the output or a hang (each
 * element consumes at least one input byte).
 */

/**
 * Literals and copies shorter than this go byte by byte: cheaper than a typed-array view and a
 * memcpy call. Plain byte loops, not 4-byte DataView moves: on PLAIN doubles as DuckDB and Spark
 * write them (~2 elements per value, 1–2 byte literals and 6–7 byte copies) the stream
 * uncompressed at 8–9 ns a byte instead of 15–19 (native snappy: ~3.3).
 */
const SHORT_COPY = 32;

/** The uncompressed length a raw snappy stream announces (its leading varint), and where its elements start. */
export function snappyLength(input: Uint8Array): { length: number; at: number } {
  let length = 0;
  for (let k = 0; k < 5; k++) {
    if (k >= input.length) throw new SluiceError(`snappy: the stream ends inside its length (${input.length} bytes)`);
    const b = input[k];
    length += (b & 0x7f) * 2 ** (7 * k);
    if (b < 0x80) {
      if (length > 0xffffffff) break;
      return { length, at: k + 1 };
    }
  }
  throw new SluiceError('snappy: the stream\'s length is not a varint of at most 32 bits');
}

/** A buffer the caller reuses call after call (a Parquet chunk's pages); grown when a stream needs more. */
export interface ReusedBuffer {
  bytes: Uint8Array;
}

/**
 * `input` uncompressed. `expected` (when known, as a Parquet page header says) must match the
 * stream's own length. With `into`, the result is a view of its buffer (valid until the next call
 * with it); without, an array of its own.
 */
export function uncompressSnappy(input: Uint8Array, expected?: number, into?: ReusedBuffer): Uint8Array {
  const { length, at } = snappyLength(input);
  if (expected !== undefined && length !== expected) throw new SluiceError(`snappy: the stream holds ${length} bytes, ${expected} were expected`);
  // No element writes more than 64 bytes per 3 it takes: a larger length is corrupt, not a reason to allocate it.
  if (length > Math.ceil(((input.length - at) * 64) / 3)) throw new SluiceError(`snappy: a stream of ${input.length} bytes cannot hold the ${length} bytes it announces`);
  let out: Uint8Array;
  if (into) {
    if (into.bytes.length < length) into.bytes = new Uint8Array(length);
    out = into.bytes.subarray(0, length);
  } else {
    out = new Uint8Array(length);
  }
  const end = uncompressInto(input, at, out);
  if (end !== length) throw new SluiceError(`snappy: the stream ends after ${end} of its ${length} bytes`);
  return out;
}

/** The elements of input[ip…] written into `out`; returns how many bytes they wrote. */
function uncompressInto(input: Uint8Array, ip: number, out: Uint8Array): number {
  const inEnd = input.length;
  const outEnd = out.length;
  let op = 0;
  while (ip < inEnd) {
    const tag = input[ip++];
    const kind = tag & 3;
    if (kind === 0) {
      let length = (tag >>> 2) + 1;
      if (length > 60) {
        const extra = length - 60;
        if (ip + extra > inEnd) throw new SluiceError(`snappy: a literal's length runs past the end of the stream at byte ${ip}`);
        length = 0;
        for (let k = 0; k < extra; k++) length += input[ip + k] * 2 ** (8 * k);
        length += 1;
        ip += extra;
      }
      if (length > inEnd - ip) throw new SluiceError(`snappy: a literal of ${length} bytes at byte ${ip} runs past the end of the stream`);
      if (length > outEnd - op) throw new SluiceError(`snappy: a literal of ${length} bytes at byte ${ip} runs past the announced length ${outEnd}`);
      if (length < SHORT_COPY) {
        const stop = ip + length;
        while (ip < stop) out[op++] = input[ip++];
      } else {
        out.set(input.subarray(ip, ip + length), op);
        ip += length;
        op += length;
      }
      continue;
    }
    let length: number;
    let offset: number;
    if (kind === 1) {
      if (ip >= inEnd) throw new SluiceError(`snappy: a copy's offset runs past the end of the stream at byte ${ip}`);
      length = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[ip++];
    } else if (kind === 2) {
      if (ip + 2 > inEnd) throw new SluiceError(`snappy: a copy's offset runs past the end of the stream at byte ${ip}`);
      length = (tag >>> 2) + 1;
      offset = input[ip] | (input[ip + 1] << 8);
      ip += 2;
    } else {
      if (ip + 4 > inEnd) throw new SluiceError(`snappy: a copy's offset runs past the end of the stream at byte ${ip}`);
      length = (tag >>> 2) + 1;
      offset = (input[ip] | (input[ip + 1] << 8) | (input[ip + 2] << 16) | (input[ip + 3] << 24)) >>> 0;
      ip += 4;
    }
    if (offset === 0 || offset > op) throw new SluiceError(`snappy: a copy at output byte ${op} reaches ${offset} bytes back`);
    if (length > outEnd - op) throw new SluiceError(`snappy: a copy of ${length} bytes at output byte ${op} runs past the announced length ${outEnd}`);
    let from = op - offset;
    if (length >= SHORT_COPY && offset >= length) {
      out.copyWithin(op, from, from + length);
      op += length;
    } else {
      // Byte by byte also repeats a run (offset < length): each byte may read one this copy wrote.
      const stop = op + length;
      while (op < stop) out[op++] = out[from++];
    }
  }
  return op;
}
