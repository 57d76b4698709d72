import { Type, type Data, type DataType } from 'apache-arrow';
import { packBits } from '../../src/columns/bitmap.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { Utf8Keys, bitsAsBytes, withValidity } from './KeyDictionary.js';
import { grown, nullsOf, numbersOf, physicalOf, validBit, wordsOf } from './physical.js';

/*
 * min and max keep the input type. Their state is their result (a column with one row per
 * group, null where the group had no value), so merging partials is aggregating that column.
 */

/**
 * Numbers, dates and booleans in a Float64Array of best values. NaN counts as the largest value,
 * as in Spark: max is NaN once one is seen, min skips NaN unless there is nothing else.
 */
export class NumberMinMax implements Accumulator {
  private best = new Float64Array(16);
  private seen = new Uint8Array(16);

  constructor(readonly resultType: DataType, private readonly isMax: boolean) {}

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    const best = (this.best = grown(this.best, groupCount));
    const seen = (this.seen = grown(this.seen, groupCount));
    const values = data.type.typeId === Type.Bool ? bitsAsBytes(data) : numbersOf(data);
    const nulls = nullsOf(data);
    const isMax = this.isMax;
    for (let i = 0; i < groups.length; i++) {
      if (nulls && !validBit(nulls, data.offset, i)) continue;
      const g = groups[i];
      const v = values[i];
      if (seen[g] === 0) {
        best[g] = v;
        seen[g] = 1;
      } else if (isMax ? v > best[g] || v !== v : v < best[g] || best[g] !== best[g]) best[g] = v;
    }
  }

  snapshot(groupCount: number): AccumulatorState {
    return { columns: [this.result(groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.update(groupMap, state.columns[0], groupCount);
  }

  result(groupCount: number): Data {
    this.best = grown(this.best, groupCount);
    this.seen = grown(this.seen, groupCount);
    const valid = this.seen.slice(0, groupCount);
    if (this.resultType.typeId === Type.Bool) {
      const bytes = Uint8Array.from(this.best.subarray(0, groupCount));
      return withValidity(this.resultType, groupCount, valid, { data: packBits(bytes, groupCount).bits });
    }
    const ArrayType = (this.resultType as DataType & { ArrayType: new (values: ArrayLike<number>) => unknown }).ArrayType;
    return withValidity(this.resultType, groupCount, valid, { data: new ArrayType(this.best.subarray(0, groupCount)) });
  }
}

/** 64- and 128-bit values (int64, timestamps, decimals) compared word by word, high word first. */
export class WordsMinMax implements Accumulator {
  private best = new Int32Array(32);
  private seen = new Uint8Array(16);

  constructor(readonly resultType: DataType, private readonly width: number, private readonly signed: boolean, private readonly isMax: boolean) {}

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    const width = this.width;
    const best = (this.best = grown(this.best, groupCount * width));
    const seen = (this.seen = grown(this.seen, groupCount));
    const words = wordsOf(data, width);
    const nulls = nullsOf(data);
    const direction = this.isMax ? 1 : -1;
    for (let i = 0; i < groups.length; i++) {
      if (nulls && !validBit(nulls, data.offset, i)) continue;
      const g = groups[i];
      if (seen[g] === 0 || this.compare(words, i * width, best, g * width) * direction > 0) {
        for (let k = 0; k < width; k++) best[g * width + k] = words[i * width + k];
        seen[g] = 1;
      }
    }
  }

  snapshot(groupCount: number): AccumulatorState {
    return { columns: [this.result(groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.update(groupMap, state.columns[0], groupCount);
  }

  result(groupCount: number): Data {
    this.seen = grown(this.seen, groupCount);
    const words = this.best.slice(0, groupCount * this.width);
    const ArrayType = (this.resultType as DataType & { ArrayType: new (buffer: ArrayBuffer) => unknown }).ArrayType;
    return withValidity(this.resultType, groupCount, this.seen.slice(0, groupCount), { data: new ArrayType(words.buffer) });
  }

  /** Sign of a - b: the high word signed (for signed types), the others unsigned. */
  private compare(a: Int32Array, at: number, b: Int32Array, bt: number): number {
    const top = this.width - 1;
    const aHigh = this.signed ? a[at + top] : a[at + top] >>> 0;
    const bHigh = this.signed ? b[bt + top] : b[bt + top] >>> 0;
    if (aHigh !== bHigh) return aHigh < bHigh ? -1 : 1;
    for (let k = top - 1; k >= 0; k--) {
      const x = a[at + k] >>> 0;
      const y = b[bt + k] >>> 0;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }
}

/**
 * Text (plain or dictionary) by code point order, which is UTF-8 byte order: values are
 * interned by their bytes and compared in place, never decoded. Dictionary input gives
 * dictionary output.
 */
export class Utf8MinMax implements Accumulator {
  private readonly keys: Utf8Keys;
  private best = new Int32Array(16).fill(-1);
  private codes = new Int32Array(0);

  constructor(readonly resultType: DataType, private readonly isMax: boolean) {
    this.keys = new Utf8Keys(resultType, (physicalOf(resultType) as { dictionary: boolean }).dictionary);
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const best = (this.best = grown(this.best, groupCount, -1));
    const n = groups.length;
    if (this.codes.length < n) this.codes = new Int32Array(n);
    const codes = this.codes;
    this.keys.encode(column!, codes);
    const nullCode = this.keys.nullCode;
    const table = this.keys.table;
    const direction = this.isMax ? 1 : -1;
    for (let i = 0; i < n; i++) {
      const code = codes[i];
      if (code === nullCode) continue;
      const g = groups[i];
      const current = best[g];
      if (current < 0 || (code !== current && table.compare(code, current) * direction > 0)) best[g] = code;
    }
  }

  snapshot(groupCount: number): AccumulatorState {
    return { columns: [this.result(groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.update(groupMap, state.columns[0], groupCount);
  }

  result(groupCount: number): Data {
    this.best = grown(this.best, groupCount, -1);
    return this.keys.column(this.best.slice(0, groupCount));
  }
}
