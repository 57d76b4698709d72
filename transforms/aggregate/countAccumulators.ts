import { Int64, Type, type Data, type DataType } from 'apache-arrow';
import { float64Column, int64FromIntegers, type Accumulator, type AccumulatorState } from './Accumulator.js';
import { keyDictionaryFor, type KeyDictionary } from './KeyDictionary.js';
import { TupleTable } from './TupleTable.js';
import { grown, nullsOf, validBit } from './physical.js';

/** count(*) (`ofColumn` false) or count(column): rows, or non-null values, per group. */
export class CountAccumulator implements Accumulator {
  readonly resultType = new Int64();
  private counts = new Float64Array(16);

  constructor(private readonly ofColumn: boolean) {}

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const counts = (this.counts = grown(this.counts, groupCount));
    const n = groups.length;
    if (this.ofColumn && column && column.type.typeId === Type.Null) return;
    const nulls = this.ofColumn && column ? nullsOf(column) : null;
    if (!nulls) {
      for (let i = 0; i < n; i++) counts[groups[i]]++;
      return;
    }
    const offset = column!.offset;
    for (let i = 0; i < n; i++) if (validBit(nulls, offset, i)) counts[groups[i]]++;
  }

  /** State: the counts as float64 (exact to 2^53). */
  snapshot(groupCount: number): AccumulatorState {
    this.counts = grown(this.counts, groupCount);
    return { columns: [float64Column(this.counts, groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    const counts = (this.counts = grown(this.counts, groupCount));
    const theirs = state.columns[0].values as Float64Array;
    for (let g = 0; g < groupMap.length; g++) counts[groupMap[g]] += theirs[g];
  }

  result(groupCount: number): Data {
    this.counts = grown(this.counts, groupCount);
    return int64FromIntegers(this.counts, groupCount);
  }
}

/**
 * count(DISTINCT column): values are coded by a KeyDictionary and each distinct (group, code)
 * pair is interned once in a TupleTable, so there is no JS Set per group. The state travels as
 * a column of the pairs' values plus an Int32Array of their groups (a per-group Set would
 * serialise the same way: one row per member).
 */
export class CountDistinctAccumulator implements Accumulator {
  readonly resultType: DataType = new Int64();
  protected readonly values: KeyDictionary;
  protected readonly pairs = new TupleTable(2);
  private codes = new Int32Array(0);

  constructor(type: DataType) {
    this.values = keyDictionaryFor(type)!;
  }

  update(groups: Int32Array, column: Data | undefined): void {
    const n = groups.length;
    if (this.codes.length < n) this.codes = new Int32Array(n);
    const codes = this.codes;
    this.values.encode(column!, codes);
    const nullCode = this.values.nullCode;
    for (let i = 0; i < n; i++) if (codes[i] !== nullCode) this.pairs.intern2(groups[i], codes[i]);
  }

  snapshot(): AccumulatorState {
    const count = this.pairs.size;
    const tuples = this.pairs.tuples;
    const groups = new Int32Array(count);
    const codes = new Int32Array(count);
    for (let p = 0; p < count; p++) {
      groups[p] = tuples[2 * p];
      codes[p] = tuples[2 * p + 1];
    }
    return { columns: [this.values.column(codes)], groups };
  }

  merge(groupMap: Int32Array, state: AccumulatorState): void {
    const theirs = state.groups!;
    const groups = new Int32Array(theirs.length);
    for (let p = 0; p < theirs.length; p++) groups[p] = groupMap[theirs[p]];
    this.update(groups, state.columns[0]);
  }

  result(groupCount: number): Data {
    const counts = new Float64Array(groupCount);
    const tuples = this.pairs.tuples;
    for (let p = 0; p < this.pairs.size; p++) counts[tuples[2 * p]]++;
    return int64FromIntegers(counts, groupCount);
  }
}
