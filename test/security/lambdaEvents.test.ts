import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3EventHandler } from '../../src/lambda/index.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { ordersSpec, putOrders, s3Event, s3Record, sqsEvent } from '../lambda/helpers.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from '../s3/s3rver.js';

const ids = async (lake: string) => (await duck(`SELECT order_id::INTEGER AS id FROM read_parquet('${lake}/**/*.parquet') ORDER BY id`)).map((r) => r.id);

/** A local stand-in of the buckets, a lake and a state folder; handlers read only s3://landing/. */
async function local() {
  const dir = await tempDir();
  const buckets = join(dir, 'buckets');
  const lake = join(dir, 'lake');
  const options = { stateDir: join(dir, 'state'), sources: ['s3://landing/'], resolveObject: (bucket: string, key: string) => join(buckets, bucket, key) };
  return { dir, buckets, lake, options };
}

describe('the Lambda handler treats an S3 key as a key (local objects)', () => {
  it('reads exactly the object named: glob characters are part of the key', async () => {
    const { buckets, lake, options } = await local();
    await putOrders(buckets, 'landing', 'day1.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'day[1].csv', [[2, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'star*.csv', [[3, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'starX.csv', [[4, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const handler = createS3EventHandler(ordersSpec(lake), options);
    const summary = await handler(s3Event({ bucket: 'landing', key: 'day[1].csv' }, { bucket: 'landing', key: 'star*.csv', etag: 'e2' }));
    expect(summary.processed).toEqual(['s3://landing/day[1].csv', 's3://landing/star*.csv']);
    expect(await ids(lake)).toEqual([2, 3]);
  });

  it('never fills placeholders inside a key, even from the handler params', async () => {
    const { buckets, lake, options } = await local();
    await putOrders(buckets, 'landing', 'x${SECRET_PARAM}.csv', [[5, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'xhunter2.csv', [[6, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const handler = createS3EventHandler(ordersSpec(lake), { ...options, params: { SECRET_PARAM: 'hunter2' } });
    const summary = await handler(s3Event({ bucket: 'landing', key: 'x${SECRET_PARAM}.csv' }));
    expect(JSON.stringify(summary)).not.toContain('hunter2');
    expect(await ids(lake)).toEqual([5]);
  });

  it('ignores folder markers, dot-dot keys and buckets or prefixes it is not configured for', async () => {
    const { buckets, lake, options } = await local();
    await putOrders(buckets, 'landing', 'h/a.csv', [[7, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'other', 'secret.csv', [[8, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'in/ok.csv', [[9, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const event = { Records: [
      s3Record({ bucket: 'landing', key: 'h/' }),
      { ...s3Record({ bucket: 'landing', key: 'x' }), s3: { ...s3Record({ bucket: 'landing', key: 'x' }).s3, object: { key: '%2e%2e/other/secret.csv', eTag: 'e3' } } },
      s3Record({ bucket: 'other', key: 'secret.csv' }),
      s3Record({ bucket: 'landing', key: 'in/ok.csv' }),
    ] };
    const summary = await createS3EventHandler(ordersSpec(lake), { ...options, sources: ['s3://landing/in/', 's3://landing/h/'] })(event);
    expect(summary.ignored.map((i) => [i.key, i.reason])).toEqual([
      ['h/', 'a folder marker (key ending in /), not an object'],
      ['../other/secret.csv', "the key has an empty, '.' or '..' segment, which would resolve to another object"],
      ['secret.csv', "s3://other/secret.csv is not under the handler's sources (s3://landing/in/, s3://landing/h/)"],
    ]);
    expect(summary.processed).toEqual(['s3://landing/in/ok.csv']);
    expect(await ids(lake)).toEqual([9]);
    await expect(createS3EventHandler(ordersSpec(lake), { ...options, sources: [] })(event)).rejects.toThrow('createS3EventHandler: no sources');
  });

  it('reports the SQS message of a deleted object in batchItemFailures, and commits the others', async () => {
    const { buckets, lake, options } = await local();
    await putOrders(buckets, 'landing', 'good.csv', [[10, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const event = sqsEvent(s3Event({ bucket: 'landing', key: 'gone.csv' }), s3Event({ bucket: 'landing', key: 'good.csv', etag: 'e4' }));
    const handler = createS3EventHandler(ordersSpec(lake), options);
    const summary = await handler(event);
    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(summary.processed).toEqual(['s3://landing/good.csv']);
    expect(await ids(lake)).toEqual([10]);
    // Redelivered: the good object is skipped, the deleted one fails again on its own.
    const again = await handler(event);
    expect(again.batchItemFailures).toEqual([{ itemIdentifier: 'msg-0' }]);
    expect(again.skipped.map((s) => s.uri)).toEqual(['s3://landing/good.csv']);
  });
});

describe('the Lambda handler treats an S3 key as a key (s3rver)', () => {
  let server: RunningS3rver;
  beforeAll(async () => {
    server = await startS3rver();
    useS3rver(server);
  });
  afterAll(() => server?.stop());

  it('reads the literal object, not a glob or prefix, and reports a deleted one per message', async () => {
    const store = await storeFor(`s3://${BUCKET}/`);
    const body = (id: number) => `order_id,amount,status,ts\n${id},1,paid,2024-01-01T00:00:00Z\n`;
    const put = async (key: string, id: number) => (await store.put(`s3://${BUCKET}/${key}`, body(id))).etag ?? 'none';
    await put('sec/day1.csv', 1);
    const literal = await put('sec/day[1].csv', 2);
    await put('sec/h/a.csv', 3);
    const dir = await tempDir();
    const lake = join(dir, 'lake');
    await mkdir(lake, { recursive: true });
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir: join(dir, 'state'), sources: [`s3://${BUCKET}/sec/`] });
    const summary = await handler(sqsEvent(
      s3Event({ bucket: BUCKET, key: 'sec/day[1].csv', etag: literal }),
      s3Event({ bucket: BUCKET, key: 'sec/h/' }),
      s3Event({ bucket: BUCKET, key: 'sec/deleted.csv', etag: 'e5' }),
    ));
    expect(summary.processed).toEqual([`s3://${BUCKET}/sec/day[1].csv`]);
    expect(summary.ignored.map((i) => i.key)).toEqual(['sec/h/']);
    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'msg-2' }]);
    expect(await ids(lake)).toEqual([2]);
  });
});
