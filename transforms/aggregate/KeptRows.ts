import type { Data, DataType } from 'apache-arrow';
import { concatData } from '../../src/columns/concat.js';
import { nullColumn } from '../../src/columns/nullColumn.js';
import { takeData } from '../../src/columns/take.js';

/**
 * Input rows an aggregate keeps whole (percentiles need every value; max_by its candidates):
 * Arrow chunks of one or more columns with each row's group, concatenated on demand. Any type
 * works and no value becomes a JS object; the state of a partial is these columns as they are.
 */
export class KeptRows {
  private chunks: Data[][] = [];
  private chunkGroups: Int32Array[] = [];
  private rows = 0;

  constructor(private readonly types: readonly DataType[]) {}

  get length(): number {
    return this.rows;
  }

  /** Keeps `indices` of `columns`, whose groups are `groups[indices[i]]`. */
  addRows(columns: readonly Data[], groups: Int32Array, indices: Int32Array): void {
    if (indices.length === 0) return;
    this.add(columns.map((c) => takeData(c, indices)), indices.map((i) => groups[i]));
  }

  /** Keeps whole columns, row i in group `groups[i]`. */
  add(columns: Data[], groups: Int32Array): void {
    if (groups.length === 0) return;
    this.chunks.push(columns);
    this.chunkGroups.push(groups);
    this.rows += groups.length;
  }

  /** Every kept row: the columns concatenated, with their groups. */
  all(): { columns: Data[]; groups: Int32Array } {
    if (this.chunks.length !== 1) {
      const columns = this.types.map((type, k) => (this.chunks.length ? concatData(this.chunks.map((c) => c[k])) : nullColumn(type, 0)));
      const groups = new Int32Array(this.rows);
      let at = 0;
      for (const g of this.chunkGroups) (groups.set(g, at), (at += g.length));
      this.chunks = [columns];
      this.chunkGroups = [groups];
    }
    return { columns: this.chunks[0], groups: this.chunkGroups[0] };
  }

  /** Replaces the kept rows with `columns`/`groups` (after an aggregate pruned them). */
  reset(columns: Data[], groups: Int32Array): void {
    this.chunks = [columns];
    this.chunkGroups = [groups];
    this.rows = groups.length;
  }
}

/** The groups of a partial's kept rows, mapped to ours. */
export function mappedGroups(groupMap: Int32Array, theirs: Int32Array): Int32Array {
  const groups = new Int32Array(theirs.length);
  for (let i = 0; i < theirs.length; i++) groups[i] = groupMap[theirs[i]];
  return groups;
}

/** Row numbers of `data` whose value is not null. */
export function validRows(data: Data, nulls: Uint8Array | null): Int32Array {
  if (!nulls) {
    const all = new Int32Array(data.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    return all;
  }
  const rows: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const j = data.offset + i;
    if ((nulls[j >> 3] & (1 << (j & 7))) !== 0) rows.push(i);
  }
  return Int32Array.from(rows);
}
