import { Type, type Data, type DataType, type Int } from 'apache-arrow';
import { isValid, mayHaveNulls } from '../../src/columns/bitmap.js';
import { rowKeys, type Key } from '../rows/rowKeys.js';

/**
 * The build side of a hash join: for each key its rows, chained in input order: `next[row]` is
 * the following row with the same key (-1 at the end), so duplicate keys cost one Int32 each.
 * `firstMatches` gives, for every row of a probe batch, the first build row with its key (or
 * -1). Null keys never match.
 */
export interface JoinIndex {
  readonly next: Int32Array;
  /** No key has more than one build row (every `next` is -1). */
  readonly unique: boolean;
  firstMatches(probeKeyColumns: Data[], length: number): Int32Array;
}

/**
 * Picks the typed-array index for one small-integer key on both sides (a direct table when the
 * keys are dense, as ids usually are), else the general one.
 */
export function buildJoinIndex(buildKeyColumns: Data[], rows: number, probeKeyTypes: DataType[]): JoinIndex {
  if (usesIntIndex(buildKeyColumns.map((c) => c.type), probeKeyTypes)) {
    const range = keyRange(buildKeyColumns[0], rows);
    if (range && range.max - range.min < DIRECT_SLOTS_PER_ROW * rows + DIRECT_MIN_SLOTS) {
      return new DirectJoinIndex(buildKeyColumns[0], rows, range.min, range.max - range.min + 1);
    }
    return new IntJoinIndex(buildKeyColumns[0], rows);
  }
  return new KeyJoinIndex(rowKeys(buildKeyColumns, rows, false));
}

/** A direct table may hold this many slots per build row (plus a few): 16 bytes a row at most. */
const DIRECT_SLOTS_PER_ROW = 4;
const DIRECT_MIN_SLOTS = 1024;

/** The smallest and largest non-null key, or undefined when every key is null. */
function keyRange(column: Data, rows: number): { min: number; max: number } | undefined {
  const values = column.values as ArrayLike<number>;
  const nullable = mayHaveNulls(column);
  let min = Infinity;
  let max = -Infinity;
  for (let row = 0; row < rows; row++) {
    if (nullable && !isValid(column, row)) continue;
    const key = values[row];
    if (key < min) min = key;
    if (key > max) max = key;
  }
  return min <= max ? { min, max } : undefined;
}

/** True when one int32-sized key on both sides: hashed by its integer value (here and when spilling). */
export function usesIntIndex(buildKeyTypes: DataType[], probeKeyTypes: DataType[]): boolean {
  return buildKeyTypes.length === 1 && isSmallInt(buildKeyTypes[0]) && isSmallInt(probeKeyTypes[0]);
}

/** Integers that fit an Int32 exactly (and day-based dates): hashed without boxing. */
function isSmallInt(type: DataType): boolean {
  if (type.typeId === Type.Date) return (type as DataType & { unit: number }).unit === 0;
  if (type.typeId !== Type.Int) return false;
  const { bitWidth, isSigned } = type as Int;
  return bitWidth < 32 || (bitWidth === 32 && isSigned);
}

/** Any key: rows keyed through a Map over rowKeys values (numbers, strings). */
class KeyJoinIndex implements JoinIndex {
  private readonly first = new Map<Key, number>();
  readonly next: Int32Array;
  readonly unique: boolean = true;

  constructor(keys: readonly Key[]) {
    this.next = new Int32Array(keys.length).fill(-1);
    // Walking backwards leaves each chain in ascending row order.
    for (let row = keys.length - 1; row >= 0; row--) {
      const key = keys[row];
      if (key === null) continue;
      const head = this.first.get(key);
      if (head !== undefined) (this.next[row] = head), (this.unique = false);
      this.first.set(key, row);
    }
  }

  firstMatches(columns: Data[], length: number): Int32Array {
    const keys = rowKeys(columns, length, false);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const key = keys[i];
      const row = key === null ? undefined : this.first.get(key);
      out[i] = row === undefined ? -1 : row;
    }
    return out;
  }
}

/** One int32-sized key: open addressing over typed arrays (about ten times faster than a Map). */
class IntJoinIndex implements JoinIndex {
  private readonly slotKeys: Int32Array;
  private readonly slotRows: Int32Array;
  private readonly mask: number;
  readonly next: Int32Array;
  readonly unique: boolean = true;

  constructor(column: Data, rows: number) {
    let capacity = 16;
    while (capacity < rows * 2) capacity <<= 1;
    this.mask = capacity - 1;
    this.slotKeys = new Int32Array(capacity);
    this.slotRows = new Int32Array(capacity).fill(-1);
    this.next = new Int32Array(rows).fill(-1);
    const values = column.values as ArrayLike<number>;
    const nullable = mayHaveNulls(column);
    for (let row = rows - 1; row >= 0; row--) {
      if (nullable && !isValid(column, row)) continue;
      const key = values[row];
      let slot = hash(key) & this.mask;
      while (this.slotRows[slot] !== -1 && this.slotKeys[slot] !== key) slot = (slot + 1) & this.mask;
      this.next[row] = this.slotRows[slot];
      if (this.next[row] >= 0) this.unique = false;
      this.slotKeys[slot] = key;
      this.slotRows[slot] = row;
    }
  }

  firstMatches(columns: Data[], length: number): Int32Array {
    const column = columns[0];
    const values = column.values as ArrayLike<number>;
    const nullable = mayHaveNulls(column);
    const out = new Int32Array(length);
    const { slotKeys, slotRows, mask } = this;
    for (let i = 0; i < length; i++) {
      if (nullable && !isValid(column, i)) {
        out[i] = -1;
        continue;
      }
      const key = values[i];
      let slot = hash(key) & mask;
      let row = slotRows[slot];
      while (row !== -1 && slotKeys[slot] !== key) {
        slot = (slot + 1) & mask;
        row = slotRows[slot];
      }
      out[i] = row;
    }
    return out;
  }
}

/**
 * One int32-sized key whose values lie in a range a few times the build rows (ids): the first
 * row of each key sits at `key - min` in one table, so a probe is a subtraction and one load.
 */
class DirectJoinIndex implements JoinIndex {
  /** First build row of each key (at key - min), or -1. */
  private readonly first: Int32Array;
  readonly next: Int32Array;
  readonly unique: boolean = true;

  constructor(column: Data, rows: number, private readonly min: number, private readonly range: number) {
    this.first = new Int32Array(range).fill(-1);
    this.next = new Int32Array(rows).fill(-1);
    const values = column.values as ArrayLike<number>;
    const nullable = mayHaveNulls(column);
    const first = this.first;
    // Walking backwards leaves each chain in ascending row order.
    for (let row = rows - 1; row >= 0; row--) {
      if (nullable && !isValid(column, row)) continue;
      const at = values[row] - min;
      if (first[at] >= 0) (this.next[row] = first[at]), (this.unique = false);
      first[at] = row;
    }
  }

  firstMatches(columns: Data[], length: number): Int32Array {
    const column = columns[0];
    const values = column.values as ArrayLike<number>;
    const nullable = mayHaveNulls(column);
    const out = new Int32Array(length);
    const { first, min, range } = this;
    for (let i = 0; i < length; i++) {
      const at = values[i] - min;
      out[i] = at >= 0 && at < range && !(nullable && !isValid(column, i)) ? first[at] : -1;
    }
    return out;
  }
}

/** Fibonacci hashing: spreads sequential ids across the table. */
const hash = (key: number): number => Math.imul(key, 0x9e3779b1) >>> 7;
