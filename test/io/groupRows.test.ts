import { Dictionary, Int32, Int8, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { groupRows } from '../../src/io/partitioning/groupRows.js';
import { batchOf, column } from './helpers.js';

/** The groups as plain data: what a reference built from each row's values must give. */
const plainGroups = (batch: RecordBatch, keys: number[]) => groupRows(batch, keys).groups.map((g) => ({ values: g.values, rows: Array.from(g.indices) }));

/** Reference: rows grouped by their key values as text, groups in first-seen order. */
function reference(keyValues: unknown[][]) {
  const groups = new Map<string, { values: (string | null)[]; rows: number[] }>();
  keyValues[0].forEach((_, row) => {
    const values = keyValues.map((column) => (column[row] === null ? null : String(column[row])));
    const key = JSON.stringify(values);
    if (!groups.has(key)) groups.set(key, { values, rows: [] });
    groups.get(key)!.rows.push(row);
  });
  return [...groups.values()];
}

let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

describe('groupRows', () => {
  it('groups narrow int keys with nulls and negatives, in first-seen order', () => {
    const year = [2024, null, 2023, 2024, -5, null, 2023, -5, 2024];
    const month = [5, 5, 12, 5, 1, null, 12, 1, 6];
    const batch = batchOf({ year: column(year, new Int32()), month: column(month, new Int32()) });
    expect(plainGroups(batch, [0, 1])).toEqual(reference([year, month]));
    expect(plainGroups(batch, [1])).toEqual(reference([month]));
  });

  it('groups by a key of one value before, between or after others (one year, many months)', () => {
    const year = [2024, 2024, 2024, 2024, 2024, 2024];
    const month = [3, 1, 3, null, 1, 2];
    const day = [1, 1, 2, 1, 1, 1];
    const batch = batchOf({ year: column(year, new Int32()), month: column(month, new Int32()), day: column(day, new Int32()) });
    expect(plainGroups(batch, [0, 1])).toEqual(reference([year, month]));
    expect(plainGroups(batch, [1, 0])).toEqual(reference([month, year]));
    expect(plainGroups(batch, [0, 1, 0, 2])).toEqual(reference([year, month, year, day]));
    expect(plainGroups(batch, [0])).toEqual(reference([year]));
  });

  it('groups wide int ranges, dictionary and string keys', () => {
    const n = 3000;
    const wide = Array.from({ length: n }, () => (random() < 0.05 ? null : Math.floor(random() * 8) * 500_000_003 - 2 ** 31 + 1));
    const words = Array.from({ length: n }, () => (random() < 0.05 ? null : ['a', 'b', 'é', ''][Math.floor(random() * 4)]));
    const small = Array.from({ length: n }, () => Math.floor(random() * 3));
    const batch = batchOf({
      wide: column(wide, new Int32()),
      dict: column(words, new Dictionary(new Utf8(), new Int32())),
      text: column(words, new Utf8()),
      tiny: column(small, new Int8()),
    });
    expect(plainGroups(batch, [0, 1])).toEqual(reference([wide, words]));
    expect(plainGroups(batch, [2, 3, 0])).toEqual(reference([words, small, wide]));
  });

  it('keeps combinations apart past 2^31 (distinct values times distinct values)', () => {
    const n = 50_000;
    const a = Array.from({ length: n }, (_, i) => i);
    const b = Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const batch = batchOf({ a: column(a, new Int32()), b: column(b, new Int32()) });
    const { groups } = groupRows(batch, [0, 1]);
    expect(groups.length).toBe(n);
    expect(groups.every((g, k) => g.indices.length === 1 && g.indices[0] === k && g.values[1] === String(b[k]))).toBe(true);
  });
});
