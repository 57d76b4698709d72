// DuckDB peer (@duckdb/node-api): each workload is one SQL statement over read_csv/read_parquet.
import { DuckDBInstance } from '@duckdb/node-api';
export { ORDERS, CUSTOMERS, outputOf, freshOutput, result } from '../../lib/paths.mjs';

/** An in-memory database; threads default to the number of cores, DUCKDB_THREADS overrides. */
export async function connect() {
  const options = process.env.DUCKDB_THREADS ? { threads: process.env.DUCKDB_THREADS } : {};
  const db = await DuckDBInstance.create(':memory:', options);
  return db.connect();
}

/** The first value of the first row, as a number (COPY returns the rows written). */
export async function scalar(con, sql) {
  return Number((await con.runAndReadAll(sql)).getRows()[0][0]);
}

// Explicit schemas, as a Glue catalog table gives them: no sniffing of types.
export const ordersCsv = (file) => `read_csv('${file}', header = true, columns = {
  'order_id': 'INTEGER', 'customer_id': 'INTEGER', 'ts': 'TIMESTAMP', 'amount': 'DOUBLE',
  'status': 'VARCHAR', 'country': 'VARCHAR', 'note': 'VARCHAR'})`;
export const customersCsv = (file) => `read_csv('${file}', header = true, columns = {
  'customer_id': 'INTEGER', 'name': 'VARCHAR', 'segment': 'VARCHAR', 'signup_date': 'DATE'})`;
