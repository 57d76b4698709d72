import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { createS3EventHandler } from '../../src/lambda/index.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from '../s3/s3rver.js';
import { ordersSpec, s3Event, sqsEvent } from './helpers.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

let server: RunningS3rver;

beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server);
});
afterAll(() => server?.stop());

// The handlers read only configured sources (docs/security.md).
process.env.SLUICE_SOURCES = `s3://${BUCKET}/`;

describe('createS3EventHandler against a real S3 server (s3rver)', () => {
  it('reads the objects an event names from S3 by their decoded keys, and skips the re-delivery', async () => {
    const dir = await tempDir();
    const lake = join(dir, 'lake');
    const key = 'landing/2024 orders/café (1).csv';
    const store = await storeFor(`s3://${BUCKET}/`);
    const { etag } = await store.put(`s3://${BUCKET}/${key}`, 'order_id,amount,status,ts\n1,10,paid,2024-05-01T00:00:00Z\n2,20,open,2023-05-01T00:00:00Z\n');
    const event = sqsEvent(s3Event({ bucket: BUCKET, key, etag: etag ?? 'none' }));
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir: join(dir, 'state') });

    const first = await handler(event);
    expect(first).toMatchObject({ processed: [`s3://${BUCKET}/${key}`], rows: 2 });
    const again = await handler(event);
    expect(again).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0 });
    const rows = await duck(`SELECT order_id::INTEGER AS id, status FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = true) ORDER BY id`);
    expect(rows).toEqual([{ id: 1, status: 'paid' }, { id: 2, status: 'open' }]);
  });

  it('keeps its state and writes its output on s3://: a re-delivered event, on a fresh instance, writes nothing twice', async () => {
    const store = await storeFor(`s3://${BUCKET}/`);
    const key = 'landing-s3/day1.csv';
    const { etag } = await store.put(`s3://${BUCKET}/${key}`, 'order_id,amount,status,ts\n1,10,paid,2024-05-01T00:00:00Z\n2,20,open,2023-05-01T00:00:00Z\n3,30,paid,2024-06-01T00:00:00Z\n');
    const event = s3Event({ bucket: BUCKET, key, etag: etag ?? 'none' });
    const lake = `s3://${BUCKET}/lambda-lake`;
    const options = { stateDir: `s3://${BUCKET}/lambda-state` };

    const first = await createS3EventHandler(ordersSpec(lake), options)(event);
    expect(first).toMatchObject({ processed: [`s3://${BUCKET}/${key}`], rows: 3 });
    expect(first.files.every((f) => f.startsWith(`${lake}/status=`))).toBe(true);
    // Another instance (nothing local carried over) gets the same event again.
    const again = await createS3EventHandler(ordersSpec(lake), options)(sqsEvent(event));
    expect(again).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0, files: [] });

    const rows = await read.parquet(lake).toRows();
    expect(rows.map((r) => [Number(r.order_id), r.status]).sort()).toEqual([[1, 'paid'], [2, 'open'], [3, 'paid']]);
    const keys: string[] = [];
    for await (const object of store.list(`s3://${BUCKET}/`)) keys.push(object.path);
    expect(keys.filter((k) => k.includes('.sluice-staging/'))).toEqual([]);
    expect(keys.filter((k) => k.startsWith(`s3://${BUCKET}/lambda-state/orders_lambda/objects/object=`) && !k.includes('/_'))).toHaveLength(1);
    expect(keys).toContain(`s3://${BUCKET}/lambda-state/orders_lambda/state.json`);
  });
});
