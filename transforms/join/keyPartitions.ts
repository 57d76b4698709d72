import type { Data } from 'apache-arrow';
import { isValid, mayHaveNulls } from '../../src/columns/bitmap.js';
import { rowKeys, type Key } from '../rows/rowKeys.js';

/**
 * The spill partition of every row of a batch, from its join key, for the Grace hash join.
 * Both sides must land equal keys in the same partition, so the hash follows the same equality
 * as the join index (hashIndex.ts): with `smallIntKeys` (one int32-sized key on both sides) the
 * integer value itself, otherwise the rowKeys value (numbers of any width as numbers, text as
 * text, composite keys as one string). Rows with a null key match nothing: partition 0.
 */
export function keyPartitions(keyColumns: Data[], length: number, partitions: number, smallIntKeys: boolean): Uint16Array {
  const out = new Uint16Array(length);
  if (smallIntKeys) {
    const column = keyColumns[0];
    const values = column.values as ArrayLike<number>;
    const nullable = mayHaveNulls(column);
    for (let i = 0; i < length; i++) {
      if (nullable && !isValid(column, i)) continue;
      out[i] = mix(values[i] | 0) % partitions;
    }
    return out;
  }
  const keys = rowKeys(keyColumns, length, false);
  for (let i = 0; i < length; i++) {
    const key = keys[i];
    if (key !== null) out[i] = hashKey(key) % partitions;
  }
  return out;
}

const scratch = new Float64Array(1);
const scratchWords = new Int32Array(scratch.buffer);

/** A 32-bit hash of a rowKeys value, unsigned: numbers by their float64 bits, text by UTF-16 units. */
function hashKey(key: Exclude<Key, null>): number {
  if (typeof key === 'number') {
    if ((key | 0) === key) return mix(key);
    scratch[0] = key;
    return mix(scratchWords[0] ^ Math.imul(scratchWords[1], 0x85ebca6b));
  }
  let h = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix(h);
}

/**
 * murmur3's finaliser: every input bit reaches the low bits that `% partitions` keeps. It
 * differs from the index's Fibonacci hash, so a partition's keys still spread over its table.
 */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
