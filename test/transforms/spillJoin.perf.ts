/**
 * Timings for the report (not a test): `npx tsx test/transforms/spillJoin.perf.ts`.
 * Join 2M × 2M rows on an int32 key, in memory and spilled (Grace hash join over 16 partitions).
 */
import { Field, Float64, Int32, RecordBatch, Schema, makeData } from 'apache-arrow';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { makeBatch } from '../../src/columns/take.js';
import { Join } from '../../transforms/Join.js';

const BATCH = 65_536;
const ROWS = 2_000_000;

function frame(key: (i: number) => number, names: [string, string]): DataFrame {
  const schema = new Schema([new Field(names[0], new Int32(), true), new Field(names[1], new Float64(), true)]);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < ROWS; start += BATCH) {
    const n = Math.min(BATCH, ROWS - start);
    const keys = new Int32Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = key(start + i);
      values[i] = (start + i) * 0.5;
    }
    batches.push(makeBatch(schema, [
      makeData({ type: new Int32(), length: n, nullCount: 0, data: keys }),
      makeData({ type: new Float64(), length: n, nullCount: 0, data: values }),
    ], n));
  }
  return DataFrame.fromBatches(schema, batches);
}

const facts = frame((i) => (i * 7919) % ROWS, ['customer_id', 'amount']);
const dims = frame((i) => i, ['id', 'score']);
for (const [label, joinMemoryBytes] of [['in memory', undefined], ['spilled (joinMemoryBytes 1 MiB)', 1 << 20]] as const) {
  for (const how of ['inner', 'left'] as const) {
    const runs: number[] = [];
    let rows = 0;
    for (let k = 0; k < 3; k++) {
      const t = performance.now();
      rows = await Join.apply({ frame1: facts, frame2: dims, keys1: ['customer_id'], keys2: ['id'], how, ...(joinMemoryBytes ? { joinMemoryBytes } : {}) }).count({ parallel: false });
      runs.push(performance.now() - t);
    }
    console.log(`Join ${how} 2M x 2M int32, ${label}: ${rows} rows, best ${Math.min(...runs).toFixed(0)} ms (runs ${runs.map((r) => r.toFixed(0)).join(', ')})`);
  }
}
