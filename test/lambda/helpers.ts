import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface ObjectSpec {
  bucket: string;
  key: string;
  etag?: string;
  size?: number;
  sequencer?: string;
}

/** S3 sends keys URL-encoded as a form value: space as `+`, everything else percent-encoded. */
export const encodeS3EventKey = (key: string) =>
  encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%2F/g, '/').replace(/%20/g, '+');

/** One S3 notification record, as S3 → Lambda delivers it. */
export function s3Record(o: ObjectSpec, eventName = 'ObjectCreated:Put') {
  return {
    eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'eu-west-1', eventTime: '2024-06-01T10:11:12.000Z', eventName,
    s3: {
      s3SchemaVersion: '1.0', configurationId: 'landing',
      bucket: { name: o.bucket, arn: `arn:aws:s3:::${o.bucket}` },
      object: { key: encodeS3EventKey(o.key), size: o.size ?? 100, eTag: o.etag ?? 'etag-1', sequencer: o.sequencer ?? '0066A1B2C3D4E5F601' },
    },
  };
}

export const s3Event = (...objects: ObjectSpec[]) => ({ Records: objects.map((o) => s3Record(o)) });

/** S3 → SQS → Lambda: each message body is an S3 event (or S3's test event). */
export function sqsEvent(...bodies: unknown[]) {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i}`, receiptHandle: `rh-${i}`, body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:landing', awsRegion: 'eu-west-1',
    })),
  };
}

export const testEvent = (bucket: string) => ({
  Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-06-01T10:00:00.000Z', Bucket: bucket, RequestId: 'R1', HostId: 'H1',
});

export function eventBridgeEvent(o: ObjectSpec, detailType = 'Object Created') {
  return {
    version: '0', id: 'e1', 'detail-type': detailType, source: 'aws.s3', account: '123456789012', time: '2024-06-01T10:11:12Z', region: 'eu-west-1',
    resources: [`arn:aws:s3:::${o.bucket}`],
    detail: { version: '0', bucket: { name: o.bucket }, object: { key: o.key, size: o.size ?? 100, etag: o.etag ?? 'etag-1', sequencer: o.sequencer ?? '0066A1' }, reason: 'PutObject' },
  };
}

/** Writes an orders CSV (order_id,amount,status,ts) into the local stand-in of `bucket/key`. */
export async function putOrders(bucketsDir: string, bucket: string, key: string, rows: [number, number, string, string][]): Promise<void> {
  const path = join(bucketsDir, bucket, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, ['order_id,amount,status,ts', ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

/** A spec: orders CSV objects → Parquet partitioned by status, with the objects through `${INPUTS}`. */
export function ordersSpec(output: string, name = 'orders_lambda') {
  return {
    name,
    nodes: [
      { id: 'orders', type: 'read', format: 'csv', paths: ['${INPUTS}'], formatOptions: { withHeader: true }, schema: { order_id: 'int64', amount: 'float64', status: 'string', ts: 'timestamp' } },
      { id: 'typed', type: 'WithColumns', input: 'orders', columns: { year: 'year(ts)' } },
      { id: 'lake', type: 'write', input: 'typed', format: 'parquet', path: output, partitionKeys: ['status'] },
    ],
  };
}
