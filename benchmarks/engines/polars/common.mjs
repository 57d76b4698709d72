// Polars peer (nodejs-polars): lazy scans with explicit schemas; ts is parsed from its ISO text.
import pl from 'nodejs-polars';
export { pl };
export { ORDERS, CUSTOMERS, outputOf, freshOutput, result } from '../../lib/paths.mjs';

// Explicit schemas, as a Glue catalog table gives them: no type inference.
export const ordersSchema = {
  order_id: pl.Int32, customer_id: pl.Int32, ts: pl.Utf8, amount: pl.Float64,
  status: pl.Utf8, country: pl.Utf8, note: pl.Utf8,
};
export const customersSchema = { customer_id: pl.Int32, name: pl.Utf8, segment: pl.Utf8, signup_date: pl.Utf8 };

// `2024-03-05T10:11:12Z` -> Datetime(ms), UTC wall clock (the same instant DuckDB's TIMESTAMP holds).
const parseTs = pl.col('ts').str.strptime(pl.Datetime('ms'), '%Y-%m-%dT%H:%M:%SZ');

export const scanOrders = (file) => pl.scanCSV(file, { schema: ordersSchema }).withColumns(parseTs);
export const scanCustomers = (file) => pl.scanCSV(file, { schema: customersSchema });
