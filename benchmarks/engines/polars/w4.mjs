// W4: scan this engine's own W1 Parquet, keep country = 'DE' AND amount > 100, count.
import { pl, outputOf, result } from './common.mjs';

const df = await pl.scanParquet(`${outputOf('polars', 'w1')}/orders.parquet`)
  .filter(pl.col('country').eq(pl.lit('DE')).and(pl.col('amount').gt(100)))
  .select(pl.len().alias('n'))
  .collect();
result({ engine: 'polars', workload: 'w4', count: Number(df.getColumn('n').get(0)) });
