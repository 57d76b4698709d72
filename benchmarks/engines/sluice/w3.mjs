// W3: orders JOIN customers USING (customer_id), sum(amount) and count(*) by segment, country,
// sorted -> CSV.
import { sluice, readOrders, readCustomers, ORDERS, CUSTOMERS, freshOutput, result, writeSummary } from './common.mjs';

if (typeof sluice.DataFrame.prototype.groupBy !== 'function') {
  // A sluice built before GroupBy: the table shows this workload as n/a.
  result({ engine: 'sluice', workload: 'w3', unsupported: 'DataFrame.groupBy is not in this build of sluice' });
  process.exit(0);
}

const out = freshOutput('sluice', 'w3');
// Only the columns the query needs, as a Glue script would select them (DuckDB and Polars
// prune columns on their own).
const orders = readOrders(ORDERS).selectFields(['customer_id', 'country', 'amount']);
const customers = readCustomers(CUSTOMERS).selectFields(['customer_id', 'segment']);
const summary = await orders
  .join(customers, ['customer_id'], ['customer_id'])
  .groupBy('segment', 'country')
  .agg({ amount: ['sum', 'amount'], orders: ['count'] })
  .orderBy('segment', 'country')
  .write.csv(out, { mode: 'overwrite' });
result({ engine: 'sluice', workload: 'w3', ...writeSummary(summary) });
