import { Type, type Data } from 'apache-arrow';
import { isValid, mayHaveNulls } from '../../src/columns/bitmap.js';

/**
 * The column at `indices` (top-level index, then child indices down through structs). A child of
 * a null struct row may hold any value, so the ancestors' nulls are folded into its validity.
 */
export function nestedColumn(columns: readonly Data[], indices: readonly number[]): Data {
  let data = columns[indices[0]];
  for (let depth = 1; depth < indices.length; depth++) {
    const parent = data;
    data = parent.children[indices[depth]] as Data;
    if (mayHaveNulls(parent)) data = withParentNulls(data, parent);
  }
  return data;
}

/** `child` with its rows nulled where `parent` is null (bits laid out from the child's offset). */
export function withParentNulls(child: Data, parent: Data): Data {
  const n = child.length;
  const bits = new Uint8Array(((child.offset + n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(parent, i) && (child.type.typeId !== Type.Null && isValid(child, i))) {
      const j = child.offset + i;
      bits[j >> 3] |= 1 << (j & 7);
    } else nulls++;
  }
  if (child.type.typeId === Type.Null) return child;
  // Data.clone keeps offsets, values and children; only the validity buffer (index 2) changes.
  return child.clone(child.type, child.offset, n, nulls, [child.valueOffsets, child.values, bits, child.typeIds] as never, child.children);
}
