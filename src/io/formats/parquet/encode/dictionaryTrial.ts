import type { ColumnValues } from './gather.js';

/**
 * Whether a column chunk of fixed-width values (INT32, FLOAT, INT64, DOUBLE) is worth a dictionary,
 * judged on its first pages instead of its first page alone, and without hashing them into one. Prices drawn from 50,000 cents are 82% distinct
 * over a page, so a first-page check keeps their dictionary, and a month's partition file of W2
 * (67k values) ends up 55% distinct: hashing every value to save a few percent of bytes. Customer
 * ids (200k) were hashed for a page per file only to be given up. So the pages are held, gathered,
 * while a sample counts their distinct values, until the answer is clear:
 *   - at most half distinct: a dictionary (the held pages are then encoded through it);
 *   - nearly all distinct (ids, timestamps): PLAIN;
 *   - otherwise at HOLD_VALUES values, at the chunk's end, or when this thread holds more than
 *     HELD_BUDGET bytes of such pages: a dictionary only if at most half are distinct.
 */

/** Values after which a chunk is judged on its share of distinct values (as the first-page check was). */
const JUDGE_FROM = 16_384;
/** Values held at most per chunk: 2 MiB of doubles, 1 MiB of 4-byte values. */
const HOLD_VALUES = 1 << 18;
/** Bytes of held values on this thread (all files and columns) past which every trial decides. */
export const HELD_BUDGET = 32 << 20;
/** A dictionary is kept when at most this share of values is distinct. */
const DICTIONARY_SHARE = 0.5;
/** Above this share of distinct values a chunk is taken as unique and written PLAIN at once. */
const UNIQUE_SHARE = 0.95;

let heldBytes = 0;

/** Bytes the trials of this thread hold now (for tests of the budget). */
export const trialHeldBytes = (): number => heldBytes;

export class DictionaryTrial {
  readonly held: ColumnValues[] = [];
  private seen = 0;
  private bytes = 0;
  private readonly sample: DistinctSample;

  /** `width`: 32-bit words per value (1 or 2). */
  constructor(width: number) {
    this.sample = new DistinctSample(width);
  }

  /** Holds a page's values (its words copied: gather reuses its buffer). */
  hold(values: ColumnValues): void {
    values.words = values.words.slice();
    this.held.push(values);
    this.sample.add(values.words, values.count);
    this.seen += values.count;
    this.bytes += values.words.byteLength;
    heldBytes += values.words.byteLength;
  }

  /** True: use the dictionary; false: PLAIN; undefined: hold on. `end`: the chunk has no more values. */
  decide(end: boolean): boolean | undefined {
    const distinct = this.sample.estimate();
    const pays = distinct <= DICTIONARY_SHARE * this.seen;
    if (this.seen >= JUDGE_FROM && (pays || distinct > UNIQUE_SHARE * this.seen)) return pays;
    if (end || this.seen >= HOLD_VALUES || heldBytes > HELD_BUDGET) return pays;
    return undefined;
  }

  /** The held pages, in order; the trial holds nothing after. */
  release(): ColumnValues[] {
    heldBytes -= this.bytes;
    this.bytes = 0;
    return this.held.splice(0);
  }
}

/** Sampled hashes kept at most before the sample halves. */
const SAMPLE_SIZE = 4_096;

/**
 * Distinct count of fixed-width values by adaptive sampling (Wegman; Flajolet 1990): every hash is
 * kept while fewer than SAMPLE_SIZE are, then only hashes whose top `level` bits are zero, so
 * the count is exact on small chunks and within a few percent after, in 32 KiB of table.
 */
class DistinctSample {
  private level = 0;
  private size = 0;
  private table = new Int32Array(4 * SAMPLE_SIZE); // hash, 0 = empty (a zero hash counts as 1)

  constructor(private readonly width: number) {}

  add(words: Int32Array, count: number): void {
    let level = this.level;
    const wide = this.width === 2;
    for (let i = 0; i < count; i++) {
      const h = (wide ? Math.imul(words[2 * i] ^ Math.imul(words[2 * i + 1], 0x27d4eb2d), 0x9e3779b1) : Math.imul(words[i], 0x9e3779b1)) | 0;
      if (level > 0 && h >>> (32 - level) !== 0) continue;
      if (this.insert(h === 0 ? 1 : h) && this.size > SAMPLE_SIZE) {
        this.halve();
        level = this.level;
      }
    }
  }

  estimate(): number {
    return this.size * 2 ** this.level;
  }

  private insert(h: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    let slot = Math.imul(h, 0x85ebca6b) >>> 18;
    for (;;) {
      const e = table[slot & mask];
      if (e === 0) {
        table[slot & mask] = h;
        this.size++;
        return true;
      }
      if (e === h) return false;
      slot++;
    }
  }

  /** Keeps the hashes of the next level (one more top bit zero): about half of them. */
  private halve(): void {
    const level = ++this.level;
    const table = this.table;
    const kept = new Int32Array(this.size);
    let n = 0;
    for (let s = 0; s < table.length; s++) {
      const h = table[s];
      if (h !== 0 && h >>> (32 - level) === 0) kept[n++] = h;
    }
    table.fill(0);
    this.size = 0;
    for (let k = 0; k < n; k++) this.insert(kept[k]);
  }
}
