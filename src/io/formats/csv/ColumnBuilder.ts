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

/** Rows a builder's arrays hold at first: a file of thousands of columns and few rows stays small. */
const FIRST_ROWS = 64;

/**
 * Validity bits and row count shared by all builders; up to `capacity` rows per batch. The arrays
 * start at FIRST_ROWS rows and double as rows arrive (`reserve`, once per window, never per row);
 * a finished batch's next arrays take the size the last one reached.
 */
export abstract class BuilderBase {
  length = 0;
  nullCount = 0;
  protected validity: Uint8Array;
  /** Rows the arrays hold now. */
  protected rows: number;

  constructor(protected readonly capacity: number) {
    this.rows = Math.min(capacity, FIRST_ROWS);
    this.validity = new Uint8Array((this.rows + 7) >> 3);
  }

  /** Makes room for `needed` rows before a window is appended. */
  protected reserve(needed: number): void {
    if (needed <= this.rows) return;
    const rows = Math.max(needed, Math.min(this.capacity, this.rows * 2));
    this.validity = grownTo(this.validity, (rows + 7) >> 3);
    this.rows = rows;
    this.growValues(rows);
  }

  /** Grows the value arrays to hold `rows` rows, keeping what they hold. */
  protected abstract growValues(rows: number): void;

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
    this.validity = new Uint8Array((this.rows + 7) >> 3);
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

type Grown = Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;

/** A longer copy of `values` (zeros after them). */
export function grownTo<A extends Grown>(values: A, length: number): A {
  const next = new (values.constructor as new (length: number) => A)(length);
  next.set(values as never);
  return next;
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
