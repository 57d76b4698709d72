/** A growable byte buffer: encoders append to it and hand out the written bytes. */
export class ByteSink {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = b;
  }

  append(src: Uint8Array): void {
    this.reserve(src.length);
    this.bytes.set(src, this.length);
    this.length += src.length;
  }

  /** Unsigned LEB128; exact for integers up to 2^53. */
  varint(n: number): void {
    this.reserve(10);
    const bytes = this.bytes;
    let at = this.length;
    // Every operation runs for a one-byte value too (the continuation bit is a choice of
    // constants): code first run once V8 has compiled the caller deoptimises it, and a page's
    // first long run (a header past one byte) did so in the encoder 22 times a W2 run.
    for (;;) {
      const low = n % 128;
      n = (n - low) / 128;
      bytes[at++] = low + (n === 0 ? 0 : 0x80);
      if (n === 0) break;
    }
    this.length = at;
  }

  uint32le(n: number): void {
    this.reserve(4);
    const b = this.bytes;
    const at = this.length;
    b[at] = n & 0xff;
    b[at + 1] = (n >>> 8) & 0xff;
    b[at + 2] = (n >>> 16) & 0xff;
    b[at + 3] = (n >>> 24) & 0xff;
    this.length += 4;
  }

  /** A view of what was written (shares memory: copy it if the sink is written again). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}
