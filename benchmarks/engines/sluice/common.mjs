// sluice, through its public API only (the built package: run `npm run build` first).
import fs from 'node:fs';
export { ORDERS, CUSTOMERS, outputOf, freshOutput, result } from '../../lib/paths.mjs';

const DIST = new URL('../../../dist/lib/index.js', import.meta.url);
if (!fs.existsSync(DIST)) {
  console.error(`sluice is not built: ${DIST.pathname} is missing; run \`npm run build\` first`);
  process.exit(2);
}
export const sluice = await import(DIST.href);

// Explicit schemas, as a Glue catalog table gives them: no inference.
export const ORDERS_SCHEMA = {
  order_id: 'int32', customer_id: 'int32', ts: 'timestamp', amount: 'float64',
  status: 'string', country: 'string', note: 'string',
};
export const CUSTOMERS_SCHEMA = { customer_id: 'int32', name: 'string', segment: 'string', signup_date: 'date' };

export const readOrders = (file) => sluice.read.csv(file, { withHeader: true, schema: ORDERS_SCHEMA });
export const readCustomers = (file) => sluice.read.csv(file, { withHeader: true, schema: CUSTOMERS_SCHEMA });

/** What a write reports, for the RESULT line (error records are bad input rows, and must be 0 here). */
export const writeSummary = (s) => ({ rows: s.rows, files: s.files.length, errors: s.errors.length });
