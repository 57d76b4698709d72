import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { extractRegions } from '../../src/exec/parallel/planRegions.js';
import { bothWays, fn, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

async function setup(rows = 4000, bad: number[] = []) {
  const dir = await tempDir();
  const orders = join(dir, 'orders.csv');
  await writeFile(orders, ordersCsv(rows, { bad }));
  const customers = join(dir, 'customers.csv');
  const lines = ['customer_id,segment'];
  for (let c = 0; c < 500; c += 2) lines.push(`${c},${['retail', 'pro', 'vip'][c % 3]}`);
  await writeFile(customers, lines.join('\n') + '\n');
  return {
    orders: read.csv(orders, { withHeader: true, schema: ORDERS_SCHEMA }),
    customers: read.csv(customers, { withHeader: true, schema: { customer_id: 'int32', segment: 'string' } }),
  };
}

describe('which parts of a plan run per split', () => {
  it('scan → streaming transforms → probe side of a join is one region; closures and right joins stay inline', async () => {
    const { orders, customers } = await setup(10);
    const joined = orders.filter('amount > 1').join(customers, ['customer'], ['customer_id']).withColumns({ x: 'amount + 1' });
    expect(extractRegions(joined.plan).regions.map((r) => r.steps.map((s) => s.name))).toEqual([['Filter', 'Join', 'WithColumns']]);
    const grouped = joined.groupBy('segment').agg({ n: ['count'] });
    expect(extractRegions(grouped.plan).plan).toMatchObject({ name: 'sluice.ParallelGroupBy', transformationCtx: 'GroupBy' });
    // A closure cannot travel: the Map and everything above run inline; the scan below still splits.
    const closure = orders.map((r) => r).filter('amount > 1');
    expect(extractRegions(closure.plan).regions.map((r) => r.steps.length)).toEqual([0]);
    // A right join needs every split's matches: the probe side is a region of its own, the join runs inline.
    const right = orders.join(customers, ['customer'], ['customer_id'], 'right');
    expect(extractRegions(right.plan).regions).toHaveLength(2);
    expect(extractRegions(right.plan).plan).toMatchObject({ name: 'Join' });
  });
});

describe('parallel transforms equal single-threaded ones', () => {
  it('a join with a broadcast build side: same rows, same order', async () => {
    const { orders, customers } = await setup();
    for (const how of ['inner', 'left', 'semi', 'anti'] as const) {
      const frame = orders.filter('amount > 5').join(customers, ['customer'], ['customer_id'], how).withColumns({ big: 'amount > 200' });
      const { inline, parallel } = await bothWays(frame);
      expect(inline.rows.length).toBeGreaterThan(100);
      expect(parallel.rows).toEqual(inline.rows);
    }
  });

  it('GroupBy over splits: partial states merged in split order equal one aggregation', async () => {
    const { orders, customers } = await setup();
    const frame = orders
      .join(customers, ['customer'], ['customer_id'], 'left')
      .groupBy('segment', 'country')
      .agg({ n: ['count'], amounts: ['count', 'amount'], total: ['sum', 'id'], low: ['min', 'amount'], high: ['max', 'note'], customers: ['countDistinct', 'customer'] });
    const { inline, parallel } = await bothWays(frame);
    expect(inline.rows.length).toBeGreaterThanOrEqual(8);
    expect(parallel.rows).toEqual(inline.rows);
    // avg over floats adds partial sums in another order: equal up to rounding.
    const avg = orders.groupBy('country').agg({ mean: ['avg', 'amount'] });
    const both = await bothWays(avg);
    expect(both.inline.rows.map((r) => r.country).sort()).toEqual(['DE', 'ES', 'FR', 'ÎT']);
    expect(both.parallel.rows).toEqual(both.inline.rows.map((r) => ({ country: r.country, mean: expect.closeTo(r.mean as number, 9) })));
  });

  it('a Map module that throws on some rows gives the same error records', async () => {
    const { orders } = await setup(4000, [10, 2222]);
    const frame = orders.map(fn('failOnSevens'), { schema: { id: 'int32', label: 'string' } });
    const { inline, parallel } = await bothWays(frame);
    // Lines 11 and 2223 are malformed; 7, 14, … throw (2222 = 7 × 317.4…, so no overlap).
    expect(inline.errors.length).toBe(2 + Math.floor(4000 / 7));
    expect(inline.errors[0]).toMatchObject({ line: 11, node: 'scan csv' });
    // A batch's reader errors come before the Map's errors on the same batch.
    expect(inline.errors[1]).toMatchObject({ line: 2223 });
    expect(inline.errors[2]).toMatchObject({ message: 'Map function threw on this record: Error: id 7 is a multiple of 7', node: 'Map', record: { id: 7 } });
    // The same records, in the same order per node; how the nodes' records interleave follows
    // batch boundaries, and splits add boundaries (inline, this whole file is one batch).
    const byNode = (errors: typeof inline.errors) => ['scan csv', 'Map'].map((node) => errors.filter((e) => e.node === node));
    expect(byNode(parallel.errors)).toEqual(byNode(inline.errors));
    expect(parallel.errors).toHaveLength(inline.errors.length);
    expect(parallel.rows).toEqual(inline.rows);
  });

  it('error budgets count over all splits', async () => {
    const { orders } = await setup(4000);
    const frame = orders.map(fn('failOnSevens'), { schema: { id: 'int32', label: 'string' }, stageThreshold: 100 });
    await expect(frame.collect({ parallel: false })).rejects.toThrow(/^Map: \d+ error records exceed stageThreshold 100/);
    await expect(frame.collect(PARALLEL)).rejects.toThrow(/^Map: \d+ error records exceed stageThreshold 100/);
    const tolerant = orders.map(fn('failOnSevens'), { schema: { id: 'int32', label: 'string' }, stageThreshold: 1000 });
    expect((await tolerant.collect(PARALLEL)).errors).toHaveLength(571);
  });

  it('orderBy and limit above a region see the region in split order', async () => {
    const { orders } = await setup();
    const frame = orders.withColumns({ k: 'customer % 10' }).orderBy('k').limit(300);
    const { inline, parallel } = await bothWays(frame);
    expect(parallel.rows).toEqual(inline.rows);
    const values = DataFrame.fromRows([{ a: 1 }]);
    expect(await values.count(PARALLEL)).toBe(1);
  });
});
