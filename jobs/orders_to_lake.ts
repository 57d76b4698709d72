// The orders-to-lake job as a Glue-shaped TypeScript script: it ports from a Glue PySpark job
// nearly line for line.  Run:  npx sluice run jobs/orders_to_lake.ts --JOB_NAME orders --INPUT demo-data/orders.csv --OUTPUT lake/orders_ts
import { DropFields, Filter, GlueContext, Job, WithColumns, getResolvedOptions } from 'sluice';

const args = getResolvedOptions(process.argv, ['JOB_NAME', 'INPUT', 'OUTPUT']);
const glueContext = new GlueContext();
const job = new Job(glueContext);
job.init(args.JOB_NAME, args);

const orders = glueContext.createDynamicFrame.fromOptions({
  connectionType: 'file',
  connectionOptions: { paths: [args.INPUT] },
  format: 'csv',
  formatOptions: { withHeader: true },
  schema: { order_id: 'int32', customer_id: 'int32', ts: 'timestamp', amount: 'float64', status: 'string', country: 'string', note: 'string' },
  transformationCtx: 'orders',
});

const clean = DropFields.apply({ frame: orders, paths: ['note'], transformationCtx: 'clean' });
const valid = Filter.apply({ frame: clean, f: "amount IS NOT NULL AND status <> 'cancelled'", transformationCtx: 'valid' });
const enriched = WithColumns.apply({ frame: valid, columns: { year: 'year(ts)', month: 'month(ts)', amount_usd: 'amount * 1.1' } });

const summary = await glueContext.writeDynamicFrame.fromOptions({
  frame: enriched,
  connectionType: 'file',
  connectionOptions: { path: args.OUTPUT, partitionKeys: ['year', 'month'] },
  format: 'parquet',
  transformationCtx: 'sink',
});
console.log(`orders_to_lake.ts: ${summary.rows} rows in ${summary.files.length} files, ${summary.errors.length} error records`);
await job.commit();
