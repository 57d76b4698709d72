import { Type, type Data, type RecordBatch } from 'apache-arrow';

/**
 * The Arrow buffer bytes a column's rows take, for its slice only (`Data.byteLength` counts
 * whole shared buffers): values, offsets, validity when there are nulls, children. A dictionary
 * column counts its keys, not the dictionary it shares with other batches.
 */
export function dataBytes(data: Data): number {
  const n = data.length;
  const validity = data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? Math.ceil(n / 8) : 0;
  switch (data.type.typeId) {
    case Type.Null:
      return 0;
    case Type.Bool:
      return validity + Math.ceil(n / 8);
    case Type.Utf8:
    case Type.Binary: {
      const offsets = data.valueOffsets as Int32Array;
      return validity + 4 * (n + 1) + (n > 0 ? offsets[n] - offsets[0] : 0);
    }
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const child = data.children[0] as Data;
      const childRows = n > 0 ? offsets[n] - offsets[0] : 0;
      // The child's bytes scaled to the rows this slice points at.
      const childBytes = child.length > 0 ? (dataBytes(child) * childRows) / child.length : 0;
      return validity + 4 * (n + 1) + childBytes;
    }
    case Type.Struct:
    case Type.FixedSizeList:
      return validity + data.children.reduce((sum, c) => sum + dataBytes(c as Data), 0);
    default: {
      const values = data.values as ArrayLike<number> & { BYTES_PER_ELEMENT?: number };
      return validity + n * data.stride * (values?.BYTES_PER_ELEMENT ?? 0);
    }
  }
}

/** dataBytes over every column of a batch. */
export function batchBytes(batch: RecordBatch): number {
  return batch.data.children.reduce((sum, c) => sum + dataBytes(c as Data), 0);
}
