import { Transform, type TransformCallback } from 'node:stream';
import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import bzip2 from 'unbzip2-stream/lib/bzip2.js';

type BitReader = ReturnType<typeof bitIterator>;

/** A compressed block is at most this much bigger than 100k × its level; a block is decoded only once it is all here. */
const BLOCK_SLACK = 25_000;

/**
 * A streaming bzip2 decoder (multi-stream files too) on unbzip2-stream's block decoder. Its own
 * stream wrapper gathers each block's bytes in a JS array, one `push` per byte; writing them into
 * one reused typed array instead decodes 2.2 times faster (18.8 MB: 2.9 s instead of 6.4 s).
 */
export class Bzip2Decoder extends Transform {
  private readonly queue: Uint8Array[] = [];
  private buffered = 0;
  private bits: BitReader | undefined;
  private level = 0;
  private streamCRC = 0;
  private work: Int32Array | undefined;
  private out: Uint8Array | undefined;

  constructor(highWaterMark?: number) {
    super({ readableHighWaterMark: highWaterMark });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.queue.push(chunk);
    this.buffered += chunk.length;
    this.bits ??= bitIterator(() => this.queue.shift());
    try {
      while (this.buffered - this.bits.bytesRead + 1 >= BLOCK_SLACK + 100_000 * this.level) this.step();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      while (this.bits && this.buffered > this.bits.bytesRead) this.step();
      if (this.level !== 0) throw new Error('the bzip2 stream ends in the middle of a block');
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Reads a stream header, or decodes one block and pushes its bytes. */
  private step(): void {
    const bits = this.bits!;
    if (this.level === 0) {
      this.level = bzip2.header(bits);
      this.streamCRC = 0;
      const size = 100_000 * this.level;
      if (!this.work || this.work.length < size) this.work = new Int32Array(size);
      return;
    }
    const size = 100_000 * this.level;
    let out = this.out ?? new Uint8Array(size);
    let at = 0;
    const sink = (byte: number) => {
      // Runs of one byte are stored shortened, so a block can decode to more than level × 100k bytes: grow then.
      if (at === out.length) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[at++] = byte;
    };
    const crc = bzip2.decompress(bits, sink, this.work!, size, this.streamCRC);
    this.out = out;
    if (crc === null) {
      this.level = 0; // end of this stream; another may follow (pbzip2 writes several)
      return;
    }
    this.streamCRC = crc;
    if (at > 0) this.push(out.slice(0, at));
  }
}
