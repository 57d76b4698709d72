import type { DataType } from 'apache-arrow';
import { columnFromValues } from '../columns/fromValues.js';
import { columnValues } from '../columns/toValues.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { asColumn, column, type Operand } from './operand.js';

/** A user function of one value per argument, as PySpark's `udf` wraps. */
export type UdfFunction = (...values: any[]) => unknown;

/** Runs a row UDF over a batch: each row's argument values as plain JS, the results stored as `type`. */
export function evaluateRows(fn: UdfFunction, label: string, args: Operand[], length: number, type: DataType): Operand {
  const values = args.map((a) => columnValues(asColumn(a, length)));
  const out = new Array<unknown>(length);
  const row = new Array<unknown>(args.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < values.length; k++) row[k] = values[k][i];
    try {
      out[i] = fn(...row);
    } catch (e) {
      throw new SluiceError(`udf '${label}' threw on row ${i + 1} of a batch (arguments ${preview(row)}): ${(e as Error)?.message ?? String(e)}`);
    }
    if (out[i] === undefined) out[i] = null;
  }
  return column(columnFromValues(type, out));
}

const preview = (row: unknown[]): string => {
  const text = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};
