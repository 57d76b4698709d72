import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamicFrame, F, GlueContext, Job, col, getResolvedOptions } from '../../src/index.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

const ORDERS = `order_id,customer_id,ts,amount,status,channel
1,c1,2024-03-01 10:00:00,10.50,paid,
2,c2,2024-03-01 11:30:00,20.00,paid,store
3,c1,2024-03-01 12:00:00,5.25,cancelled,web
4,c3,2024-03-02 09:00:00,7.00,paid,
5,c2,2024-03-02 10:00:00,3.50,shipped,store
6,c9,2024-03-02 18:45:00,1.00,paid,web
`;
const CUSTOMERS = [
  { customer_id: 'c1', email: '  Ann@Example.com ', country: 'FR' },
  { customer_id: 'c2', email: 'BOB@example.com', country: 'DE' },
  { customer_id: 'c2', email: 'bob-old@example.com', country: 'DE' },
  { customer_id: 'c3', email: null, country: 'FR' },
].map((r) => JSON.stringify(r)).join('\n');

describe('a PySpark-in-Glue script, ported line for line', () => {
  it('reads, leaves DynamicFrames for DataFrames, transforms with Spark methods and a UDF, comes back, writes', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'orders.csv'), ORDERS);
    await writeFile(join(dir, 'customers.json'), CUSTOMERS);
    const out = join(dir, 'daily');
    const args = getResolvedOptions(['node', 'job.ts', '--JOB_NAME', 'daily', '--ORDERS', join(dir, 'orders.csv'), '--CUSTOMERS', join(dir, 'customers.json'), '--OUTPUT', out],
      ['JOB_NAME', 'ORDERS', 'CUSTOMERS', 'OUTPUT']);
    const glueContext = new GlueContext();
    const job = new Job(glueContext);
    job.init(args.JOB_NAME, args);

    // --- the script body, as a PySpark Glue job writes it ---
    const ordersDyf = glueContext.createDynamicFrame.fromOptions({
      connectionType: 's3', connectionOptions: { paths: [args.ORDERS] }, format: 'csv', formatOptions: { withHeader: true }, transformationCtx: 'orders',
    });
    const customersDyf = glueContext.createDynamicFrame.fromOptions({
      connectionType: 's3', connectionOptions: { paths: [args.CUSTOMERS] }, format: 'json', transformationCtx: 'customers',
    });
    const orders = ordersDyf.toDF()
      .withColumn('order_date', F.to_date(col('ts')))
      .withColumn('amount', col('amount').cast('double'))
      .filter(col('status').neq('cancelled'))
      .na.fill({ channel: 'web' });
    const cleanEmail = F.udf((e: string | null) => (e ? e.trim().toLowerCase() : null), 'string');
    const customers = customersDyf.toDF()
      .withColumn('email', cleanEmail(col('email')))
      .dropDuplicates(['customer_id']);
    const daily = orders.join(customers, 'customer_id', 'left')
      .groupBy('order_date', 'channel')
      .agg(F.sum('amount').alias('revenue'), F.countDistinct('customer_id').alias('buyers'), F.count('*').alias('orders'), F.max('email').alias('last_email'))
      .orderBy(col('order_date'), col('revenue').desc());
    const result = DynamicFrame.fromDF(daily, glueContext, 'daily');
    await glueContext.writeDynamicFrame.fromOptions({
      frame: result, connectionType: 's3', connectionOptions: { path: args.OUTPUT }, format: 'parquet', transformationCtx: 'sink',
    });
    // Glue scripts end with job.commit(); here the test reads the output next, so it waits for the commit to publish.
    await job.commit();
    // --- end of the script body ---

    const written = await duck(`SELECT order_date::VARCHAR AS order_date, channel, revenue, buyers::INTEGER AS buyers, orders::INTEGER AS orders, last_email
      FROM read_parquet('${out}/*.parquet')`);
    expect(written).toEqual([
      { order_date: '2024-03-01', channel: 'store', revenue: 20, buyers: 1, orders: 1, last_email: 'bob@example.com' },
      { order_date: '2024-03-01', channel: 'web', revenue: 10.5, buyers: 1, orders: 1, last_email: 'ann@example.com' },
      { order_date: '2024-03-02', channel: 'web', revenue: 8, buyers: 2, orders: 2, last_email: null },
      { order_date: '2024-03-02', channel: 'store', revenue: 3.5, buyers: 1, orders: 1, last_email: 'bob@example.com' },
    ]);
    // The same query in DuckDB over the same files.
    const expected = await duck(`
      WITH o AS (SELECT customer_id, CAST(ts AS DATE) AS order_date, CAST(amount AS DOUBLE) AS amount, coalesce(channel, 'web') AS channel
                 FROM read_csv('${join(dir, 'orders.csv')}', header = true, all_varchar = true) WHERE status <> 'cancelled'),
           c AS (SELECT customer_id, lower(trim(first(email ORDER BY rowid))) AS email FROM (SELECT *, row_number() OVER () AS rowid FROM read_json('${join(dir, 'customers.json')}')) GROUP BY customer_id)
      SELECT order_date::VARCHAR AS order_date, channel, sum(amount) AS revenue, count(DISTINCT o.customer_id)::INTEGER AS buyers, count(*)::INTEGER AS orders, max(email) AS last_email
      FROM o LEFT JOIN c USING (customer_id) GROUP BY ALL ORDER BY order_date, revenue DESC`);
    expect(written).toEqual(expected);
  });
});
