import type { Data } from 'apache-arrow';

/**
 * Dictionary encoding of a column chunk's values: the distinct values (in first-seen order, for
 * the PLAIN dictionary page) and each value's index (for the RLE_DICTIONARY data pages), with an
 * open-addressing hash table over typed arrays. Gives up (null) when the dictionary page would pass
 * DICTIONARY_LIMIT bytes, as arrow-rs's default, or when early values are mostly distinct.
 */

export interface DictionaryValues {
  size: number;
  indices: Int32Array;
  /** Fixed width: `size * width` words. */
  words: Int32Array;
  /** Byte arrays: the distinct values' bytes and `size + 1` offsets. */
  bytes: Uint8Array;
  offsets: Int32Array;
}

export const DICTIONARY_LIMIT = 1 << 20;
/** After this many values, a dictionary holding nearly all of them (ids, timestamps) is given up. */
const EARLY_CHECK = 32_768;
/**
 * Fixed-width values: when at most UNIQUE_REPEATS of the first UNIQUE_CHECK repeat, the column is
 * taken as unique (ids, timestamps) and given up at once, not after EARLY_CHECK values (or the
 * first page's check in columnChunkWriter.ts): W2's partition files each hashed a page of order ids
 * and timestamps only to write them PLAIN. Among U values drawn from D, about U² / 2D repeat: 42 for
 * D = 200k (W1's customer ids go on to the later checks), 3 for W2's timestamps of one month
 * (D = 2.6M seconds), which an exact "none repeats" kept hashing.
 */
const UNIQUE_CHECK = 4_096;
const UNIQUE_REPEATS = 16;

const EMPTY: Int32Array<ArrayBuffer> = new Int32Array(0);

/**
 * The indices `add` returns, in one buffer reused by the next `add` on this thread (of any
 * dictionary): the page encoder reads them at once. A new array per page was, after the gathered
 * values, the encoder's largest allocation.
 */
let scratchIndices = new Int32Array(0);
function indicesFor(count: number): Int32Array {
  if (scratchIndices.length < count) scratchIndices = new Int32Array(Math.max(count, 2 * scratchIndices.length));
  return scratchIndices.subarray(0, count);
}

function grow(array: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= array.length) return array;
  const grown = new Int32Array(Math.max(need, array.length * 2));
  grown.set(array);
  return grown;
}

/** Dictionary of INT32/FLOAT (width 1) or INT64/DOUBLE (width 2) values, compared bit for bit. */
export function dictionaryOfWords(words: Int32Array, count: number, width: number): DictionaryValues | null {
  const dictionary = new WordsDictionary(width);
  const indices = dictionary.add(words, count);
  return indices ? { ...dictionary.values(), indices: indices.slice() } : null;
}

/**
 * A words dictionary grown batch by batch (a column chunk's pages as they fill): `add` gives the
 * indices of a run of values, or null once the dictionary gives up (then it stays given up).
 */
export class WordsDictionary {
  private readonly maxEntries: number;
  private bits = 10;
  // Allocated by the first `add`: a chunk whose trial (dictionaryTrial.ts) chooses PLAIN never
  // needs them, and a partitioned write keeps a chunk per column per open file.
  private table = EMPTY; // entry index + 1, 0 = empty
  private dict: Int32Array<ArrayBuffer> = EMPTY;
  size = 0;
  private seen = 0;
  /**
   * Set when a trial over the chunk's first pages (dictionaryTrial.ts) found at most half its values
   * distinct: the early give-ups, here and the chunk writer's first-page one, judge the first 4,096
   * to 32,768 values alone and would undo that. The size limit stays.
   */
  judged = false;

  constructor(private readonly width: number) {
    this.maxEntries = DICTIONARY_LIMIT / (4 * width);
  }

  /** The run's indices (valid until the next `add`: see indicesFor), or null once the dictionary gives up. */
  add(words: Int32Array, count: number): Int32Array | null {
    if (this.table.length === 0) {
      this.table = new Int32Array(1 << this.bits);
      this.dict = new Int32Array(1024 * this.width);
    }
    const indices = indicesFor(count);
    return (this.width === 1 ? this.add1(words, count, indices) : this.add2(words, count, indices)) ? indices : null;
  }

  // One loop per width (a width test per value kept V8 from tightening the loop: ~25% slower on
  // dictionaries that stay in cache). State is written back only when the run is added whole:
  // a dictionary that gives up stays as its last pages knew it.

  private add1(words: Int32Array, count: number, indices: Int32Array): boolean {
    let { bits, table, dict, size } = this;
    let mask = (1 << bits) - 1;
    const maxEntries = this.maxEntries;
    const uniqueAt = this.judged ? -1 : UNIQUE_CHECK - 1 - this.seen;
    const earlyAt = this.judged ? -1 : EARLY_CHECK - this.seen;
    for (let i = 0; i < count; i++) {
      const w0 = words[i];
      let slot = Math.imul(w0, 0x9e3779b1) >>> (32 - bits);
      for (;;) {
        const e = table[slot];
        if (e === 0) {
          if (size >= maxEntries) return false;
          if (size === dict.length) dict = grow(dict, size + 1);
          dict[size] = w0;
          table[slot] = ++size;
          indices[i] = size - 1;
          if (size * 2 > table.length) {
            table = rehash(dict, size, 1, ++bits);
            mask = (1 << bits) - 1;
          }
          break;
        }
        if (dict[e - 1] === w0) {
          indices[i] = e - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (i === uniqueAt && size >= UNIQUE_CHECK - UNIQUE_REPEATS) return false;
      if (i === earlyAt && size > EARLY_CHECK * 0.9) return false;
    }
    this.seen += count;
    Object.assign(this, { bits, table, dict, size });
    return true;
  }

  private add2(words: Int32Array, count: number, indices: Int32Array): boolean {
    let { bits, table, dict, size } = this;
    let mask = (1 << bits) - 1;
    const maxEntries = this.maxEntries;
    const uniqueAt = this.judged ? -1 : UNIQUE_CHECK - 1 - this.seen;
    const earlyAt = this.judged ? -1 : EARLY_CHECK - this.seen;
    for (let i = 0; i < count; i++) {
      const w0 = words[2 * i];
      const w1 = words[2 * i + 1];
      let slot = Math.imul(w0 ^ Math.imul(w1, 0x27d4eb2d), 0x9e3779b1) >>> (32 - bits);
      for (;;) {
        const e = table[slot];
        if (e === 0) {
          if (size >= maxEntries) return false;
          if (2 * size === dict.length) dict = grow(dict, 2 * size + 2);
          dict[2 * size] = w0;
          dict[2 * size + 1] = w1;
          table[slot] = ++size;
          indices[i] = size - 1;
          if (size * 2 > table.length) {
            table = rehash(dict, size, 2, ++bits);
            mask = (1 << bits) - 1;
          }
          break;
        }
        const d = 2 * (e - 1);
        if (dict[d] === w0 && dict[d + 1] === w1) {
          indices[i] = e - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (i === uniqueAt && size >= UNIQUE_CHECK - UNIQUE_REPEATS) return false;
      if (i === earlyAt && size > EARLY_CHECK * 0.9) return false;
    }
    this.seen += count;
    Object.assign(this, { bits, table, dict, size });
    return true;
  }

  values(): Omit<DictionaryValues, 'indices'> {
    return { size: this.size, words: this.dict.subarray(0, this.size * this.width), bytes: new Uint8Array(0), offsets: EMPTY };
  }
}

/** A table of `1 << bits` slots for the first `size` entries of `dict` (same hash as WordsDictionary.add). */
function rehash(dict: Int32Array, size: number, width: number, bits: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(1 << bits);
  const mask = (1 << bits) - 1;
  for (let d = 0; d < size; d++) {
    const a = dict[d * width];
    const b = width === 2 ? dict[d * width + 1] : 0;
    let s = Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x9e3779b1) >>> (32 - bits);
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = d + 1;
  }
  return table;
}

/** FNV-1a over a value's bytes, then a multiply to spread it over the high bits used as slot. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let b = from; b < to; b++) h = Math.imul(h ^ bytes[b], 0x01000193);
  return Math.imul(h ^ (h >>> 16), 0x9e3779b1);
}

/** Dictionary of BYTE_ARRAY values. */
export function dictionaryOfBytes(bytes: Uint8Array, offsets: Int32Array, count: number): DictionaryValues | null {
  const dictionary = new BytesDictionary();
  const indices = dictionary.add(bytes, offsets, count);
  return indices ? { ...dictionary.values(), indices: indices.slice() } : null;
}

/** A BYTE_ARRAY dictionary grown batch by batch, as WordsDictionary. */
export class BytesDictionary {
  private bits = 10;
  private table = new Int32Array(1 << 10);
  private hashes: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private dictOffsets: Int32Array<ArrayBuffer> = new Int32Array(1025);
  private dictBytes = new Uint8Array(16_384);
  size = 0;
  private plainBytes = 0;
  private seen = 0;

  add(bytes: Uint8Array, offsets: Int32Array, count: number): Int32Array | null {
    let { bits, table, hashes, dictOffsets, dictBytes, size, plainBytes } = this;
    const indices = indicesFor(count);
    for (let i = 0; i < count; i++) {
      const s = offsets[i];
      const e = offsets[i + 1];
      const len = e - s;
      const h = hashBytes(bytes, s, e);
      let slot = h >>> (32 - bits);
      const mask = (1 << bits) - 1;
      for (;;) {
        const entry = table[slot];
        if (entry === 0) {
          plainBytes += 4 + len;
          if (plainBytes > DICTIONARY_LIMIT) return null;
          hashes = grow(hashes, size + 1);
          dictOffsets = grow(dictOffsets, size + 2);
          const at = dictOffsets[size];
          if (at + len > dictBytes.length) {
            const grown = new Uint8Array(Math.max(at + len, dictBytes.length * 2));
            grown.set(dictBytes.subarray(0, at));
            dictBytes = grown;
          }
          for (let b = 0; b < len; b++) dictBytes[at + b] = bytes[s + b];
          dictOffsets[size + 1] = at + len;
          hashes[size] = h;
          table[slot] = ++size;
          indices[i] = size - 1;
          if (size * 2 > table.length) {
            bits++;
            table = new Int32Array(1 << bits);
            for (let d = 0; d < size; d++) {
              let t = hashes[d] >>> (32 - bits);
              while (table[t] !== 0) t = (t + 1) & ((1 << bits) - 1);
              table[t] = d + 1;
            }
          }
          break;
        }
        const d = entry - 1;
        if (hashes[d] === h && dictOffsets[d + 1] - dictOffsets[d] === len) {
          let same = true;
          const at = dictOffsets[d];
          for (let b = 0; b < len; b++) {
            if (dictBytes[at + b] !== bytes[s + b]) {
              same = false;
              break;
            }
          }
          if (same) {
            indices[i] = d;
            break;
          }
        }
        slot = (slot + 1) & mask;
      }
      if (this.seen + i === EARLY_CHECK && size > EARLY_CHECK * 0.9) return null;
    }
    this.seen += count;
    Object.assign(this, { bits, table, hashes, dictOffsets, dictBytes, size, plainBytes });
    return indices;
  }

  values(): Omit<DictionaryValues, 'indices'> {
    return { size: this.size, words: EMPTY, bytes: this.dictBytes.subarray(0, this.dictOffsets[this.size]), offsets: this.dictOffsets.subarray(0, this.size + 1) };
  }
}

/**
 * Where each entry of a piece's own Arrow dictionary (a CSV batch's) sits in the chunk's
 * dictionary: -1 until a row uses it. Kept while the pieces come from the same batch, which spans
 * several pages.
 */
export class PieceEntryMap {
  private entries: Data | undefined;
  private map = new Int32Array(0);

  of(entries: Data): Int32Array {
    if (entries !== this.entries) {
      this.entries = entries;
      this.map = new Int32Array(entries.length).fill(-1);
    }
    return this.map;
  }
}

/**
 * The chunk dictionary's indices of the non-null rows of Arrow Dictionary<Utf8|Binary> pieces: an
 * entry a piece's rows use is added to the chunk's dictionary when first seen (so the dictionary,
 * and the statistics taken from it, are what hashing every row would give), hashing each entry
 * once per batch instead of every row; each row then costs a lookup in `maps`. Null when the chunk
 * dictionary gives up (as `add`): entries of this page may have been added by then, which the
 * caller's snapshot of the dictionary from before the page leaves out.
 */
export function dictionaryPieceIndices(dictionary: BytesDictionary, pieces: Data[], count: number, maps: PieceEntryMap): Int32Array | null {
  const out = new Int32Array(count);
  let k = 0;
  for (const data of pieces) {
    const entries = data.dictionary!.data[0] as Data;
    const map = maps.of(entries);
    const offsets = entries.valueOffsets as Int32Array;
    const values = entries.values as Uint8Array;
    const local = data.values as Int32Array;
    const bitmap = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
    const offset = data.offset;
    const n = data.length;
    for (let i = 0; i < n; i++) {
      if (bitmap !== null) {
        const j = offset + i;
        if ((bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      }
      const entry = local[i];
      let index = map[entry];
      if (index < 0) {
        const added = dictionary.add(values, offsets.subarray(entry, entry + 2), 1);
        if (!added) return null;
        index = map[entry] = added[0];
      }
      out[k++] = index;
    }
  }
  return out;
}
