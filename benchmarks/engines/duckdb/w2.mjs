// W2: drop note, keep valid orders, derive year/month/amount_usd, Hive-partitioned snappy Parquet.
import { connect, scalar, ordersCsv, ORDERS, freshOutput, result } from './common.mjs';

const out = freshOutput('duckdb', 'w2');
const con = await connect();
const rows = await scalar(con, `COPY (
    SELECT * EXCLUDE (note), year(ts) AS year, month(ts) AS month, amount * 1.1 AS amount_usd
    FROM ${ordersCsv(ORDERS)}
    WHERE amount IS NOT NULL AND status <> 'cancelled'
  ) TO '${out}' (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)`);
result({ engine: 'duckdb', workload: 'w2', rows });
