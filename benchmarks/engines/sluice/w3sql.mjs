// W3 as one SQL statement (session.sql): the same join + group-by + sort -> CSV as w3.mjs, to
// compare the SQL front end's plan with the fluent one. Not a workload of run.mjs: time it
// against w3.mjs with farm-bench (see benchmarks/README.md, "W3 in SQL").
import { sluice, readOrders, readCustomers, ORDERS, CUSTOMERS, freshOutput, result, writeSummary } from './common.mjs';

const out = freshOutput('sluice', 'w3sql');
const session = new sluice.SqlSession({ tables: { orders: readOrders(ORDERS), customers: readCustomers(CUSTOMERS) } });
const frame = await session.sql(`
  SELECT segment, country, sum(amount) AS amount, count(*) AS orders
  FROM orders JOIN customers USING (customer_id)
  GROUP BY segment, country
  ORDER BY segment, country`);
const summary = await frame.write.csv(out, { mode: 'overwrite' });
result({ engine: 'sluice', workload: 'w3sql', ...writeSummary(summary) });
