import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleHandler } from '../../jobs/lambda/bundle.mjs';
import { read } from '../../src/frame/read.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { createS3EventHandler, type S3JobContext } from '../../src/lambda/index.js';
import { conditionalS3ForTests } from '../s3/conditionalProxy.js';
import { BUCKET } from '../s3/s3rver.js';
import { ordersSpec, s3Event, sqsEvent } from './helpers.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';

// The buckets the in-process handlers may read (createS3EventHandler's sources).
process.env.SLUICE_SOURCES = `s3://${BUCKET}/`;


// The handler's input objects, its state and its lake all on S3: s3rver, behind the proxy that
// enforces conditional writes (test/s3/conditionalProxy.ts) as AWS S3 does, so the state's lock
// and revision checks behave as they would there.
const s3rver = conditionalS3ForTests([BUCKET, 'demo-data']);

const s3 = (key: string) => `s3://${BUCKET}/${key}`;

/** Puts an orders CSV object (order_id,amount,status,ts) and returns the event S3 would send for it. */
async function landOrders(key: string, rows: [number, number, string, string][]) {
  const store = await storeFor(s3(key));
  const { etag } = await store.put(s3(key), ['order_id,amount,status,ts', ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return s3Event({ bucket: BUCKET, key, etag: etag!.replaceAll('"', '') });
}

/** Every key under a prefix with its ETag, sorted: equal listings mean nothing was written. */
async function objectsUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of (await storeFor(s3(prefix))).list(s3(prefix))) keys.push(`${o.path.slice(s3(prefix).length + 1)} ${o.etag ?? ''}`);
  return keys.sort();
}

/** The lake's rows, whole, sorted by order id. */
async function lakeRows(lake: string) {
  const rows = await read.parquet(lake).toRows();
  return rows.map((r) => ({ id: Number(r.order_id), amount: Number(r.amount), status: String(r.status), year: Number(r.year) })).sort((a, b) => a.id - b.id);
}

describe('createS3EventHandler with its objects, state and lake on S3', () => {
  it('a failed invocation leaves nothing; Lambda\'s retry writes the rows once; a re-delivery writes nothing', async () => {
    const event = await landOrders('retry/in/a.csv', [[1, 10, 'paid', '2024-05-01T00:00:00Z'], [2, 20, 'open', '2023-05-01T00:00:00Z']]);
    const lake = s3('retry/lake');
    let fail = true;
    const job = async (ctx: S3JobContext) => {
      const orders = read.csv(ctx.inputs, { withHeader: true, schema: { order_id: 'int64', amount: 'float64', status: 'string', ts: 'timestamp' } });
      const written = await ctx.write(orders.withColumns({ year: 'year(ts)' }).dropFields(['ts']), { format: 'parquet', path: lake, partitionKeys: ['status'] });
      if (fail) throw new Error('downstream step failed');
      return written.rows;
    };
    const options = { jobName: 'retrying', stateDir: s3('retry/state') };

    await expect(createS3EventHandler(job, options)(event)).rejects.toThrow('downstream step failed');
    expect(await objectsUnder('retry/lake')).toEqual([]); // nothing published, nothing left staged
    const stateAfterFailure = await objectsUnder('retry/state');
    expect(stateAfterFailure.map((k) => k.split(' ')[0])).toEqual(['retrying/state.json']); // no lock left, no object recorded

    fail = false;
    const retry = await createS3EventHandler(job, options)(sqsEvent(event)); // a fresh instance, through SQS
    expect(retry).toMatchObject({ objects: { processed: 1, skipped: 0 }, processed: [s3('retry/in/a.csv')], result: 2 });
    const expected = [{ id: 1, amount: 10, status: 'paid', year: 2024 }, { id: 2, amount: 20, status: 'open', year: 2023 }];
    expect(await lakeRows(lake)).toEqual(expected);
    const lakeAfter = await objectsUnder('retry/lake');
    expect(lakeAfter.map((k) => k.split(' ')[0].replace(/part-.*$/, 'part'))).toEqual(['_SUCCESS', 'status=open/part', 'status=paid/part']);

    for (const redelivery of [event, sqsEvent(event)]) {
      const again = await createS3EventHandler(job, options)(redelivery);
      expect(again).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0, files: [] });
      expect(await objectsUnder('retry/lake')).toEqual(lakeAfter); // the same objects, the same ETags
    }
    expect(await lakeRows(lake)).toEqual(expected);
  });

  it('two deliveries of one event at once: one writes it, the other waits for the lock and skips it', async () => {
    const event = await landOrders('twice/in/a.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z'], [2, 1, 'open', '2024-01-01T00:00:00Z']]);
    const lake = s3('twice/lake');
    const options = { stateDir: s3('twice/state') };
    const [x, y] = await Promise.all([
      createS3EventHandler(ordersSpec(lake), options)(event),
      createS3EventHandler(ordersSpec(lake), options)(sqsEvent(event)),
    ]);
    expect([x.objects.processed, y.objects.processed].sort()).toEqual([0, 1]);
    expect([x.rows, y.rows].sort()).toEqual([0, 2]);
    expect(await lakeRows(lake)).toEqual([{ id: 1, amount: 1, status: 'paid', year: 2024 }, { id: 2, amount: 1, status: 'open', year: 2024 }]);
    expect((await objectsUnder('twice/state')).map((k) => k.split(' ')[0]).filter((k) => k.endsWith('lock'))).toEqual([]);
  });

  it('deliveries of two objects at once: each is written once, one after the other', async () => {
    const a = await landOrders('pair/in/a.csv', [[1, 1, 'paid', '2024-01-01T00:00:00Z']]);
    const b = await landOrders('pair/in/b.csv', [[2, 2, 'open', '2023-01-01T00:00:00Z'], [3, 3, 'paid', '2022-01-01T00:00:00Z']]);
    const lake = s3('pair/lake');
    const options = { stateDir: s3('pair/state') };
    const [x, y] = await Promise.all([createS3EventHandler(ordersSpec(lake), options)(a), createS3EventHandler(ordersSpec(lake), options)(b)]);
    expect([x.processed, y.processed]).toEqual([[s3('pair/in/a.csv')], [s3('pair/in/b.csv')]]);
    expect(x.runId).not.toBe(y.runId);
    expect(await lakeRows(lake)).toEqual([
      { id: 1, amount: 1, status: 'paid', year: 2024 }, { id: 2, amount: 2, status: 'open', year: 2023 }, { id: 3, amount: 3, status: 'paid', year: 2022 },
    ]);
  });
});

/** Takes `sluice` and `sluice/lambda` from src/, so the test needs no `npm run build`. */
const sluiceFromSources = {
  name: 'sluice-from-sources',
  setup(build: { onResolve(o: { filter: RegExp }, f: (a: { path: string }) => { path: string }): void }) {
    build.onResolve({ filter: /^sluice(\/lambda)?$/ }, (args) => ({ path: join(REPO, 'src', args.path === 'sluice' ? 'index.ts' : 'lambda/index.ts') }));
  },
};

/** Runs the bundled handler in a fresh node process from the bundle's folder, outside the repo (no node_modules to fall back on). */
function invoke(bundle: string, event: unknown, env: Record<string, string>): Promise<Record<string, unknown>> {
  const script = `const { handler } = await import(${JSON.stringify(join(bundle, 'index.mjs'))});
    const event = JSON.parse(process.env.TEST_EVENT);
    process.stdout.write(JSON.stringify(await handler(event, { functionName: 'orders', getRemainingTimeInMillis: () => 60000 })));`;
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: bundle, env: { ...process.env, ...env, TEST_EVENT: JSON.stringify(event) } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? done(JSON.parse(stdout) as Record<string, unknown>) : reject(new Error(`bundled handler failed (${code}): ${stderr}`))));
  });
}

describe('the example handler, bundled with esbuild, against S3', () => {
  it('loads the AWS SDK from the bundle, reads the event\'s object from S3 and keeps its lake and state there', { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'bundle');
    await bundleHandler({ entry: join(REPO, 'jobs/lambda/handler.ts'), outdir: bundle, plugins: [sluiceFromSources] });
    expect(await filesUnder(bundle)).toEqual([
      'code-cache/lambda-1024.bin', expect.stringMatching(/^code-cache\/node-\d+\.bin$/), 'handler.cjs', 'index.mjs', 'parquet_wasm_bg.wasm',
    ]);

    const orders = 's3://demo-data/orders.csv';
    await (await storeFor(orders)).put(orders, [
      'order_id,customer_id,ts,amount,status,country,note',
      '1,10,2024-03-05T10:00:00Z,12.5,paid,CZ,a',
      '2,11,2024-04-06T11:00:00Z,,paid,CA,no amount',
      '3,12,2024-04-07T12:00:00Z,7.25,cancelled,DE,b',
      '4,13,2024-04-08T13:00:00Z,30,pending,US,c',
    ].join('\n') + '\n');
    const event = JSON.parse(await (await import('node:fs/promises')).readFile(join(REPO, 'jobs/lambda/sample-event.json'), 'utf8'));
    // Only S3 settings in the environment: no SLUICE_LOCAL_S3, so the handler reads s3:// through the SDK.
    const env = {
      LAKE_PATH: 's3://demo-data/lake', SLUICE_SOURCES: 's3://demo-data/', SLUICE_STATE_DIR: 's3://demo-data/state', SLUICE_S3_ENDPOINT: s3rver.proxy.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', SLUICE_LOCAL_S3: '',
    };

    const first = await invoke(bundle, event, env);
    expect(first).toMatchObject({ job: 'orders_to_lake_lambda', processed: [orders], rows: 2, result: { lakeRows: 2 } });
    const lakeKeys: string[] = [];
    for await (const o of (await storeFor('s3://demo-data/lake')).list('s3://demo-data/lake')) lakeKeys.push(o.path.replace(/part-.*$/, 'part'));
    expect(lakeKeys.sort()).toEqual(['s3://demo-data/lake/_SUCCESS', 's3://demo-data/lake/year=2024/month=3/part', 's3://demo-data/lake/year=2024/month=4/part']);

    const again = await invoke(bundle, event, env); // Lambda re-delivers the event to a new instance
    expect(again).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0, files: [] });

    const rows = (await read.parquet('s3://demo-data/lake').toRows()).map((r) => [Number(r.order_id), Number(r.year), Number(r.month), r.status]);
    expect(rows.sort()).toEqual([[1, 2024, 3, 'paid'], [4, 2024, 4, 'pending']]);
  });
});
