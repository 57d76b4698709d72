// W2: drop note, keep valid orders, derive year/month/amount_usd, Hive-partitioned snappy Parquet.
import { readOrders, ORDERS, freshOutput, result, writeSummary } from './common.mjs';

const out = freshOutput('sluice', 'w2');
const summary = await readOrders(ORDERS)
  .dropFields(['note'])
  .filter("amount IS NOT NULL AND status <> 'cancelled'")
  .withColumns({ year: 'year(ts)', month: 'month(ts)', amount_usd: 'amount * 1.1' })
  .write.parquet(out, { partitionKeys: ['year', 'month'], compression: 'snappy', mode: 'overwrite' });
result({ engine: 'sluice', workload: 'w2', ...writeSummary(summary) });
