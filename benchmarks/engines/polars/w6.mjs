// W6: scan the orders sorted by amount (one Parquet file, 65,536-row groups), keep amount > 497.5, count.
import { pl, result } from './common.mjs';
import { ORDERS_BY_AMOUNT, W6_MIN_AMOUNT } from '../../lib/paths.mjs';

const df = await pl.scanParquet(ORDERS_BY_AMOUNT)
  .filter(pl.col('amount').gt(W6_MIN_AMOUNT))
  .select(pl.len().alias('n'))
  .collect();
result({ engine: 'polars', workload: 'w6', count: Number(df.getColumn('n').get(0)) });
