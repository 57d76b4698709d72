import { Type } from 'apache-arrow';
import type { Data, Int, RecordBatch } from 'apache-arrow';
import { isValid } from '../../columns/bitmap.js';
import { columnText } from '../formats/text/columnText.js';

/** The rows of a batch that share one combination of partition values. */
export interface RowGroup {
  /** Partition values as path text (null for null), in key order. */
  values: (string | null)[];
  /** Row indices, ascending. */
  indices: Int32Array;
}

/** Dense codes 0..count-1 of a column's distinct values, and the first row of each code. */
function columnCodes(data: Data): { codes: Int32Array; firstRows: number[] } {
  const n = data.length;
  const codes = new Int32Array(n);
  const firstRows: number[] = [];
  const seen = new Map<number | string | null, number>();
  // Small ints and dictionary keys are used as they are; other types through their text.
  const raw =
    (data.type.typeId === Type.Int && (data.type as Int).bitWidth <= 32) || data.type.typeId === Type.Dictionary
      ? (data.values as Int32Array)
      : undefined;
  const texts = raw ? undefined : columnText(data, false);
  for (let i = 0; i < n; i++) {
    const key = !isValid(data, i) ? null : raw ? raw[i] : texts![i];
    let code = seen.get(key);
    if (code === undefined) {
      code = firstRows.length;
      seen.set(key, code);
      firstRows.push(i);
    }
    codes[i] = code;
  }
  return { codes, firstRows };
}

/**
 * Splits a batch's rows by the distinct combinations of its key columns, columnar: each key
 * column gets dense codes, codes are combined pairwise (group × count + code, re-densified so
 * numbers stay small), then a counting sort lays out each group's row indices.
 */
export function groupRows(batch: RecordBatch, keyColumns: number[]): RowGroup[] {
  const n = batch.numRows;
  let groups = new Int32Array(n);
  let firstRows = [0];
  if (n === 0) return [];
  for (const column of keyColumns) {
    const { codes, firstRows: columnFirsts } = columnCodes(batch.data.children[column]);
    const width = columnFirsts.length;
    const dense = new Map<number, number>();
    const next = new Int32Array(n);
    const nextFirsts: number[] = [];
    for (let i = 0; i < n; i++) {
      const combined = groups[i] * width + codes[i];
      let group = dense.get(combined);
      if (group === undefined) {
        group = nextFirsts.length;
        dense.set(combined, group);
        nextFirsts.push(i);
      }
      next[i] = group;
    }
    groups = next;
    firstRows = nextFirsts;
  }
  const count = firstRows.length;
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) starts[groups[i] + 1]++;
  for (let g = 0; g < count; g++) starts[g + 1] += starts[g];
  const order = new Int32Array(n);
  const fill = starts.slice(0, count);
  for (let i = 0; i < n; i++) order[fill[groups[i]]++] = i;
  return firstRows.map((row, g) => ({
    values: keyColumns.map((column) => columnText(batch.data.children[column].slice(row, 1), false)[0]),
    indices: order.subarray(starts[g], starts[g + 1]),
  }));
}
