import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { read } from '../../src/index.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { pushDownProjection } from '../../src/plan/pushDownProjection.js';
import type { PlanNode, ScanNode } from '../../src/plan/PlanNode.js';
import { bothWays, INLINE, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

/** The scan at the bottom of a one-input chain. */
function scanOf(plan: PlanNode): ScanNode {
  while (plan.kind === 'transform') plan = plan.inputs[0];
  if (plan.kind !== 'scan') throw new Error('no scan');
  return plan;
}

async function ordersFile(rows = 3000) {
  const dir = await tempDir();
  const file = join(dir, 'orders.csv');
  await writeFile(file, ordersCsv(rows));
  return file;
}

// `note` holds text in every row: declared int32, each row would be an error record if it were parsed.
const NOTE_AS_INT = { ...ORDERS_SCHEMA, note: 'int32' };

describe('dropped columns are checked, not read', () => {
  it('DropFields makes its top-level paths stub columns of the scan, through row filters that do not read them', async () => {
    const file = await ordersFile(10);
    const orders = read.csv(file, { withHeader: true, schema: ORDERS_SCHEMA });
    const all = scanOf(pushDownProjection(orders.dropFields(['note']).plan));
    expect(all.stubColumns).toEqual(['note']);
    expect(all.columns).toBeUndefined();

    const projected = scanOf(pushDownProjection(orders.filter('amount > 1').dropFields(['note']).selectFields(['id']).plan));
    expect(projected.stubColumns).toEqual(['note']);
    expect(projected.columns).toEqual(['id', 'amount', 'note']);

    // Read below: by a filter's condition, by a step that is not a row filter, or a struct's child.
    expect(scanOf(pushDownProjection(orders.filter("note <> 'x'").dropFields(['note']).plan)).stubColumns).toBeUndefined();
    expect(scanOf(pushDownProjection(orders.withColumns({ n: 'id + 1' }).dropFields(['note']).plan)).stubColumns).toBeUndefined();
    expect(scanOf(pushDownProjection(orders.dropFields(['note.x']).plan)).stubColumns).toBeUndefined();
  });

  it('gives the same rows inline and on splits, and never parses the dropped values', async () => {
    const file = await ordersFile();
    const orders = read.csv(file, { withHeader: true, schema: NOTE_AS_INT });
    // Parsed, every note is an error record.
    const parsed = await orders.collect(INLINE);
    expect(parsed.errors.length).toBeGreaterThan(2000);

    const kept = orders.filter('amount IS NOT NULL').dropFields(['note']);
    const { inline, parallel } = await bothWays(kept, PARALLEL);
    expect(inline.errors).toEqual([]);
    expect(parallel.errors).toEqual([]);
    expect(inline.schema.names).toEqual(['id', 'customer', 'amount', 'country']);
    expect(parallel.rows).toEqual(inline.rows);
    // Rows with an amount: every id but multiples of 11.
    expect(inline.rows.length).toBe(3000 - Math.floor(3000 / 11));
    expect(inline.rows[0]).toEqual({ id: 1, customer: 7919 % 500, amount: 9.25, country: 'DE' });

    expect(await orders.dropFields(['note']).count(INLINE)).toBe(3000);
    expect(await orders.dropFields(['note']).count(PARALLEL)).toBe(3000);
    expect(await orders.dropFields(['note']).selectFields(['country']).count(PARALLEL)).toBe(3000);
  });

  it('a dropped struct column is read and dropped (only flat columns are stubs)', async () => {
    const dir = await tempDir();
    const file = join(dir, 'people.jsonl');
    const lines = Array.from({ length: 2000 }, (_, i) => JSON.stringify({ id: i, addr: { city: `c${i % 7}`, zip: i }, tag: `t${i % 3}` }));
    await writeFile(file, lines.join('\n') + '\n');
    const people = read.json(file).dropFields(['addr', 'tag']);
    expect(scanOf(pushDownProjection(people.plan)).stubColumns).toEqual(['addr', 'tag']);
    const { inline, parallel } = await bothWays(people, PARALLEL);
    expect(inline.rows).toEqual(Array.from({ length: 2000 }, (_, i) => ({ id: i })));
    expect(parallel.rows).toEqual(inline.rows);
  });

  it('a dropped column that is not there is still an error', async () => {
    const file = await ordersFile(10);
    const orders = read.csv(file, { withHeader: true, schema: ORDERS_SCHEMA });
    await expect(orders.dropFields(['nope']).toRows()).rejects.toThrow(/nope/);
  });
});
