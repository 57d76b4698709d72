// W1: orders.csv -> one snappy Parquet file (Polars' streaming sink, no full materialisation).
import { scanOrders, ORDERS, freshOutput, result } from './common.mjs';

const out = freshOutput('polars', 'w1');
await scanOrders(ORDERS).sinkParquet(`${out}/orders.parquet`, { compression: 'snappy' }).collect();
result({ engine: 'polars', workload: 'w1' });
