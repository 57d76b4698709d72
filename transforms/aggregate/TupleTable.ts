import { grown } from './physical.js';

/**
 * Interns tuples of `width` int32 words into dense ids 0, 1, 2… in order of first appearance:
 * composite group keys (one code per key column), numbers and 64/128-bit values (their words),
 * and countDistinct's (group, value) pairs. Open addressing over typed arrays: no JS object per
 * entry, and the tuples themselves are one Int32Array that can be sent as is. Each slot holds
 * (hash, id + 1) side by side, so a probe touches one cache line; for one-word tuples the hash
 * is a bijection of the word, so equal hashes are equal keys.
 */
export class TupleTable {
  size = 0;
  /** The tuples by id, `width` words each (capacity may exceed `size * width`). */
  tuples: Int32Array;
  private slots: Int32Array; // pairs (hash, id + 1); id + 1 = 0 marks an empty slot
  private mask: number;
  private readonly scratch = new Int32Array(2);

  constructor(readonly width: number, capacity = 256) {
    const slotCount = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.slots = new Int32Array(slotCount * 2);
    this.mask = slotCount - 1;
    this.tuples = new Int32Array(capacity * width);
  }

  /** The id of the tuple at `source[at .. at + width)`, added when new. */
  intern(source: Int32Array, at: number): number {
    const width = this.width;
    let h = SEED;
    for (let k = 0; k < width; k++) h = mixWord(h, source[at + k]);
    h = finish(h);
    const { tuples, slots, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1];
      if (entry === 0) break;
      if (slots[2 * slot] !== h) continue;
      const base = (entry - 1) * width;
      let k = 0;
      while (k < width && tuples[base + k] === source[at + k]) k++;
      if (k === width) return entry - 1;
    }
    return this.add(source, at, h, true);
  }

  /** The id of the one-word tuple (a): int32 keys, without a scratch array. */
  intern1(a: number): number {
    const h = finish(mixWord(SEED, a));
    const { slots, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1];
      if (entry === 0) break;
      if (slots[2 * slot] === h) return entry - 1; // the hash of one word is one to one
    }
    this.scratch[0] = a;
    return this.add(this.scratch, 0, h, true);
  }

  /** The id of the pair (a, b): the common two-word case without a scratch array. */
  intern2(a: number, b: number): number {
    const h = finish(mixWord(mixWord(SEED, a), b));
    const { tuples, slots, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1];
      if (entry === 0) break;
      if (slots[2 * slot] === h && tuples[2 * entry - 2] === a && tuples[2 * entry - 1] === b) return entry - 1;
    }
    this.scratch[0] = a;
    this.scratch[1] = b;
    return this.add(this.scratch, 0, h, true);
  }

  /** Appends a tuple that lookups never find (the null entry of a key dictionary). */
  addHidden(source: Int32Array, at: number): number {
    return this.add(source, at, 0, false);
  }

  private add(source: Int32Array, at: number, h: number, indexed: boolean): number {
    const id = this.size++;
    const width = this.width;
    if (this.tuples.length < this.size * width) this.tuples = grown(this.tuples, this.size * width);
    for (let k = 0; k < width; k++) this.tuples[id * width + k] = source[at + k];
    if (indexed) {
      this.place(this.slots, this.mask, h, id + 1);
      this.indexed++;
      if (this.indexed * 4 > this.slots.length) this.rehash();
    }
    return id;
  }

  private indexed = 0;

  private place(slots: Int32Array, mask: number, h: number, entry: number): void {
    let slot = h & mask;
    while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = entry;
  }

  /** Doubles the slots once half are used. */
  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.slots.length / 2 - 1;
    for (let s = 1; s < old.length; s += 2) if (old[s] !== 0) this.place(this.slots, this.mask, old[s - 1], old[s]);
  }
}

const SEED = 0x9747b28c | 0;

/** One round of MurmurHash3's 32-bit mixing (one to one in `word` for a given `h`). */
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
