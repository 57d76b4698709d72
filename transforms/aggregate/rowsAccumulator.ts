import { Field, List, makeData, type Data, type DataType } from 'apache-arrow';
import { takeData } from '../../src/columns/take.js';
import { takeNullable } from '../../src/columns/takeNullable.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { KeptRows, mappedGroups } from './KeptRows.js';
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
  private readonly kept: KeptRows;
  /** first: whether the group already has its row. */
  private taken = new Uint8Array(16);

  constructor(inputType: DataType, private readonly policy: RowsPolicy, private readonly skipNulls: boolean) {
    this.resultType = policy === 'all' ? new List(new Field('element', inputType, true)) : inputType;
    this.kept = new KeptRows([inputType]);
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
    this.kept.addRows([data], groups, Int32Array.from(rows));
  }

  /** State: the kept values, one row per kept value, with their groups. */
  snapshot(): AccumulatorState {
    const { columns, groups } = this.kept.all();
    return { columns, groups };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    const groups = mappedGroups(groupMap, state.groups!);
    if (this.policy !== 'first') {
      this.kept.add([state.columns[0]], groups);
      return;
    }
    const taken = (this.taken = grown(this.taken, groupCount));
    const rows: number[] = [];
    for (let i = 0; i < groups.length; i++) if (!taken[groups[i]]) (taken[groups[i]] = 1, rows.push(i));
    this.kept.addRows([state.columns[0]], groups, Int32Array.from(rows));
  }

  result(groupCount: number): Data {
    const { columns: [values], groups } = this.kept.all();
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
}
