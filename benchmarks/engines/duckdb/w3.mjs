// W3: orders JOIN customers USING (customer_id), sum(amount) and count(*) by segment, country -> CSV.
import { connect, scalar, ordersCsv, customersCsv, ORDERS, CUSTOMERS, freshOutput, result } from './common.mjs';

const out = freshOutput('duckdb', 'w3');
const con = await connect();
const rows = await scalar(con, `COPY (
    SELECT c.segment, o.country, sum(o.amount) AS amount, count(*) AS orders
    FROM ${ordersCsv(ORDERS)} o JOIN ${customersCsv(CUSTOMERS)} c USING (customer_id)
    GROUP BY c.segment, o.country
    ORDER BY c.segment, o.country
  ) TO '${out}/result.csv' (FORMAT csv, HEADER)`);
result({ engine: 'duckdb', workload: 'w3', rows });
