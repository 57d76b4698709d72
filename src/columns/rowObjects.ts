import type { Data } from 'apache-arrow';
import { columnValues } from './toValues.js';
import { setField } from './ownFields.js';

/** Rows as plain objects, built column-wise from Arrow columns (not through Arrow's row proxies). */
export function rowObjects(names: readonly string[], columns: readonly Data[], length: number): Record<string, unknown>[] {
  const values = columns.map(columnValues);
  const safe = !names.includes('__proto__');
  const rows = new Array<Record<string, unknown>>(length);
  for (let i = 0; i < length; i++) {
    const row: Record<string, unknown> = {};
    if (safe) for (let k = 0; k < names.length; k++) row[names[k]] = values[k][i];
    else for (let k = 0; k < names.length; k++) setField(row, names[k], values[k][i]);
    rows[i] = row;
  }
  return rows;
}
