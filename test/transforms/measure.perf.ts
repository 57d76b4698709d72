/**
 * Timings for the report (not a test): `npx tsx test/transforms/measure.perf.ts`.
 * Join 2M × 200k rows on an int32 key, and Filter over 2M rows with an expression.
 */
import { Field, Float64, Int32, RecordBatch, Schema, makeData } from 'apache-arrow';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { makeBatch } from '../../src/columns/take.js';

const BATCH = 65_536;

function frame(rows: number, key: (i: number) => number, value: (i: number) => number, names: [string, string]): DataFrame {
  const schema = new Schema([new Field(names[0], new Int32(), true), new Field(names[1], new Float64(), true)]);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows; start += BATCH) {
    const n = Math.min(BATCH, rows - start);
    const keys = new Int32Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = key(start + i);
      values[i] = value(start + i);
    }
    batches.push(makeBatch(schema, [
      makeData({ type: new Int32(), length: n, nullCount: 0, data: keys }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: values }),
    ], n));
  }
  return DataFrame.fromBatches(schema, batches);
}

async function time(label: string, run: () => Promise<number>): Promise<void> {
  await run(); // warm-up
  const runs: number[] = [];
  let rows = 0;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    rows = await run();
    runs.push(performance.now() - t);
  }
  console.log(`${label}: ${rows} rows out, best ${Math.min(...runs).toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(', ')})`);
}

const facts = frame(2_000_000, (i) => (i * 7919) % 250_000, (i) => i * 0.5, ['customer_id', 'amount']);
const dims = frame(200_000, (i) => i, (i) => i % 97, ['id', 'score']);
await time('Join inner 2M x 200k (int32 key)', () => facts.join(dims, ['customer_id'], ['id']).count());
await time('Join left 2M x 200k (int32 key)', () => facts.join(dims, ['customer_id'], ['id'], 'left').count());
await time('Filter 2M rows: amount > 250000 AND customer_id % 3 = 0', () => facts.filter('amount > 250000 AND customer_id % 3 = 0').count());
