// W3: orders JOIN customers USING (customer_id), sum(amount) and count(*) by segment, country -> CSV.
import { pl, ordersSchema, scanCustomers, ORDERS, CUSTOMERS, freshOutput, result } from './common.mjs';

const out = freshOutput('polars', 'w3');
// ts is not used here, so it stays unparsed text (as in the reference peer)
const orders = pl.scanCSV(ORDERS, { schema: ordersSchema });
const df = await orders
  .join(scanCustomers(CUSTOMERS), { on: 'customer_id', how: 'inner' })
  .groupBy(['segment', 'country'])
  .agg(pl.col('amount').sum().alias('amount'), pl.len().alias('orders'))
  .sort(['segment', 'country'])
  .collect();
df.writeCSV(`${out}/result.csv`);
result({ engine: 'polars', workload: 'w3', rows: df.height });
