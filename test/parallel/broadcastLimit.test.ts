import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { ProgressTracker, runWithProgress } from '../../src/exec/progress.js';
import { batchToIpc } from '../../src/exec/parallel/arrowWire.js';
import { INLINE, PARALLEL, rowsOf } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());
afterEach(() => {
  delete process.env.SLUICE_BROADCAST_LIMIT;
});

/**
 * orders (id, customer) and customers (customer_id, segment) where every third customer exists:
 * the expected join is known without running one.
 */
async function setup() {
  const dir = await tempDir();
  const orders = join(dir, 'orders.csv');
  const customers = join(dir, 'customers.csv');
  await writeFile(orders, ['id,customer', ...Array.from({ length: 3000 }, (_, i) => `${i + 1},${(i * 7) % 300}`)].join('\n') + '\n');
  await writeFile(customers, ['customer_id,segment', ...Array.from({ length: 100 }, (_, c) => `${c * 3},seg-${c * 3}`)].join('\n') + '\n');
  const expected = Array.from({ length: 3000 }, (_, i) => ({ id: i + 1, customer: (i * 7) % 300 }))
    .filter((o) => o.customer % 3 === 0)
    .map((o) => ({ ...o, customer_id: o.customer, segment: `seg-${o.customer}` }));
  const frame = read.csv(orders, { withHeader: true, schema: { id: 'int32', customer: 'int32' } })
    .join(read.csv(customers, { withHeader: true, schema: { customer_id: 'int32', segment: 'string' } }), ['customer'], ['customer_id']);
  const customersFrame = read.csv(customers, { withHeader: true, schema: { customer_id: 'int32', segment: 'string' } });
  return { frame, expected, customers: customersFrame };
}

/** Collects the join with the parallel settings, counting the splits the probe side ran as. */
async function collect(frame: Awaited<ReturnType<typeof setup>>['frame']) {
  const tracker = new ProgressTracker();
  const { table } = await runWithProgress(tracker, () => frame.collect(PARALLEL));
  const rows = (await rowsOf(table)).map((r) => ({ id: Number(r.id), customer: Number(r.customer), customer_id: Number(r.customer_id), segment: r.segment }));
  return { rows: rows.sort((a, b) => a.id - b.id), splits: tracker.snapshot().splitsTotal };
}

describe('the broadcast-join limit (SLUICE_BROADCAST_LIMIT)', () => {
  it('a build side within the limit is broadcast: the probe side runs in splits', async () => {
    const { frame, expected } = await setup();
    const result = await collect(frame);
    expect(expected.length).toBe(1000);
    expect(result.rows).toEqual(expected);
    expect(result.splits).toBeGreaterThan(3);
  });

  it('a build side past the limit falls back to an inline join, with the same rows; at the limit it is broadcast', async () => {
    const { frame, expected, customers } = await setup();
    // The build side's size as broadcastBuildSide measures it: Arrow data while collecting, then its IPC form.
    const { table } = await customers.collect(INLINE);
    expect(table.batches).toHaveLength(1);
    const dataBytes = table.batches[0].data.byteLength;
    const ipcBytes = batchToIpc(table.batches[0]).byteLength;
    expect(ipcBytes).toBeGreaterThan(dataBytes);

    process.env.SLUICE_BROADCAST_LIMIT = String(dataBytes - 1); // refused while collecting
    const refused = await collect(frame);
    expect(refused.rows).toEqual(expected);
    expect(refused.splits).toBe(0); // the region ran inline: no split of the probe side
    process.env.SLUICE_BROADCAST_LIMIT = String(ipcBytes - 1); // collected, refused in its IPC form
    expect(await collect(frame)).toEqual(refused);
    process.env.SLUICE_BROADCAST_LIMIT = String(ipcBytes); // exactly at the limit: broadcast
    const broadcast = await collect(frame);
    expect(broadcast.rows).toEqual(expected);
    expect(broadcast.splits).toBeGreaterThan(3);
  });

  it('an invalid SLUICE_BROADCAST_LIMIT is an error naming it', async () => {
    const { frame } = await setup();
    process.env.SLUICE_BROADCAST_LIMIT = 'lots';
    await expect(frame.collect(PARALLEL)).rejects.toThrow("SLUICE_BROADCAST_LIMIT must be a whole number of bytes, got 'lots'");
  });
});
