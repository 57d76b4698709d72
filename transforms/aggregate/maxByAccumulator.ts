import type { Data, DataType } from 'apache-arrow';
import { takeNullable } from '../../src/columns/takeNullable.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { isSortable, sortDigits } from '../sort/sortDigits.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { KeptRows, mappedGroups, validRows } from './KeptRows.js';
import { nullsOf } from './physical.js';

/**
 * max_by(x, ord) and min_by(x, ord): the x of the row with the largest (smallest) ord per group.
 * Rows whose ord is null are skipped; the chosen row's x may be null. Among rows with equal ord
 * the first in input order (in parallel runs, split order) wins, as Spark's strict comparison
 * gives within a partition. Each batch and each partial is reduced to one candidate row per
 * group (x and ord columns, compared by their sort digits), so the state stays one row a group.
 */
export class MaxByAccumulator implements Accumulator {
  readonly resultType: DataType;
  private readonly kept: KeptRows;

  constructor(valueType: DataType, orderType: DataType, private readonly isMax: boolean, names: { column: string; by: string }) {
    if (!isSortable(orderType)) {
      throw new SluiceError(`cannot compute ${isMax ? 'max_by' : 'min_by'}('${names.column}', '${names.by}'): '${names.by}' has type ${orderType}, which has no order`);
    }
    this.resultType = valueType;
    this.kept = new KeptRows([valueType, orderType]);
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number, by?: Data): void {
    const ord = by!;
    const rows = validRows(ord, nullsOf(ord));
    const candidates = best([column!, ord], groups, rows, groupCount, this.isMax);
    this.kept.add(candidates.columns, candidates.groups);
  }

  snapshot(groupCount: number): AccumulatorState {
    this.compact(groupCount);
    const { columns, groups } = this.kept.all();
    return { columns, groups };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.kept.add(state.columns, mappedGroups(groupMap, state.groups!));
    if (this.kept.length > 4 * groupCount + 1024) this.compact(groupCount);
  }

  result(groupCount: number): Data {
    this.compact(groupCount);
    const { columns: [values], groups } = this.kept.all();
    const pick = new Int32Array(groupCount).fill(-1);
    for (let i = 0; i < groups.length; i++) pick[groups[i]] = i;
    return takeNullable(values, pick);
  }

  /** Reduces the kept candidates to one per group. */
  private compact(groupCount: number): void {
    const { columns, groups } = this.kept.all();
    const all = new Int32Array(groups.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    const reduced = best(columns, groups, all, groupCount, this.isMax);
    this.kept.reset(reduced.columns, reduced.groups);
  }
}

/**
 * Of `rows` (ascending row numbers of `columns`), the first row with the best ord (columns[1])
 * in each group, taken from every column, with its group.
 */
function best(columns: Data[], groups: Int32Array, rows: Int32Array, groupCount: number, isMax: boolean): { columns: Data[]; groups: Int32Array } {
  const digits = sortDigits(columns[1], { column: '', descending: isMax });
  const winner = new Int32Array(groupCount).fill(-1);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    const g = groups[i];
    const current = winner[g];
    if (current < 0) {
      winner[g] = i;
      continue;
    }
    for (let d = 0; d < digits.length; d++) {
      const a = digits[d][i];
      const b = digits[d][current];
      if (a === b) continue;
      if (a < b) winner[g] = i;
      break;
    }
  }
  const picked: number[] = [];
  const pickedGroups: number[] = [];
  for (let g = 0; g < groupCount; g++) if (winner[g] >= 0) (picked.push(winner[g]), pickedGroups.push(g));
  const indices = Int32Array.from(picked);
  return { columns: columns.map((c) => takeNullable(c, indices)), groups: Int32Array.from(pickedGroups) };
}
