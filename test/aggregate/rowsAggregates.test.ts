import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { finalize, mergePartials, partialAggregate, planAggregation, type GroupByParams } from '../../transforms/aggregate/partialAggregation.js';

const params: GroupByParams = {
  keys: ['g'],
  aggregations: [
    { name: 'first', fn: 'first', column: 'x' },
    { name: 'first_nn', fn: 'firstIgnoreNulls', column: 'x' },
    { name: 'last', fn: 'last', column: 'x' },
    { name: 'last_nn', fn: 'lastIgnoreNulls', column: 'x' },
    { name: 'all', fn: 'collectList', column: 'x' },
  ],
};

const rows = Array.from({ length: 40 }, (_, i) => ({ g: ['p', 'q', 'r'][i % 3], x: i % 4 === 0 ? null : `v${i}` }));

describe('first, last and collect_list in GroupBy', () => {
  it('merged from split partials in split order equal one pass', async () => {
    const batch = (await DataFrame.fromRows(rows, { g: 'string', x: 'string' }).toArrow()).batches[0];
    const plan = planAggregation(batch.schema, params);
    const single = finalize(plan, partialAggregate(plan, [batch]));
    const pieces = [batch.slice(0, 7), batch.slice(7, 20), batch.slice(20, 21), batch.slice(21)];
    const merged = finalize(plan, mergePartials(plan, pieces.map((p) => partialAggregate(plan, [p]))));
    const values = (b: typeof single) => b.schema.fields.map((f) => [...b.getChild(f.name)!].map((v) => (v && typeof v === 'object' ? [...(v as Iterable<unknown>)] : v)));
    expect(values(merged)).toEqual(values(single));
    const expectedFor = (g: string) => {
      const xs = rows.filter((r) => r.g === g).map((r) => r.x);
      const present = xs.filter((x) => x !== null);
      return [g, xs[0], present[0], xs[xs.length - 1], present[present.length - 1], present];
    };
    const table = values(single);
    const byGroup = table[0].map((_g, i) => table.map((col) => col[i]));
    expect(byGroup).toEqual(['p', 'q', 'r'].map(expectedFor));
  });
});
