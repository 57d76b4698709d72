import { Type } from 'apache-arrow';
import type { Data, Int, RecordBatch } from 'apache-arrow';
import { getBit } from '../../columns/bitmap.js';
import { columnText } from '../formats/text/columnText.js';

/** The rows of a batch that share one combination of partition values. */
export interface RowGroup {
  /** Partition values as path text (null for null), in key order. */
  values: (string | null)[];
  /** Row indices, ascending: `order.subarray(start, start + indices.length)` of the batch's grouping. */
  indices: Int32Array;
  start: number;
}

/** A batch's rows by group: `order` lists every row, group after group (each group's rows ascending). */
export interface GroupedRows {
  order: Int32Array;
  groups: RowGroup[];
}

/** Key ranges up to this many values get a lookup table instead of a Map (partition keys: years, months, days). */
const TABLE_LIMIT = 1 << 16;

/**
 * Writes dense codes 0..count-1 of a column's distinct values (null is one value), in first-seen
 * order, into `into`; returns the count.
 */
function columnCodes(data: Data, into: Int32Array): number {
  const bitmap = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
  // Small ints and dictionary keys are used as they are; other types through their text.
  if ((data.type.typeId === Type.Int && (data.type as Int).bitWidth <= 32) || data.type.typeId === Type.Dictionary) {
    return integerCodes(data.values as Int32Array, data.length, bitmap, data.offset, into).length;
  }
  const texts = columnText(data, false);
  const seen = new Map<string | null, number>();
  for (let i = 0; i < data.length; i++) {
    const key = bitmap !== null && !getBit(bitmap, data.offset, i) ? null : texts[i];
    let code = seen.get(key);
    if (code === undefined) seen.set(key, (code = seen.size));
    into[i] = code;
  }
  return seen.size;
}

/**
 * Dense codes of integer keys (bit `offset + i` of `bitmap` unset = null) into `into` (which may
 * be `values` itself), in first-seen order: a typed table over a narrow range, else a Map.
 * Returns the first row of each code.
 */
function integerCodes(values: ArrayLike<number>, n: number, bitmap: Uint8Array | null, offset: number, into: Int32Array): number[] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (bitmap !== null && !getBit(bitmap, offset, i)) continue;
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const firstRows: number[] = [];
  if (max - min >= TABLE_LIMIT) {
    const seen = new Map<number | null, number>();
    for (let i = 0; i < n; i++) {
      const key = bitmap !== null && !getBit(bitmap, offset, i) ? null : values[i];
      let code = seen.get(key);
      if (code === undefined) {
        seen.set(key, (code = firstRows.length));
        firstRows.push(i);
      }
      into[i] = code;
    }
    return firstRows;
  }
  const base = min === Infinity ? 0 : min;
  // Slot 0 is null, value v is slot v - base + 1; entries hold code + 1 (0 = not seen yet).
  const table = new Int32Array((max === -Infinity ? 0 : max - base + 1) + 1);
  for (let i = 0; i < n; i++) {
    const slot = bitmap !== null && !getBit(bitmap, offset, i) ? 0 : values[i] - base + 1;
    let code = table[slot] - 1;
    if (code < 0) {
      code = firstRows.length;
      table[slot] = code + 1;
      firstRows.push(i);
    }
    into[i] = code;
  }
  return firstRows;
}

/** The first row of each of the `count` dense codes in `codes`. */
function firstRowsOf(codes: Int32Array, count: number): number[] {
  const firstRows: number[] = [];
  for (let i = 0; firstRows.length < count; i++) if (codes[i] === firstRows.length) firstRows.push(i);
  return firstRows;
}

/**
 * Splits a batch's rows by the distinct combinations of its key columns, columnar: each key
 * column gets dense codes, codes are combined pairwise (group × count + code, re-densified so
 * numbers stay small), then a counting sort lays out each group's row indices.
 */
export function groupRows(batch: RecordBatch, keyColumns: number[]): GroupedRows {
  const n = batch.numRows;
  if (n === 0) return { order: new Int32Array(0), groups: [] };
  let groups = new Int32Array(n);
  let codes = new Int32Array(n);
  let firstRows = [0];
  for (const column of keyColumns) {
    const width = columnCodes(batch.data.children[column], codes);
    // One value throughout (a batch of one year): the groups stay as they are.
    if (width === 1) continue;
    if (firstRows.length === 1) {
      // One group so far: the column's codes are the groups (first-seen order already).
      [groups, codes] = [codes, groups];
      firstRows = firstRowsOf(groups, width);
    } else if (firstRows.length * width < 2 ** 31) {
      for (let i = 0; i < n; i++) groups[i] = groups[i] * width + codes[i];
      firstRows = integerCodes(groups, n, null, 0, groups);
    } else {
      // Past int32 the combined numbers stay exact as doubles.
      const combined = new Float64Array(n);
      for (let i = 0; i < n; i++) combined[i] = groups[i] * width + codes[i];
      firstRows = integerCodes(combined, n, null, 0, groups);
    }
  }
  const count = firstRows.length;
  const starts = groupStarts(groups, n, count);
  const order = codes; // free now: the codes of the last column are folded into groups
  placeRows(groups, n, starts.slice(0, count), order);
  const rowGroups = firstRows.map((row, g) => ({
    values: keyColumns.map((column) => columnText(batch.data.children[column].slice(row, 1), false)[0]),
    indices: order.subarray(starts[g], starts[g + 1]),
    start: starts[g],
  }));
  return { order, groups: rowGroups };
}

/**
 * Where each group's rows start in the order (a counting sort's prefix sums), and one past the
 * last. This loop and placeRows' are alone in their functions: V8 compiles a long loop on its
 * first call (on-stack replacement) without type feedback for the code after it, and deoptimised
 * there, batch after batch, when groupRows ran them one after the other.
 */
function groupStarts(groups: Int32Array, n: number, count: number): Int32Array {
  const starts = new Int32Array(count + 1);
  countRows(groups, n, starts);
  for (let g = 0; g < count; g++) starts[g + 1] += starts[g];
  return starts;
}

/** Rows per group, at starts[group + 1]. */
function countRows(groups: Int32Array, n: number, starts: Int32Array): void {
  for (let i = 0; i < n; i++) starts[groups[i] + 1]++;
}

/** Each row's index at its group's next place in `order` (`fill`: the groups' starts, advanced). */
function placeRows(groups: Int32Array, n: number, fill: Int32Array, order: Int32Array): void {
  for (let i = 0; i < n; i++) order[fill[groups[i]]++] = i;
}
