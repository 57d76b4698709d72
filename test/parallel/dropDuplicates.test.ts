import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { extractRegions } from '../../src/exec/parallel/planRegions.js';
import { bothWays, ORDERS_SCHEMA, ordersCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

describe('DropDuplicates over splits, through its partial form', () => {
  it('keeps the first row of each key, in input order, as a single pass does', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(4000, { bad: [7, 2500] }));
    const orders = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const byCustomer = orders.filter('amount > 1').dropDuplicates(['customer', 'country']);
    const { plan, regions } = extractRegions(byCustomer.plan);
    expect(plan).toMatchObject({ name: 'sluice.ParallelDropDuplicates', transformationCtx: 'DropDuplicates' });
    expect(regions.map((r) => r.steps.map((s) => s.name))).toEqual([['Filter']]);
    const { inline, parallel } = await bothWays(byCustomer);
    expect(inline.rows.length).toBeGreaterThan(200);
    expect(inline.rows.length).toBeLessThan(1000);
    expect(parallel.rows).toEqual(inline.rows);
    expect(parallel.errors.map((e) => e.line)).toEqual(inline.errors.map((e) => e.line));
    expect(parallel.schema.names).toEqual(inline.schema.names);

    const whole = await bothWays(orders.dropDuplicates());
    expect(whole.parallel.rows).toEqual(whole.inline.rows);
    expect(whole.inline.rows.length).toBe(3998);
  });
});
