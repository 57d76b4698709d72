import { Utf8, makeData, type Data } from 'apache-arrow';
import { finish, mixWord } from './TupleTable.js';
import { grown } from './physical.js';

/**
 * Interns byte strings (UTF-8 values) into dense ids in order of first appearance, hashing and
 * comparing the bytes where they lie: no string is decoded. The distinct values are kept as one
 * byte buffer plus offsets, which is exactly an Arrow Utf8 column (`toUtf8`).
 */
export class BytesTable {
  size = 0;
  bytes = new Uint8Array(1024);
  /** Start of value `id` is offsets[id], end is offsets[id + 1]. */
  offsets = new Int32Array(257);
  private hashes = new Int32Array(256);
  private slots = new Int32Array(512); // id + 1; 0 = empty
  private mask = 511;

  /** The id of `source[start .. end)`, added when new. */
  intern(source: Uint8Array, start: number, end: number): number {
    const h = hashBytes(source, start, end);
    const length = end - start;
    const { bytes, offsets, slots, hashes, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (hashes[id] !== h) continue;
      const at = offsets[id];
      if (offsets[id + 1] - at !== length) continue;
      let k = 0;
      while (k < length && bytes[at + k] === source[start + k]) k++;
      if (k === length) return id;
    }
    return this.add(source, start, end, h, true);
  }

  /** Appends a value that lookups never find (the null entry of a key dictionary). */
  addHidden(): number {
    return this.add(this.bytes, 0, 0, 0, false);
  }

  /** Byte-wise order of two values, which for UTF-8 is the order of their code points. */
  compare(a: number, b: number): number {
    const { bytes, offsets } = this;
    const aStart = offsets[a];
    const bStart = offsets[b];
    const aLength = offsets[a + 1] - aStart;
    const bLength = offsets[b + 1] - bStart;
    const common = Math.min(aLength, bLength);
    for (let k = 0; k < common; k++) {
      const d = bytes[aStart + k] - bytes[bStart + k];
      if (d !== 0) return d;
    }
    return aLength - bLength;
  }

  /** Every value so far as a Utf8 column (validity is the caller's business). */
  toUtf8(): Data<Utf8> {
    const end = this.offsets[this.size];
    return makeData({ type: new Utf8(), length: this.size, nullCount: 0, valueOffsets: this.offsets.slice(0, this.size + 1), data: this.bytes.slice(0, end) });
  }

  private add(source: Uint8Array, start: number, end: number, h: number, indexed: boolean): number {
    const id = this.size++;
    const at = this.offsets[id];
    this.bytes = grown(this.bytes, at + end - start);
    this.bytes.set(source.subarray(start, end), at);
    this.offsets = grown(this.offsets, this.size + 1);
    this.offsets[id + 1] = at + end - start;
    this.hashes = grown(this.hashes, this.size);
    this.hashes[id] = h;
    if (indexed) {
      this.place(id, h);
      if (this.size * 2 > this.slots.length) this.rehash();
    }
    return id;
  }

  private place(id: number, h: number): void {
    let slot = h & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (let s = 0; s < old.length; s++) if (old[s] !== 0) this.place(old[s] - 1, this.hashes[old[s] - 1]);
  }
}

/** Murmur-style hash of a byte range, four bytes per round. */
function hashBytes(source: Uint8Array, start: number, end: number): number {
  let h = end - start;
  let i = start;
  for (; i + 4 <= end; i += 4) h = mixWord(h, source[i] | (source[i + 1] << 8) | (source[i + 2] << 16) | (source[i + 3] << 24));
  let tail = 0;
  for (let shift = 0; i < end; i++, shift += 8) tail |= source[i] << shift;
  return finish(mixWord(h, tail));
}
