// W1 or W2 run several times in one process: the first run pays the start-up of the worker
// threads and V8's tier-up of every hot function (in each thread); the later ones show the
// steady state a long-lived process (a warm Lambda, a scheduler) gets. Times exclude node's
// own start and the loading of sluice.
//   node benchmarks/warmRuns.mjs [w1|w2] [runs]      (uses bench-data/, writes bench-out/sluice/warm/)
import { readOrders, ORDERS, freshOutput } from './engines/sluice/common.mjs';

const workload = process.argv[2] ?? 'w1';
const runs = Number(process.argv[3] ?? 3);
if (workload !== 'w1' && workload !== 'w2') throw new Error(`workload must be w1 or w2, got ${workload}`);
for (let k = 0; k < runs; k++) {
  const started = performance.now();
  const out = freshOutput('sluice', 'warm');
  const orders = readOrders(ORDERS);
  if (workload === 'w1') await orders.write.parquet(out, { compression: 'snappy', mode: 'overwrite' });
  else {
    await orders
      .dropFields(['note'])
      .filter("amount IS NOT NULL AND status <> 'cancelled'")
      .withColumns({ year: 'year(ts)', month: 'month(ts)', amount_usd: 'amount * 1.1' })
      .write.parquet(out, { partitionKeys: ['year', 'month'], compression: 'snappy', mode: 'overwrite' });
  }
  console.log(`${workload} run ${k + 1}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
}

