import type { ColumnValues } from './gather.js';

/**
 * Whether a column chunk of fixed-width values (INT32, FLOAT, INT64, DOUBLE) is worth a dictionary,
 * judged on its first pages instead of its first page alone, and without hashing them into one.
 * Prices drawn from 50,000 cents are 82% distinct over a page, so a first-page check kept their
 * dictionary, and a month's partition file of W2 (67k values) ends up 55% distinct: every value
 * hashed to save a few percent of bytes. Customer ids (200k) were hashed for a page per file only
 * to be given up. So the pages are held, gathered, while a counter estimates how many of their
 * values are distinct, until the answer is clear:
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
  private readonly held: ColumnValues[] = [];
  private seen = 0;
  private bytes = 0;
  private readonly counter: DistinctCounter;

  /** `width`: 32-bit words per value (1 or 2). */
  constructor(width: number) {
    this.counter = new DistinctCounter(width);
  }

  /** Counts a page's values, then decides as `decide` does (the page not held yet). */
  count(values: ColumnValues): boolean | undefined {
    this.counter.add(values.words, values.count);
    this.seen += values.count;
    return this.decide(false);
  }

  /** Holds a counted page's values while undecided (its words copied: gather reuses its buffer). */
  hold(values: ColumnValues): void {
    values.words = values.words.slice();
    this.held.push(values);
    this.bytes += values.words.byteLength;
    heldBytes += values.words.byteLength;
  }

  /** True: use the dictionary; false: PLAIN; undefined: hold on. `end`: the chunk has no more values. */
  decide(end: boolean): boolean | undefined {
    const distinct = this.counter.estimate();
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

/**
 * A value's bit: the top 16 bits of a hash mixed twice (murmur3's finaliser, halved). One multiply
 * left regular inputs (whole-number doubles, whose low word is 0) regular, and counted them wrong.
 */
function mix(x: number): number {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 16;
}

/** Bits of the distinct counter: 8 KiB, at most 4 values per bit over HOLD_VALUES. */
const COUNTER_BITS = 1 << 16;

/**
 * Sets the counter's bits of `count` values; returns how many were clear. Each loop is alone in its
 * function, returning a number: V8 compiles a long loop on its first call (on-stack replacement)
 * without type feedback for the code after it, and deoptimises there (11 times a run, then
 * compiles again, when this loop ended in a method that stored `this.set`).
 */
function setWordBits(bits: Int32Array, words: Int32Array, count: number): number {
  let set = 0;
  for (let i = 0; i < count; i++) {
    const h = mix(words[i]);
    const old = bits[h >>> 5];
    bits[h >>> 5] = old | (1 << (h & 31));
    set += ((old >>> (h & 31)) & 1) ^ 1;
  }
  return set;
}

/** As setWordBits, for two-word values (int64, double). */
function setPairBits(bits: Int32Array, words: Int32Array, count: number): number {
  let set = 0;
  for (let i = 0; i < count; i++) {
    const h = mix(words[2 * i] ^ Math.imul(words[2 * i + 1], 0x27d4eb2d));
    const old = bits[h >>> 5];
    bits[h >>> 5] = old | (1 << (h & 31));
    set += ((old >>> (h & 31)) & 1) ^ 1;
  }
  return set;
}

/**
 * Distinct count of fixed-width values by linear counting (Whang, Vander-Zanden and Taylor,
 * 1990): each value's hash sets one of COUNTER_BITS bits, and n distinct values leave about
 * m·e^(−n/m) of the m bits clear, so n ≈ −m·ln(clear / m). Within 1% up to HOLD_VALUES distinct
 * values, nearly exact on small chunks, and one bit test per value (an adaptive sample of
 * hashes cost ~10 ns a value in its halvings).
 */
class DistinctCounter {
  private readonly bits = new Int32Array(COUNTER_BITS >> 5);
  private set = 0;

  constructor(private readonly width: number) {}

  /**
   * Branch-free (a ternary compiles to a branch): whether a bit is new is a coin flip on data ~60%
   * distinct, as W2's prices: 6.9 → 2.9 ns a double (micro-benchmark, 62k values).
   */
  add(words: Int32Array, count: number): void {
    this.set += this.width === 2 ? setPairBits(this.bits, words, count) : setWordBits(this.bits, words, count);
  }

  estimate(): number {
    const clear = COUNTER_BITS - this.set;
    return clear === 0 ? Infinity : -COUNTER_BITS * Math.log(clear / COUNTER_BITS);
  }
}
