import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { createS3EventHandler, type S3JobContext } from '../../src/lambda/index.js';
import { ordersSpec, putOrders, s3Event, s3Record, sqsEvent, testEvent } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

let dir: string;
let buckets: string;
let lake: string;
let stateDir: string;
const resolveObject = (bucket: string, key: string) => join(buckets, bucket, key);

// The handlers read only configured sources (docs/security.md); these tests' bucket is 'landing'.
process.env.SLUICE_SOURCES = 's3://landing/';

beforeEach(async () => {
  dir = await tempDir();
  buckets = join(dir, 'buckets');
  lake = join(dir, 'lake');
  stateDir = join(dir, 'state');
});

const lakeRows = () => duck(
  `SELECT order_id::INTEGER AS order_id, status, year::INTEGER AS year FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = true) ORDER BY order_id`,
);
const lakeIds = async () => (await duck(`SELECT order_id::INTEGER AS id FROM read_parquet('${lake}/**/*.parquet') ORDER BY id`)).map((r) => r.id);

describe('createS3EventHandler with a job spec', () => {
  it('writes the objects of a plain S3 event as a partitioned Parquet lake, and returns a summary', async () => {
    await putOrders(buckets, 'landing', 'orders/a.csv', [[1, 10.5, 'paid', '2024-03-01T10:00:00Z'], [2, 20, 'open', '2023-12-31T23:00:00Z']]);
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject });
    const summary = await handler(s3Event({ bucket: 'landing', key: 'orders/a.csv', etag: 'a1' }));
    expect(await lakeRows()).toEqual([{ order_id: 1, status: 'paid', year: 2024 }, { order_id: 2, status: 'open', year: 2023 }]);
    expect(summary).toMatchObject({
      job: 'orders_lambda', objects: { received: 1, processed: 1, skipped: 0, ignored: 0 },
      processed: ['s3://landing/orders/a.csv'], skipped: [], ignored: [], rows: 2, errors: 0,
    });
    expect(summary.runId).toMatch(/^jr_/);
    expect(summary.files.map((f) => f.slice(lake.length + 1).replace(/part-.*$/, 'part')).sort()).toEqual(['status=open/part', 'status=paid/part']);
    expect((await filesUnder(lake)).filter((f) => !f.startsWith('status='))).toEqual(['_SUCCESS']);
  });

  it('skips a re-delivered event: no duplicate rows, no new files', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z']]);
    await putOrders(buckets, 'landing', 'b.csv', [[2, 2, 'paid', '2024-01-02T00:00:00Z']]);
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject });
    const event = s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' });
    await handler(event);
    const filesAfterFirst = await filesUnder(lake);

    const again = await handler(event);
    expect(again).toMatchObject({ objects: { received: 1, processed: 0, skipped: 1 }, rows: 0, files: [], skipped: [{ uri: 's3://landing/a.csv', reason: 'already processed by a committed run' }] });
    expect(await filesUnder(lake)).toEqual(filesAfterFirst);

    // The same object again, through SQS, beside a new one: only the new one is read.
    const mixed = await createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject })(
      sqsEvent(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' }), s3Event({ bucket: 'landing', key: 'b.csv', etag: 'eb' })),
    );
    expect(mixed).toMatchObject({ objects: { received: 2, processed: 1, skipped: 1 }, processed: ['s3://landing/b.csv'], rows: 1 });
    expect(await lakeIds()).toEqual([1, 2]);
  });

  it('processes an overwritten object (new ETag) again', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject });
    await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'v1' }));
    await putOrders(buckets, 'landing', 'a.csv', [[5, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const second = await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'v2' }));
    expect(second.objects.processed).toBe(1);
    expect(await lakeIds()).toEqual([1, 5]);
  });

  it('reads keys with spaces, plus signs and unicode, URL-encoded as S3 sends them', async () => {
    const keys = ['in/March orders (1).csv', 'in/c++ & more.csv', 'in/café/日本 注文.csv'];
    for (const [i, key] of keys.entries()) await putOrders(buckets, 'landing', key, [[i + 1, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const event = s3Event(...keys.map((key, i) => ({ bucket: 'landing', key, etag: `e${i}` })));
    expect(event.Records[0].s3.object.key).toBe('in/March+orders+%281%29.csv');
    const summary = await createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject })(event);
    expect(summary.processed).toEqual(keys.map((k) => `s3://landing/${k}`));
    expect(await lakeIds()).toEqual([1, 2, 3]);
  });

  it('does nothing for the S3 test event and notes it; writes no state', async () => {
    const handler = createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject });
    const summary = await handler(sqsEvent(testEvent('landing')));
    expect(summary).toMatchObject({ objects: { received: 0, processed: 0, skipped: 0, ignored: 1 }, rows: 0, files: [] });
    expect(summary.ignored[0].eventName).toBe('s3:TestEvent');
    expect(summary.runId).toBeUndefined();
    expect(await filesUnder(stateDir)).toEqual([]);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('ignores a removed-object event with a note, and writes nothing', async () => {
    const summary = await createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject })(
      { Records: [s3Record({ bucket: 'landing', key: 'old orders.csv' }, 'ObjectRemoved:Delete')] },
    );
    expect(summary.ignored).toEqual([{ reason: 'ObjectRemoved:Delete is not an ObjectCreated event', eventName: 'ObjectRemoved:Delete', bucket: 'landing', key: 'old orders.csv' }]);
    expect(summary.objects.processed).toBe(0);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('reads a spec from its file, and fills other placeholders from params', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[7, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const specPath = join(dir, 'orders_job.json');
    const { name: _, ...unnamed } = ordersSpec('${OUTPUT}');
    await writeFile(specPath, JSON.stringify(unnamed));
    const summary = await createS3EventHandler(specPath, { stateDir, resolveObject, params: { OUTPUT: lake } })(s3Event({ bucket: 'landing', key: 'a.csv' }));
    expect(summary.job).toBe('orders_job');
    expect(await lakeIds()).toEqual([7]);
  });

  it('lets two concurrent deliveries of one event write it once', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z'], [2, 1, 'open', '2024-01-01T00:00:00Z']]);
    const event = s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' });
    const [x, y] = await Promise.all([
      createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject })(event),
      createS3EventHandler(ordersSpec(lake), { stateDir, resolveObject })(event),
    ]);
    expect([x.objects.processed, y.objects.processed].sort()).toEqual([0, 1]);
    expect(await lakeIds()).toEqual([1, 2]);
  });
});

describe('createS3EventHandler with a job function', () => {
  it('gives the function the new objects and commits what it writes through ctx.write and ctx.glueContext', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 3, 'paid', '2024-01-01T00:00:00Z'], [2, 4, 'open', '2024-01-01T00:00:00Z']]);
    const seen: string[][] = [];
    const handler = createS3EventHandler(async (ctx) => {
      seen.push(ctx.inputs);
      const orders = read.csv(ctx.inputs, { withHeader: true, schema: { order_id: 'int64', amount: 'float64', status: 'string', ts: 'timestamp' } });
      const first = await ctx.write(orders, { format: 'parquet', path: lake, partitionKeys: ['status'] });
      const second = await ctx.glueContext.writeDynamicFrame.fromOptions({
        frame: orders.filter("status = 'paid'"), connectionType: 'file', connectionOptions: { path: join(dir, 'paid') }, format: 'csv',
      });
      return { wrote: first.rows + second.rows, bucket: ctx.objects[0].bucket, params: ctx.params };
    }, { jobName: 'fn_job', stateDir, resolveObject, params: { P: '1' } });

    const summary = await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' }), { functionName: 'ignored-when-jobName-given' });
    expect(seen).toEqual([[join(buckets, 'landing', 'a.csv')]]);
    expect(summary).toMatchObject({ job: 'fn_job', rows: 3, result: { wrote: 3, bucket: 'landing', params: { P: '1' } } });
    expect(summary.files).toHaveLength(3);
    expect(await lakeIds()).toEqual([1, 2]);
    expect(await read.csv(join(dir, 'paid'), { withHeader: true }).count()).toBe(1);

    const again = await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' }));
    expect(again.objects.skipped).toBe(1);
    expect(seen).toHaveLength(1); // the function is not called when every object was processed
  });

  it('takes the job name from the Lambda context when none is given', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 3, 'paid', '2024-01-01T00:00:00Z']]);
    const summary = await createS3EventHandler(async () => 'ok', { stateDir, resolveObject })(
      s3Event({ bucket: 'landing', key: 'a.csv' }), { functionName: 'orders-fn', getRemainingTimeInMillis: () => 60_000 },
    );
    expect(summary).toMatchObject({ job: 'orders-fn', result: 'ok', objects: { processed: 1 } });
  });

  it('a failing job leaves no output, rethrows, and does not mark the object processed', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 3, 'paid', '2024-01-01T00:00:00Z'], [2, 4, 'open', '2024-01-01T00:00:00Z']]);
    let fail = true;
    const handler = createS3EventHandler(async (ctx) => {
      const orders = read.csv(ctx.inputs, { withHeader: true });
      await ctx.write(orders, { format: 'parquet', path: lake, partitionKeys: ['status'] });
      if (fail) throw new Error('downstream step failed');
    }, { jobName: 'failing', stateDir, resolveObject });
    const event = s3Event({ bucket: 'landing', key: 'a.csv', etag: 'ea' });

    await expect(handler(event)).rejects.toThrow('downstream step failed');
    expect(await filesUnder(lake)).toEqual([]); // no part files, no .sluice-staging, no _SUCCESS

    fail = false; // Lambda's retry of the same event now succeeds, and is not skipped
    const retry = await handler(event);
    expect(retry.objects).toMatchObject({ processed: 1, skipped: 0 });
    expect(await lakeIds()).toEqual([1, 2]);
  });

  it('a spec whose read fails (bad row under failFast) leaves no output and rethrows naming the file', async () => {
    await putOrders(buckets, 'landing', 'bad.csv', [[1, 3, 'paid', '2024-01-01T00:00:00Z']]);
    await writeFile(join(buckets, 'landing', 'bad.csv'), 'order_id,amount,status,ts\n1,3,paid,2024-01-01T00:00:00Z\nx,4,open,2024-01-01T00:00:00Z\n');
    const spec = ordersSpec(lake);
    (spec.nodes[0].formatOptions as Record<string, unknown>).mode = 'failFast';
    const handler = createS3EventHandler(spec, { stateDir, resolveObject });
    await expect(handler(s3Event({ bucket: 'landing', key: 'bad.csv' }))).rejects.toThrow(/bad\.csv/);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('takes over a lock left by an invocation that was killed (another host, older than staleLockMs)', async () => {
    await putOrders(buckets, 'landing', 'a.csv', [[1, 3, 'paid', '2024-01-01T00:00:00Z']]);
    const lock = join(stateDir, 'locked_job', 'lock');
    await mkdir(join(stateDir, 'locked_job'), { recursive: true });
    const owner = { pid: 1, host: 'another-lambda-instance', runId: 'jr_dead', startedAt: new Date(Date.now() - 20 * 60_000).toISOString() };
    await writeFile(lock, JSON.stringify(owner));
    const options = { jobName: 'locked_job', stateDir, resolveObject, lockWaitMs: 200 };
    const write = async (ctx: S3JobContext) => ctx.write(read.csv(ctx.inputs, { withHeader: true }), { format: 'parquet', path: lake });

    await expect(createS3EventHandler(write, { ...options, staleLockMs: 60 * 60_000 })(s3Event({ bucket: 'landing', key: 'a.csv' })))
      .rejects.toThrow(/is already running: run jr_dead \(pid 1 on another-lambda-instance/);
    const summary = await createS3EventHandler(write, options)(s3Event({ bucket: 'landing', key: 'a.csv' }));
    expect(summary.objects.processed).toBe(1);
    expect(await filesUnder(join(stateDir, 'locked_job'))).not.toContain('lock');
  });
});
