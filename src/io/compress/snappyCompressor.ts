/**
 * Raw snappy (google/snappy format_description.txt) compressed in JS, into an output buffer the
 * compressor owns and reuses: no allocation per call but the caller's copy of the result. The
 * native addon allocated every output through mimalloc's huge-page arenas, whose fresh 2 MB pages
 * the kernel zeroed at random cost (W1's system time: 0.25 s without snappy, up to 1.2 s with).
 *
 * The algorithm is snappy's own (CompressFragment): 64 KiB blocks compressed independently, a hash
 * of 4 bytes into a table of block positions, copies of 4+ bytes with 1- or 2-byte offsets, and
 * the skip heuristic (after 32 misses in a row the search steps 2 bytes, then 3…), so incompressible
 * input costs little. On top, an early give-up: when a sample from the middle of a page longer than
 * a block shrinks by less than `giveUpAbove` says, the page is one literal (any snappy decoder reads it).
 */

const BLOCK_BYTES = 1 << 16;
/** Bytes compressed to decide whether a page is worth compressing. */
const SAMPLE_BYTES = 1 << 13;
const MAX_HASH_BITS = 14;
/** Bytes at a block's end searched for no match (snappy's kInputMarginBytes): loads never pass the block. */
const INPUT_MARGIN = 15;
/** The literal a tag can hold itself: lengths 1–60; longer ones take 1–4 more bytes. */
const SHORT_LITERAL = 60;
/** A stream that is one literal: at most 5 bytes of length varint and 5 of literal tag. */
const LITERAL_OVERHEAD = 10;

/** Snappy's worst case for `n` input bytes (MaxCompressedLength). */
export function maxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

export interface SnappyCompressorOptions {
  /**
   * Give up on a page longer than one block whose sample compresses to more than this fraction of
   * itself: the page is stored as a literal. 1 never gives up (snappy's own output).
   */
  giveUpAbove?: number;
}

/**
 * Measured on W1's and W2's pages: random ids, doubles and dictionary indices do not shrink (0.97–1.0),
 * W1's timestamps to 0.91–0.92, W2's (one month per file: more shared high bytes) to 0.88–0.91.
 * Those last cost snappy's search ~25 ns a byte for a 9% gain: giving up at 0.85 saved W2 6% of
 * its wall time (9 interleaved runs) for 2.7% more bytes (40.0 MB, as DuckDB's 39.7). Dictionary
 * pages and dictionary-encoded amounts (0.6–0.7) still compress.
 */
export const GIVE_UP_ABOVE = 0.85;

export class SnappyCompressor {
  private out = new Uint8Array(0);
  private readonly table = new Uint16Array(1 << MAX_HASH_BITS);
  private readonly giveUpAbove: number;

  constructor(options: SnappyCompressorOptions = {}) {
    this.giveUpAbove = options.giveUpAbove ?? GIVE_UP_ABOVE;
  }

  /**
   * `input` compressed, as a view of the compressor's own buffer: valid until the next call
   * (copy it to keep it).
   */
  compressView(input: Uint8Array): Uint8Array {
    const n = input.length;
    if (this.givesUp(input)) {
      const out = this.room(n + LITERAL_OVERHEAD);
      return out.subarray(0, emitLiteral(input, 0, n, out, writeVarint(out, 0, n)));
    }
    return this.compressBlocks(input);
  }

  /** `input` compressed, in an array of its own (a page given up on is copied once, not twice). */
  compress(input: Uint8Array): Uint8Array {
    const n = input.length;
    if (this.givesUp(input)) {
      const head = this.room(LITERAL_OVERHEAD);
      const headLength = writeLiteralTag(head, writeVarint(head, 0, n), n);
      const out = new Uint8Array(headLength + n);
      out.set(head.subarray(0, headLength));
      out.set(input, headLength);
      return out;
    }
    return this.compressBlocks(input).slice();
  }

  /** The output buffer, grown to at least `n` bytes. */
  private room(n: number): Uint8Array {
    if (this.out.length < n) this.out = new Uint8Array(Math.max(n, this.out.length * 2));
    return this.out;
  }

  private compressBlocks(input: Uint8Array): Uint8Array {
    const n = input.length;
    const out = this.room(maxCompressedLength(n));
    let op = writeVarint(out, 0, n);
    for (let start = 0; start < n; start += BLOCK_BYTES) op = this.compressBlock(input, start, Math.min(n, start + BLOCK_BYTES), out, op);
    return out.subarray(0, op);
  }

  /**
   * Whether `input` is a page longer than a block whose sample from the middle (past any definition
   * levels, among the values) shrinks too little to be worth compressing it.
   */
  private givesUp(input: Uint8Array): boolean {
    if (input.length <= BLOCK_BYTES || this.giveUpAbove >= 1) return false;
    const from = (input.length - SAMPLE_BYTES) >>> 1;
    return this.compressBlock(input, from, from + SAMPLE_BYTES, this.room(maxCompressedLength(SAMPLE_BYTES)), 0) > SAMPLE_BYTES * this.giveUpAbove;
  }

  /** One block, input[start, end), appended at out[op]; returns the new end of the output. */
  private compressBlock(input: Uint8Array, start: number, end: number, out: Uint8Array, op: number): number {
    const length = end - start;
    if (length < INPUT_MARGIN + 1) return length > 0 ? emitLiteral(input, start, end, out, op) : op;
    let bits = 8;
    while (bits < MAX_HASH_BITS && 1 << bits < length) bits++;
    const shift = 32 - bits;
    const table = this.table;
    table.fill(0, 0, 1 << bits);

    const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
    const limit = end - INPUT_MARGIN;
    let nextEmit = start;
    let ip = start + 1;
    let nextHash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
    for (;;) {
      // Find a 4-byte match, stepping faster the longer none turns up.
      let skip = 32;
      let nextIp = ip;
      let candidate: number;
      do {
        ip = nextIp;
        const hash = nextHash;
        nextIp = ip + (skip++ >> 5);
        if (nextIp > limit) return nextEmit < end ? emitLiteral(input, nextEmit, end, out, op) : op;
        nextHash = Math.imul(view.getInt32(nextIp, true), 0x1e35a7bd) >>> shift;
        candidate = start + table[hash];
        table[hash] = ip - start;
      } while (view.getInt32(ip, true) !== view.getInt32(candidate, true));

      op = emitLiteral(input, nextEmit, ip, out, op);
      // Copies, as long as the bytes after one start another match.
      do {
        let matched = 4;
        while (ip + matched + 4 <= end && view.getInt32(ip + matched, true) === view.getInt32(candidate + matched, true)) matched += 4;
        while (ip + matched < end && input[ip + matched] === input[candidate + matched]) matched++;
        op = emitCopy(out, op, ip - candidate, matched);
        ip += matched;
        nextEmit = ip;
        if (ip >= limit) return nextEmit < end ? emitLiteral(input, nextEmit, end, out, op) : op;
        table[Math.imul(view.getInt32(ip - 1, true), 0x1e35a7bd) >>> shift] = ip - 1 - start;
        const hash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
        candidate = start + table[hash];
        table[hash] = ip - start;
      } while (view.getInt32(ip, true) === view.getInt32(candidate, true));
      ip++;
      nextHash = Math.imul(view.getInt32(ip, true), 0x1e35a7bd) >>> shift;
    }
  }
}

function writeVarint(out: Uint8Array, op: number, n: number): number {
  while (n > 0x7f) {
    out[op++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  out[op++] = n;
  return op;
}

/** input[from, to) as one literal at out[op]. */
function emitLiteral(input: Uint8Array, from: number, to: number, out: Uint8Array, op: number): number {
  const length = to - from;
  op = writeLiteralTag(out, op, length);
  if (length < 16) {
    for (let k = 0; k < length; k++) out[op + k] = input[from + k];
  } else {
    out.set(input.subarray(from, to), op);
  }
  return op + length;
}

/** The tag (and length bytes) of a literal of `length` bytes at out[op]. */
function writeLiteralTag(out: Uint8Array, op: number, length: number): number {
  const n = length - 1;
  if (n < SHORT_LITERAL) {
    out[op++] = n << 2;
  } else {
    const extra = n < 1 << 8 ? 1 : n < 1 << 16 ? 2 : n < 1 << 24 ? 3 : 4;
    out[op++] = (SHORT_LITERAL - 1 + extra) << 2;
    for (let k = 0; k < extra; k++) out[op++] = (n >>> (8 * k)) & 0xff;
  }
  return op;
}

/** A copy of `length` bytes from `offset` back (offset < 65536: within a block), as snappy's EmitCopy splits it. */
function emitCopy(out: Uint8Array, op: number, offset: number, length: number): number {
  while (length >= 68) {
    op = copyTwoByteOffset(out, op, offset, 64);
    length -= 64;
  }
  if (length > 64) {
    op = copyTwoByteOffset(out, op, offset, 60);
    length -= 60;
  }
  if (length < 12 && offset < 2048) {
    out[op++] = 1 | ((length - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
    return op;
  }
  return copyTwoByteOffset(out, op, offset, length);
}

function copyTwoByteOffset(out: Uint8Array, op: number, offset: number, length: number): number {
  out[op] = 2 | ((length - 1) << 2);
  out[op + 1] = offset & 0xff;
  out[op + 2] = offset >>> 8;
  return op + 3;
}
