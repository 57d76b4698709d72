import { Int32, Int64, makeData, type Data, type RecordBatch } from 'apache-arrow';
import { isValid, mayHaveNulls } from '../../src/columns/bitmap.js';
import { makeBatch, takeData } from '../../src/columns/take.js';
import { withParentNulls } from '../paths/nestedColumn.js';
import type { RelationalTable } from './relationalTables.js';

/**
 * The rows of one table at one level of the chain root → … → table: the element data the
 * table's columns are read from, which of its positions are the table's rows (null: all, in
 * order — the root), and each row's key (1-based over the whole run, so keys never repeat
 * across batches).
 */
interface Level {
  element: Data;
  positions: Int32Array | null;
  /** Whole numbers below 2^53, kept as doubles: BigInt arithmetic per row would cost more than the rest. */
  keys: Float64Array;
  /** Child levels only: the parent row's key and the position in the array. */
  ids?: Float64Array;
  index?: Int32Array;
}

/**
 * Makes one table's rows from a batch of the input, walking Arrow list offsets down the chain of
 * arrays from the root (no per-row objects). `counters[d]` holds how many rows the chain's d-th
 * table has had in earlier batches; it is advanced here.
 */
export function relationalizeBatch(batch: RecordBatch, chain: RelationalTable[], counters: number[]): RecordBatch {
  let level: Level = { element: batch.data, positions: null, keys: keyRange(counters[0], batch.numRows) };
  counters[0] += batch.numRows;
  for (let d = 1; d < chain.length; d++) {
    level = childLevel(level, chain[d].listPath, counters[d]);
    counters[d] += level.keys.length;
  }
  const table = chain[chain.length - 1];
  const rows = level.keys.length;
  const columns = table.columns.map((c) => {
    const data = descend(level.element, c.path);
    if (c.key) return keyColumn(data, level);
    return level.positions ? takeData(data, level.positions) : data;
  });
  if (chain.length > 1) columns.unshift(int64Column(level.ids!, null, 0), int32Column(level.index!));
  return makeBatch(table.schema, columns, rows);
}

/** The rows of the array at `listPath` inside every row of `parent`, element by element. */
function childLevel(parent: Level, listPath: number[], counter: number): Level {
  const list = descend(parent.element, listPath);
  const offsets = list.valueOffsets as Int32Array;
  const rows = parent.keys.length;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const p = parent.positions ? parent.positions[r] : r;
    if (isValid(list, p)) total += offsets[p + 1] - offsets[p];
  }
  const positions = new Int32Array(total);
  const ids = new Float64Array(total);
  const index = new Int32Array(total);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const p = parent.positions ? parent.positions[r] : r;
    if (!isValid(list, p)) continue;
    for (let j = offsets[p]; j < offsets[p + 1]; j++, k++) {
      positions[k] = j;
      ids[k] = parent.keys[r];
      index[k] = j - offsets[p];
    }
  }
  return { element: list.children[0] as Data, positions, keys: keyRange(counter, total), ids, index };
}

/** The data at struct child indices `path` below `data`, every ancestor's nulls folded in. */
function descend(data: Data, path: number[]): Data {
  for (const i of path) data = mayHaveNulls(data) ? withParentNulls(data.children[i] as Data, data) : data.children[i] as Data;
  return data;
}

/** An array column's join key: the row's key where the array is not null. */
function keyColumn(list: Data, level: Level): Data {
  const rows = level.keys.length;
  const valid = new Uint8Array(((rows + 63) >> 6) << 3);
  let nulls = 0;
  for (let r = 0; r < rows; r++) {
    if (isValid(list, level.positions ? level.positions[r] : r)) valid[r >> 3] |= 1 << (r & 7);
    else nulls++;
  }
  return int64Column(level.keys, nulls ? valid : null, nulls);
}

function keyRange(before: number, count: number): Float64Array {
  const keys = new Float64Array(count);
  for (let i = 0; i < count; i++) keys[i] = before + i + 1;
  return keys;
}

/** An int64 column of whole numbers below 2^53, written as little-endian word pairs. */
function int64Column(values: Float64Array, nullBitmap: Uint8Array | null, nullCount: number): Data {
  const words = new Uint32Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    words[2 * i] = v >>> 0;
    words[2 * i + 1] = Math.floor(v / 4294967296);
  }
  const data = new BigInt64Array(words.buffer);
  return makeData({ type: new Int64(), length: values.length, nullCount, ...(nullBitmap ? { nullBitmap } : {}), data } as never);
}

function int32Column(values: Int32Array): Data {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}
