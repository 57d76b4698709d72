// Orders CSV landing in a bucket → a Parquet lake partitioned by year and month, in AWS Lambda.
// Wire the function to the bucket's ObjectCreated notifications (directly, through SQS, or
// EventBridge); each invocation reads the objects the event names, and publishes their rows and
// the record that they were processed in one commit, so a re-delivered event writes nothing twice.
//
//   LAKE_PATH         where the lake is written (default ./lake/orders_lambda)
//   SLUICE_STATE_DIR  the job's bookmark state; in Lambda a folder that outlives the instance (EFS)
//   SLUICE_LOCAL_S3   (local runs) a folder holding <bucket>/<key> files, read instead of S3
//   SLUICE_SOURCES    the buckets/prefixes the function reads (default s3://demo-data/)
//
// Bundle and run it locally: see docs/lambda.md.
import { resolve, sep } from 'node:path';
import { read } from 'sluice';
import { createS3EventHandler } from 'sluice/lambda';

const localBuckets = process.env.SLUICE_LOCAL_S3;

export const handler = createS3EventHandler(
  async ({ inputs, write, params }) => {
    const orders = read.csv(inputs, {
      pathMode: 'literal', // each input is exactly the object the event named: no glob, no prefix
      withHeader: true,
      schema: { order_id: 'int32', customer_id: 'int32', ts: 'timestamp', amount: 'float64', status: 'string', country: 'string', note: 'string' },
    });
    const lake = orders
      .dropFields(['note'])
      .filter("amount IS NOT NULL AND status <> 'cancelled'")
      .withColumns({ year: 'year(ts)', month: 'month(ts)', amount_usd: 'amount * 1.1' });
    const written = await write(lake, { format: 'parquet', path: params.LAKE_PATH, partitionKeys: ['year', 'month'], compression: 'snappy' });
    return { lakeRows: written.rows };
  },
  {
    jobName: 'orders_to_lake_lambda',
    sources: (process.env.SLUICE_SOURCES ?? 's3://demo-data/').split(','),
    params: { LAKE_PATH: process.env.LAKE_PATH ?? 'lake/orders_lambda' },
    ...(localBuckets ? { resolveObject: (bucket: string, key: string) => localObject(localBuckets, bucket, key) } : {}),
  },
);

/** <root>/<bucket>/<key>, refusing a bucket or key that would climb out of <root> (`..`, `/`). */
function localObject(root: string, bucket: string, key: string): string {
  const base = resolve(root);
  const path = resolve(base, bucket, key);
  if (bucket.includes('/') || !path.startsWith(base + sep)) throw new Error(`refusing s3://${bucket}/${key}: it resolves outside ${base}`);
  return path;
}
