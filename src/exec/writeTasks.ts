import type { RecordBatch } from 'apache-arrow';
import { TASK_END } from '../io/partitioning/writePartitioned.js';

/**
 * The rows of a frame as `n` write tasks (Spark partitions), each ended by TASK_END so it writes
 * its own part files: contiguous ranges of equal size (±1 row), in row order. Spark deals
 * `repartition(n)` rows round-robin; the counts per task are the same, and a Hive folder gets a
 * file from each task that holds its rows rather than from all n. The frame is held in memory
 * (Spark's shuffle holds it on disk).
 */
export async function* writeTasks(batches: AsyncIterable<RecordBatch>, n: number): AsyncIterable<RecordBatch | typeof TASK_END> {
  const all: RecordBatch[] = [];
  let total = 0;
  for await (const batch of batches) {
    if (batch.numRows === 0) continue;
    all.push(batch);
    total += batch.numRows;
  }
  const tasks = Math.min(n, total);
  let batchIndex = 0;
  let offset = 0; // into all[batchIndex]
  for (let task = 0; task < tasks; task++) {
    let want = Math.floor(((task + 1) * total) / tasks) - Math.floor((task * total) / tasks);
    while (want > 0) {
      const batch = all[batchIndex];
      const take = Math.min(want, batch.numRows - offset);
      yield take === batch.numRows ? batch : batch.slice(offset, offset + take);
      want -= take;
      offset += take;
      if (offset === batch.numRows) (batchIndex++, (offset = 0));
    }
    yield TASK_END;
  }
}
