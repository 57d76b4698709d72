// W2: drop note, keep valid orders, derive year/month/amount_usd, Hive-partitioned snappy Parquet.
import fs from 'node:fs';
import { pl, scanOrders, ORDERS, freshOutput, result } from './common.mjs';

const out = freshOutput('polars', 'w2');
const df = await scanOrders(ORDERS)
  .drop('note')
  .filter(pl.col('amount').isNotNull().and(pl.col('status').neq(pl.lit('cancelled'))))
  .withColumns(
    pl.col('ts').dt.year().alias('year'),
    pl.col('ts').dt.month().alias('month'),
    pl.col('amount').mul(1.1).alias('amount_usd'),
  )
  .collect();
// nodejs-polars has no partitioned sink: split in memory, one file per partition (Hive layout,
// partition columns only in the path).
let rows = 0;
for (const part of df.partitionBy(['year', 'month'], true, true)) {
  const dir = `${out}/year=${part.getColumn('year').get(0)}/month=${part.getColumn('month').get(0)}`;
  fs.mkdirSync(dir, { recursive: true });
  part.drop('year', 'month').writeParquet(`${dir}/part-0.parquet`, { compression: 'snappy' });
  rows += part.height;
}
result({ engine: 'polars', workload: 'w2', rows });
