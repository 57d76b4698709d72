import { makeData, Utf8, type Data } from 'apache-arrow';
import { isValid } from './bitmap.js';

const encoder = new TextEncoder();

/**
 * Spark's concat_ws over Utf8 columns, row by row on their UTF-8 bytes: the values of `columns`
 * (all of one length) joined with `spacer`; a null is written as `nullString` when one is given,
 * else skipped with its spacer. The result has no nulls (all nulls and no nullString: ''). Two
 * passes — lengths, then bytes — so no JS string or array is made per row.
 */
export function joinUtf8(columns: readonly Data<Utf8>[], length: number, spacer: string, nullString?: string): Data<Utf8> {
  const gap = encoder.encode(spacer);
  const instead = nullString === undefined ? undefined : encoder.encode(nullString);
  const offsets = new Int32Array(length + 1);
  // Pass 1: each row's byte length.
  let total = 0;
  for (let row = 0; row < length; row++) {
    let parts = 0;
    for (const column of columns) {
      if (isValid(column, row)) total += column.valueOffsets[row + 1] - column.valueOffsets[row];
      else if (instead) total += instead.length;
      else continue;
      parts++;
    }
    if (parts > 1) total += (parts - 1) * gap.length;
    offsets[row + 1] = total;
  }
  // Pass 2: the bytes.
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let row = 0; row < length; row++) {
    let first = true;
    for (const column of columns) {
      let from: Uint8Array;
      if (isValid(column, row)) from = column.values.subarray(column.valueOffsets[row], column.valueOffsets[row + 1]);
      else if (instead) from = instead;
      else continue;
      if (!first) {
        bytes.set(gap, at);
        at += gap.length;
      }
      first = false;
      bytes.set(from, at);
      at += from.length;
    }
  }
  return makeData({ type: new Utf8(), length, nullCount: 0, valueOffsets: offsets, data: bytes });
}
