import { Dictionary, Int32, Utf8, makeData, makeVector, type Data } from 'apache-arrow';
import { FIELD_ESCAPED, FIELD_QUOTED, type CsvScanner } from './CsvScanner.js';
import { BuilderBase, fitted, grownTo, scratchBytes, unescapeToScratch, type ColumnBuilder } from './ColumnBuilder.js';

/** The last-seen cache has 2^(32 - RECENT_SHIFT) = 4,096 slots. */
const RECENT_SHIFT = 20;

/**
 * A string column with few distinct values (status, country), read as Arrow Dictionary<Utf8,
 * Int32>: each field is hashed where it lies in the input and only its index is stored; a value's
 * bytes are copied once per batch. Filters and group-by keys then work on the small dictionary,
 * and the Parquet encoder takes the indices as they are. Each batch has its own dictionary (the
 * values it holds, in first-seen order), so a column whose values turn out to be many costs no
 * more than a plain string column. Nulls and empty strings as Utf8Builder: an unquoted empty field
 * is null, a quoted one ("") the empty string.
 */
export class DictionaryUtf8Builder extends BuilderBase implements ColumnBuilder {
  readonly label = 'utf8';
  private indices: Int32Array;
  // Open addressing over the batch's distinct values: slot → entry + 1 (0 = empty).
  private bits = 8;
  private table = new Int32Array(1 << 8);
  private hashes = new Int32Array(64);
  private entryOffsets = new Int32Array(65);
  private entryBytes = new Uint8Array(1024);
  private size = 0;
  /** A small cache: (length, first, middle and last byte) → the entry last seen with them, + 1. */
  private recent = new Int32Array(1 << (32 - RECENT_SHIFT));

  constructor(readonly type: Dictionary<Utf8, Int32>, capacity: number) {
    super(capacity);
    this.indices = new Int32Array(this.rows);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, _failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const indices = this.indices;
    const validity = this.validity;
    const recent = this.recent;
    let offsets = this.entryOffsets;
    let entryBytes = this.entryBytes;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const k = recordFieldBase[rows[i]] + column;
      let s = fieldStart[k];
      let e = fieldEnd[k];
      const flags = fieldFlags[k];
      if (s === e && (flags & FIELD_QUOTED) === 0) {
        this.nullCount++;
        continue;
      }
      let bytes = scanner.buf;
      if ((flags & FIELD_ESCAPED) !== 0) {
        e = unescapeToScratch(scanner, k);
        s = 0;
        bytes = scratchBytes();
      }
      // Most fields repeat a value seen a moment ago: try the entry last seen with the same
      // length and end bytes before hashing.
      const len = e - s;
      let quick = 0;
      if (len > 0) {
        // Mixed twice and the top bits kept: a few dozen values rarely share a slot (the low bits
        // of the bytes alone made AT/IT, BR/FR… of a country column evict each other: 17% misses).
        quick = Math.imul(len ^ (bytes[s] << 8) ^ (bytes[e - 1] << 16) ^ (bytes[s + (len >> 1)] << 24), 0x9e3779b1);
        quick = Math.imul(quick ^ (quick >>> 15), 0x85ebca6b) >>> RECENT_SHIFT;
      }
      const guess = recent[quick] - 1;
      let hit = false;
      if (guess >= 0) {
        // The entry's bytes against the field's, inline (entries only move when one is added).
        const from = offsets[guess];
        if (offsets[guess + 1] - from === len) {
          let b = 0;
          while (b < len && entryBytes[from + b] === bytes[s + b]) b++;
          hit = b === len;
        }
      }
      if (hit) {
        indices[at] = guess;
      } else {
        const entry = this.entryOf(bytes, s, e);
        recent[quick] = entry + 1;
        indices[at] = entry;
        offsets = this.entryOffsets;
        entryBytes = this.entryBytes;
      }
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return 0;
  }

  /** Whether entry `d` is the value bytes[s..e). */
  private holds(d: number, bytes: Uint8Array, s: number, e: number): boolean {
    const offsets = this.entryOffsets;
    const at = offsets[d];
    if (offsets[d + 1] - at !== e - s) return false;
    const entryBytes = this.entryBytes;
    for (let b = 0; b < e - s; b++) if (entryBytes[at + b] !== bytes[s + b]) return false;
    return true;
  }

  /** The dictionary index of the value bytes[s..e), added when new. */
  private entryOf(bytes: Uint8Array, s: number, e: number): number {
    let h = 0x811c9dc5;
    for (let b = s; b < e; b++) h = Math.imul(h ^ bytes[b], 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x9e3779b1);
    const mask = (1 << this.bits) - 1;
    const { table, hashes } = this;
    for (let slot = h >>> (32 - this.bits); ; slot = (slot + 1) & mask) {
      const entry = table[slot];
      if (entry === 0) return this.addEntry(slot, h, bytes, s, e);
      if (hashes[entry - 1] === h && this.holds(entry - 1, bytes, s, e)) return entry - 1;
    }
  }

  private addEntry(slot: number, h: number, bytes: Uint8Array, s: number, e: number): number {
    const d = this.size++;
    if (this.size >= this.hashes.length) {
      this.hashes = grownTo(this.hashes, this.hashes.length * 2);
      this.entryOffsets = grownTo(this.entryOffsets, this.hashes.length + 1);
    }
    const at = this.entryOffsets[d];
    if (at + (e - s) > this.entryBytes.length) this.entryBytes = grownTo(this.entryBytes, Math.max(at + (e - s), this.entryBytes.length * 2));
    this.entryBytes.set(bytes.subarray(s, e), at);
    this.entryOffsets[d + 1] = at + (e - s);
    this.hashes[d] = h;
    this.table[slot] = d + 1;
    if (this.size * 2 > this.table.length) this.rehash();
    return d;
  }

  private rehash(): void {
    this.bits++;
    const table = new Int32Array(1 << this.bits);
    const mask = table.length - 1;
    for (let d = 0; d < this.size; d++) {
      let slot = this.hashes[d] >>> (32 - this.bits);
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = d + 1;
    }
    this.table = table;
  }

  protected growValues(rows: number): void {
    this.indices = grownTo(this.indices, rows);
  }

  finish(): Data {
    const length = this.length;
    const dictionary = makeData({
      type: new Utf8(),
      length: this.size,
      valueOffsets: this.entryOffsets.slice(0, this.size + 1),
      data: this.entryBytes.slice(0, this.entryOffsets[this.size]),
    });
    const data = makeData({
      type: this.type,
      ...this.takeValidity(),
      data: fitted(this.indices, length),
      dictionary: makeVector(dictionary),
    });
    this.indices = new Int32Array(this.rows);
    // The next batch starts its own dictionary (see the class comment).
    this.table.fill(0);
    this.recent.fill(0);
    this.size = 0;
    return data;
  }
}
