import { grown } from './physical.js';

/**
 * Interns tuples of `width` int32 words into dense ids 0, 1, 2… in order of first appearance:
 * composite group keys (one code per key column), 64/128-bit values (their words), and
 * countDistinct's (group, value) pairs. Open addressing over typed arrays: no JS object per
 * entry, and the tuples themselves are one Int32Array that can be sent as is.
 */
export class TupleTable {
  size = 0;
  /** The tuples by id, `width` words each (capacity may exceed `size * width`). */
  tuples: Int32Array;
  private hashes: Int32Array;
  private slots: Int32Array; // id + 1; 0 = empty
  private mask: number;

  constructor(readonly width: number, capacity = 256) {
    const slotCount = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.slots = new Int32Array(slotCount);
    this.mask = slotCount - 1;
    this.tuples = new Int32Array(capacity * width);
    this.hashes = new Int32Array(capacity);
  }

  /** The id of the tuple at `source[at .. at + width)`, added when new. */
  intern(source: Int32Array, at: number): number {
    const width = this.width;
    let h = 0x9747b28c;
    for (let k = 0; k < width; k++) h = mixWord(h, source[at + k]);
    h = finish(h);
    const tuples = this.tuples;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] !== h) continue;
      let same = true;
      for (let k = 0, base = id * width; k < width; k++) {
        if (tuples[base + k] !== source[at + k]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
    return this.add(source, at, h, true);
  }

  /** The id of the pair (a, b): the common two-word case without a scratch array. */
  intern2(a: number, b: number): number {
    const h = finish(mixWord(mixWord(0x9747b28c, a), b));
    const tuples = this.tuples;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === h && tuples[2 * id] === a && tuples[2 * id + 1] === b) return id;
    }
    this.scratch[0] = a;
    this.scratch[1] = b;
    return this.add(this.scratch, 0, h, true);
  }

  /** Appends a tuple that lookups never find (the null entry of a key dictionary). */
  addHidden(source: Int32Array, at: number): number {
    return this.add(source, at, 0, false);
  }

  private scratch = new Int32Array(2);

  private add(source: Int32Array, at: number, h: number, indexed: boolean): number {
    const id = this.size++;
    this.tuples = grown(this.tuples, this.size * this.width);
    this.hashes = grown(this.hashes, this.size);
    for (let k = 0; k < this.width; k++) this.tuples[id * this.width + k] = source[at + k];
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

/** One round of MurmurHash3's 32-bit mixing. */
export function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the low bits used for slots. */
export function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
