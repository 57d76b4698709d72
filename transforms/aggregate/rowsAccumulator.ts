import { Field, List, makeData, type Data, type DataType } from 'apache-arrow';
import { concatData } from '../../src/columns/concat.js';
import { takeData } from '../../src/columns/take.js';
import { takeNullable } from '../../src/columns/takeNullable.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { grown, nullsOf, validBit } from './physical.js';

/** Which rows of a group an aggregate keeps: its first, its last, or all of them (as a list). */
export type RowsPolicy = 'first' | 'last' | 'all';

/**
 * Aggregates that keep input values rather than fold them: first(x), last(x) (Spark's, in input
 * order; in parallel runs, split order) and collect_list(x). Kept rows are Arrow chunks taken
 * from the input with their group numbers, so any type works and no value becomes a JS object.
 * `skipNulls`: first/last IGNORE NULLS; collect_list always skips them, as Spark does.
 */
export class RowsAccumulator implements Accumulator {
  readonly resultType: DataType;
  private chunks: Data[] = [];
  private chunkGroups: Int32Array[] = [];
  /** first: whether the group already has its row. */
  private taken = new Uint8Array(16);

  constructor(private readonly inputType: DataType, private readonly policy: RowsPolicy, private readonly skipNulls: boolean) {
    this.resultType = policy === 'all' ? new List(new Field('element', inputType, true)) : inputType;
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    const nulls = this.skipNulls || this.policy === 'all' ? nullsOf(data) : null;
    const keep = (i: number) => !nulls || validBit(nulls, data.offset, i);
    const rows: number[] = [];
    if (this.policy === 'first') {
      const taken = (this.taken = grown(this.taken, groupCount));
      for (let i = 0; i < groups.length; i++) if (!taken[groups[i]] && keep(i)) (taken[groups[i]] = 1, rows.push(i));
    } else if (this.policy === 'last') {
      // The last row of each group in this batch: scan backwards, first sighting wins.
      const seen = new Uint8Array(groupCount);
      for (let i = groups.length - 1; i >= 0; i--) if (!seen[groups[i]] && keep(i)) (seen[groups[i]] = 1, rows.push(i));
      rows.reverse();
    } else {
      for (let i = 0; i < groups.length; i++) if (keep(i)) rows.push(i);
    }
    if (rows.length === 0) return;
    const indices = Int32Array.from(rows);
    this.chunks.push(takeData(data, indices));
    this.chunkGroups.push(indices.map((i) => groups[i]));
  }

  /** State: the kept values, one row per kept value, with their groups. */
  snapshot(): AccumulatorState {
    const { values, groups } = this.kept();
    return { columns: [values], groups };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    const theirs = state.groups!;
    const groups = new Int32Array(theirs.length);
    for (let i = 0; i < theirs.length; i++) groups[i] = groupMap[theirs[i]];
    if (this.policy !== 'first') {
      if (groups.length) (this.chunks.push(state.columns[0]), this.chunkGroups.push(groups));
      return;
    }
    const taken = (this.taken = grown(this.taken, groupCount));
    const rows: number[] = [];
    for (let i = 0; i < groups.length; i++) if (!taken[groups[i]]) (taken[groups[i]] = 1, rows.push(i));
    if (rows.length === 0) return;
    const indices = Int32Array.from(rows);
    this.chunks.push(takeData(state.columns[0], indices));
    this.chunkGroups.push(indices.map((i) => groups[i]));
  }

  result(groupCount: number): Data {
    const { values, groups } = this.kept();
    if (this.policy !== 'all') {
      // first: each group kept one row; last: the latest kept row wins.
      const pick = new Int32Array(groupCount).fill(-1);
      for (let i = 0; i < groups.length; i++) if (this.policy === 'last' || pick[groups[i]] < 0) pick[groups[i]] = i;
      return takeNullable(values, pick);
    }
    // A counting sort by group keeps each group's values in input order.
    const offsets = new Int32Array(groupCount + 1);
    for (let i = 0; i < groups.length; i++) offsets[groups[i] + 1]++;
    for (let g = 0; g < groupCount; g++) offsets[g + 1] += offsets[g];
    const next = offsets.slice(0, groupCount);
    const order = new Int32Array(groups.length);
    for (let i = 0; i < groups.length; i++) order[next[groups[i]]++] = i;
    return makeData({ type: this.resultType as List, length: groupCount, nullCount: 0, valueOffsets: offsets, child: takeData(values, order) });
  }

  private kept(): { values: Data; groups: Int32Array } {
    if (this.chunks.length !== 1) {
      const values = this.chunks.length ? concatData(this.chunks) : takeData(emptyOf(this.inputType), new Int32Array(0));
      const groups = new Int32Array(this.chunkGroups.reduce((n, g) => n + g.length, 0));
      let at = 0;
      for (const g of this.chunkGroups) (groups.set(g, at), (at += g.length));
      this.chunks = [values];
      this.chunkGroups = [groups];
    }
    return { values: this.chunks[0], groups: this.chunkGroups[0] };
  }
}

function emptyOf(type: DataType): Data {
  return makeData({ type, length: 0 } as never);
}
