import type { Data, DataType } from 'apache-arrow';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { keyDictionaryFor, type KeyDictionary } from './KeyDictionary.js';
import { TupleTable } from './TupleTable.js';
import { grown } from './physical.js';

/**
 * Assigns a group id to every row, in order of first appearance. Each key column is coded by its
 * own KeyDictionary (null keys get a code, so they form their own group, as in SQL); one key
 * column's code is the group id, several are interned as a tuple of codes. No key columns means
 * one group that exists even without rows (a global aggregate over nothing still has a row).
 */
export class GroupKeys {
  private readonly dictionaries: KeyDictionary[];
  private readonly tuples: TupleTable | undefined;
  private codes: Int32Array[] = [];
  /** One key column: group of each code, and code of each group (codes of a dictionary column
   * follow its dictionary's order, groups follow the rows). */
  private groupOfCode = new Int32Array(64).fill(-1);
  private codeOfGroup = new Int32Array(64);
  private singleCount = 0;

  constructor(types: readonly DataType[], names: readonly string[]) {
    this.dictionaries = types.map((type, k) => {
      const dictionary = keyDictionaryFor(type);
      if (!dictionary) throw new SluiceError(`cannot group by '${names[k]}' of type ${type}: group by numbers, booleans, text, dates, timestamps or decimals (or by the fields of a struct)`);
      return dictionary;
    });
    this.tuples = types.length > 1 ? new TupleTable(types.length) : undefined;
  }

  get groupCount(): number {
    if (this.dictionaries.length === 0) return 1;
    return this.tuples ? this.tuples.size : this.singleCount;
  }

  /** The group id of each row of a batch given its key columns. */
  assign(columns: readonly Data[], length: number): Int32Array {
    const groups = new Int32Array(length);
    if (this.dictionaries.length === 0) return groups;
    if (!this.tuples) return this.assignSingle(columns[0], groups);
    const width = this.dictionaries.length;
    if (this.codes.length !== width || this.codes[0].length < length) this.codes = this.dictionaries.map(() => new Int32Array(length));
    this.dictionaries.forEach((dictionary, k) => dictionary.encode(columns[k], this.codes[k]));
    if (width === 2) {
      const [a, b] = this.codes;
      const pairs = this.pairTable();
      if (pairs) {
        // Two small dictionaries: the pair's group sits at a * stride + b; misses intern the pair.
        const stride = this.pairStride;
        for (let i = 0; i < length; i++) {
          const slot = a[i] * stride + b[i];
          let group = pairs[slot];
          if (group < 0) group = pairs[slot] = this.tuples.intern2(a[i], b[i]);
          groups[i] = group;
        }
        return groups;
      }
      for (let i = 0; i < length; i++) groups[i] = this.tuples.intern2(a[i], b[i]);
      return groups;
    }
    const row = new Int32Array(width);
    for (let i = 0; i < length; i++) {
      for (let k = 0; k < width; k++) row[k] = this.codes[k][i];
      groups[i] = this.tuples.intern(row, 0);
    }
    return groups;
  }

  private assignSingle(column: Data, groups: Int32Array): Int32Array {
    const dictionary = this.dictionaries[0];
    dictionary.encode(column, groups);
    const groupOfCode = (this.groupOfCode = grown(this.groupOfCode, dictionary.size, -1));
    for (let i = 0; i < groups.length; i++) {
      const code = groups[i];
      let group = groupOfCode[code];
      if (group < 0) {
        group = groupOfCode[code] = this.singleCount++;
        this.codeOfGroup = grown(this.codeOfGroup, this.singleCount);
        this.codeOfGroup[group] = code;
      }
      groups[i] = group;
    }
    return groups;
  }

  /**
   * Two key columns with few distinct values each (segment, country): a table of the group of
   * every code pair, sized by powers of two and started afresh (empty, refilled from the tuples
   * as rows meet it) when a dictionary outgrows it; undefined once the pairs would pass
   * PAIR_TABLE_SLOTS, when hashing the pair is the cheaper way.
   */
  private pairTable(): Int32Array | undefined {
    const [first, second] = this.dictionaries;
    if (first.size * second.size > PAIR_TABLE_SLOTS) return undefined;
    if (!this.pairs || first.size > this.pairs.length / this.pairStride || second.size > this.pairStride) {
      const stride = powerOfTwoAtLeast(second.size);
      const rows = powerOfTwoAtLeast(first.size);
      if (rows * stride > PAIR_TABLE_SLOTS) return undefined;
      this.pairStride = stride;
      this.pairs = new Int32Array(rows * stride).fill(-1);
    }
    return this.pairs;
  }

  private pairs: Int32Array | undefined;
  private pairStride = 0;

  /** One column per key, one row per group, with the keys' input types. */
  keyColumns(): Data[] {
    const count = this.groupCount;
    if (this.dictionaries.length === 0) return [];
    if (!this.tuples) return [this.dictionaries[0].column(this.codeOfGroup.slice(0, count))];
    const width = this.dictionaries.length;
    const tuples = this.tuples.tuples;
    return this.dictionaries.map((dictionary, k) => {
      const codes = new Int32Array(count);
      for (let g = 0; g < count; g++) codes[g] = tuples[g * width + k];
      return dictionary.column(codes);
    });
  }
}

/** Largest code-pair table of two key columns (256 KiB). */
const PAIR_TABLE_SLOTS = 1 << 16;

const powerOfTwoAtLeast = (n: number): number => {
  let p = 16;
  while (p < n) p *= 2;
  return p;
};
