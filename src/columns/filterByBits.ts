import type { RecordBatch } from 'apache-arrow';
import { setBitIndices } from './bitmap.js';
import { takeBatch } from './take.js';

/** Keeps the rows whose bit is set in `bits` (aligned to bit 0); returns the batch itself when all are kept. */
export function filterBatchByBits(batch: RecordBatch, bits: Uint8Array): RecordBatch {
  const indices = setBitIndices(bits, batch.numRows);
  return indices.length === batch.numRows ? batch : takeBatch(batch, indices);
}
