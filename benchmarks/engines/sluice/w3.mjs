// W3: orders JOIN customers USING (customer_id), sum(amount) and count(*) by segment, country,
// sorted -> CSV.
import { sluice, readOrders, readCustomers, ORDERS, CUSTOMERS, freshOutput, result, writeSummary } from './common.mjs';

if (typeof sluice.DataFrame.prototype.groupBy !== 'function') {
  // A sluice built before GroupBy: the table shows this workload as n/a.
  result({ engine: 'sluice', workload: 'w3', unsupported: 'DataFrame.groupBy is not in this build of sluice' });
  process.exit(0);
}

const out = freshOutput('sluice', 'w3');
// No column selection by hand: projection push-down through the join reads only customer_id,
// country and amount of orders, and customer_id and segment of customers.
const orders = readOrders(ORDERS);
const customers = readCustomers(CUSTOMERS);
const summary = await orders
  .join(customers, ['customer_id'], ['customer_id'])
  .groupBy('segment', 'country')
  .agg({ amount: ['sum', 'amount'], orders: ['count'] })
  .orderBy('segment', 'country')
  .write.csv(out, { mode: 'overwrite' });
result({ engine: 'sluice', workload: 'w3', ...writeSummary(summary) });
