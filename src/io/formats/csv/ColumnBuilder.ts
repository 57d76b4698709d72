import type { Data, DataType } from 'apache-arrow';
import { FIELD_ESCAPED, type CsvScanner } from './CsvScanner.js';

/**
 * Builds one Arrow column of a batch from CSV fields, one column at a time over a window of
 * records (a typed-array loop per column keeps the parse monomorphic and the branches predictable).
 */
export interface ColumnBuilder {
  readonly type: DataType;
  /** The type's name in error messages ('int32', 'float64', …). */
  readonly label: string;
  readonly length: number;
  /**
   * Appends field `column` of the scanner's records `rows[0..count)`. A cell that is not a valid
   * value becomes null and its record index goes to `failed`; returns how many failed.
   */
  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number;
  /** Drops the rows from `length` on (to redo a window without its malformed rows). */
  truncate(length: number): void;
  /** The column so far as Arrow Data; the builder starts the next batch empty. */
  finish(): Data;
}

/** Validity bits and row count shared by all builders; `capacity` rows per batch. */
export abstract class BuilderBase {
  length = 0;
  nullCount = 0;
  protected validity: Uint8Array;

  constructor(protected readonly capacity: number) {
    this.validity = new Uint8Array((capacity + 7) >> 3);
  }

  truncate(length: number): void {
    const bits = this.validity;
    for (let i = length; i < this.length; i++) {
      if ((bits[i >> 3] & (1 << (i & 7))) === 0) this.nullCount--;
      else bits[i >> 3] &= ~(1 << (i & 7));
    }
    this.length = length;
    this.truncateValues(length);
  }

  protected truncateValues(_length: number): void {}

  /** Hands over the validity bitmap (none when there are no nulls) and resets the row count. */
  protected takeValidity(): { length: number; nullCount: number; nullBitmap: Uint8Array | undefined } {
    const taken = {
      length: this.length,
      nullCount: this.nullCount,
      nullBitmap: this.nullCount > 0 ? fitted(this.validity, (this.length + 7) >> 3) : undefined,
    };
    this.validity = new Uint8Array((this.capacity + 7) >> 3);
    this.length = 0;
    this.nullCount = 0;
    return taken;
  }
}

/** The first `length` items, without a copy when that is the whole array. */
export function fitted<A extends Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array>(
  values: A,
  length: number,
): A {
  return (length === values.length ? values : values.slice(0, length)) as A;
}

/** Scratch space for fields with escapes, which are unescaped before parsing. */
let scratch = new Uint8Array(256);

/** Field `k` unescaped into a shared scratch buffer; returns its length there. */
export function unescapeToScratch(scanner: CsvScanner, k: number): number {
  const rawLength = scanner.fieldEnd[k] - scanner.fieldStart[k];
  if (scratch.length < rawLength) scratch = new Uint8Array(rawLength * 2);
  return scanner.unescapeField(k, scratch);
}

export const scratchBytes = (): Uint8Array => scratch;

export const isEscaped = (flags: number): boolean => (flags & FIELD_ESCAPED) !== 0;

/**
 * Writes a safe integer into slot `at` of a 64-bit column through its Int32 view (little-endian),
 * which avoids making a BigInt per value.
 */
export function setInt64(words: Int32Array, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  words[2 * at] = (v - hi * 4294967296) | 0;
  words[2 * at + 1] = hi;
}
