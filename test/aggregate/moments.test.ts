import { describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { finalize, mergePartials, partialAggregate, planAggregation, type GroupByParams } from '../../transforms/aggregate/partialAggregation.js';
import { duck } from '../support/duck.js';

const params: GroupByParams = {
  keys: ['g'],
  aggregations: [
    { name: 'var_samp', fn: 'variance', column: 'x' },
    { name: 'var_pop', fn: 'variancePop', column: 'x' },
    { name: 'sd_samp', fn: 'stddev', column: 'x' },
    { name: 'sd_pop', fn: 'stddevPop', column: 'x' },
  ],
};

/** g cycles a, b, c, d; x has nulls, and group d holds one value (the sample forms are null there). */
const rows = Array.from({ length: 600 }, (_, i) => ({
  g: i < 599 ? ['a', 'b', 'c'][(i + 2) % 3] : 'd', // groups appear in the order c, a, b, d
  x: i % 17 === 0 ? null : ((i * 7919) % 1000) / 8 + 1e6,
}));

async function batchOf(): Promise<RecordBatch> {
  const table = await DataFrame.fromRows(rows, { g: 'string', x: 'float64' }).toArrow();
  return table.batches[0];
}

function column(batch: RecordBatch, name: string): unknown[] {
  return [...batch.getChild(name)!];
}

describe('variance and stddev aggregates', () => {
  it('agree with DuckDB, single pass and merged from pieces in any order', async () => {
    const batch = await batchOf();
    const plan = planAggregation(batch.schema, params);
    const single = finalize(plan, partialAggregate(plan, [batch]));
    const pieces = [batch.slice(0, 100), batch.slice(100, 350), batch.slice(350)].map((b) => partialAggregate(plan, [b]));
    const merged = finalize(plan, mergePartials(plan, [...pieces].reverse()));
    const values = rows.map((r) => `('${r.g}', ${r.x ?? 'NULL'})`).join(', ');
    const expected = await duck(`SELECT g, var_samp(x) AS a, var_pop(x) AS b, stddev_samp(x) AS c, stddev_pop(x) AS d FROM (VALUES ${values}) t(g, x) GROUP BY g`);
    expect(column(single, 'g')).toEqual(['c', 'a', 'b', 'd']); // order of first appearance
    for (const result of [single, merged]) {
      const groups = column(result, 'g');
      expect([...groups].sort()).toEqual(['a', 'b', 'c', 'd']);
      expected.forEach((row) => {
        const i = groups.indexOf(row.g);
        const near = (ours: unknown, theirs: unknown) => {
          if (theirs === null) expect(ours).toBeNull();
          else expect(ours as number).toBeCloseTo(theirs as number, 6);
        };
        near(column(result, 'var_samp')[i], row.a);
        near(column(result, 'var_pop')[i], row.b);
        near(column(result, 'sd_samp')[i], row.c);
        near(column(result, 'sd_pop')[i], row.d);
      });
    }
    expect(expected.length).toBe(4);
    expect(column(single, 'var_samp')[3]).toBeNull();
    expect(column(single, 'var_pop')[3]).toBe(0);
  });
});
