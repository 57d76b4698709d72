// W1: orders.csv -> snappy Parquet (one part file: the plan has no reason to split it).
import { readOrders, ORDERS, freshOutput, result, writeSummary } from './common.mjs';

const out = freshOutput('sluice', 'w1');
const summary = await readOrders(ORDERS).write.parquet(out, { compression: 'snappy', mode: 'overwrite' });
result({ engine: 'sluice', workload: 'w1', ...writeSummary(summary) });
