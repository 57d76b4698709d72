import type { RecordBatch } from 'apache-arrow';
import { takeBatch } from './take.js';

/**
 * Some rows of a batch, not gathered: a partitioned write hands each partition its rows of the
 * input batch so, and a writer that reads rows in place (the Parquet encoder gathers while it
 * encodes) saves a copy of every row; any other writer gathers them first (`gatherRows`).
 */
export interface BatchRows {
  batch: RecordBatch;
  /** Row indices into `batch`, ascending. */
  rows: Int32Array;
}

export function isBatchRows(item: RecordBatch | BatchRows): item is BatchRows {
  return (item as BatchRows).rows instanceof Int32Array;
}

/** The rows as a batch of their own. */
export function gatherRows(item: RecordBatch | BatchRows): RecordBatch {
  return isBatchRows(item) ? takeBatch(item.batch, item.rows) : item;
}

export function rowCount(item: RecordBatch | BatchRows): number {
  return isBatchRows(item) ? item.rows.length : item.numRows;
}
