import { Type, type Data } from 'apache-arrow';
import { nullColumn } from './nullColumn.js';
import { takeData } from './take.js';

/**
 * takeData where index -1 means "a null row": the outer side of a join. Takes row 0 in those
 * places, then clears their validity bits (a null parent hides whatever its children hold).
 */
export function takeNullable(data: Data, indices: Int32Array): Data {
  let missing = 0;
  for (let i = 0; i < indices.length; i++) if (indices[i] < 0) missing++;
  if (missing === 0) return takeData(data, indices);
  if (missing === indices.length || data.length === 0) return nullColumn(data.type, indices.length);
  const clamped = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) clamped[i] = indices[i] < 0 ? 0 : indices[i];
  const taken = takeData(data, clamped);
  if (taken.type.typeId === Type.Null) return taken;
  const n = indices.length;
  const bits = new Uint8Array(((n + 63) >> 6) << 3);
  const before = taken.nullBitmap && taken.nullBitmap.length > 0 && taken.nullCount > 0 ? taken.nullBitmap : null;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (indices[i] >= 0 && (!before || (before[i >> 3] & (1 << (i & 7))) !== 0)) bits[i >> 3] |= 1 << (i & 7);
    else nulls++;
  }
  // takeData's results start at offset 0; only the validity buffer (index 2) changes.
  return taken.clone(taken.type, 0, n, nulls, [taken.valueOffsets, taken.values, bits, taken.typeIds] as never, taken.children);
}

