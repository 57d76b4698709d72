// W1: orders.csv -> one snappy Parquet file.
import { connect, scalar, ordersCsv, ORDERS, freshOutput, result } from './common.mjs';

const out = freshOutput('duckdb', 'w1');
const con = await connect();
const rows = await scalar(con, `COPY (SELECT * FROM ${ordersCsv(ORDERS)})
  TO '${out}/orders.parquet' (FORMAT parquet, COMPRESSION snappy)`);
result({ engine: 'duckdb', workload: 'w1', rows });
