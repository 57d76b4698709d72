import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { read } from '../../src/frame/read.js';
import { createS3EventHandler, type S3JobContext } from '../../src/lambda/index.js';
import { ordersSpec, putOrders, s3Event } from './helpers.js';
import { filesUnder, tempDir } from '../support/files.js';

let dir: string;
let buckets: string;
let lake: string;
let stateDir: string;
let catalog: Catalog;
const resolveObject = (bucket: string, key: string) => join(buckets, bucket, key);
process.env.SLUICE_SOURCES = 's3://landing/';

beforeEach(async () => {
  dir = await tempDir('sluice-lambda-catalog-');
  buckets = join(dir, 'buckets');
  lake = join(dir, 'lake');
  stateDir = join(dir, 'state');
  catalog = Catalog.open(join(dir, 'catalog'));
  await catalog.createDatabase({ Name: 'sales' });
});

const tableIds = async () => (await read.table('sales.orders', { catalog }).toRows()).map((r) => Number(r.order_id)).sort((a, b) => a - b);
const partitions = async () => (await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0]);

describe('an S3 event handler with catalog sinks registers what each run publishes, in its commit', () => {
  it('a job spec\'s catalog write node', async () => {
    const base = ordersSpec(lake);
    const spec = { ...base, catalog: join(dir, 'catalog'), nodes: base.nodes.map((n) => (n.id === 'lake' ? { ...n, catalog: { database: 'sales', table: 'orders' } } : n)) };
    const handler = createS3EventHandler(spec, { stateDir, resolveObject });
    await putOrders(buckets, 'landing', 'a.csv', [[1, 10, 'paid', '2024-03-01T10:00:00Z'], [2, 20, 'open', '2023-12-31T23:00:00Z']]);
    await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'a1' }));
    expect(await partitions()).toEqual(['open', 'paid']);
    await putOrders(buckets, 'landing', 'b.csv', [[3, 30, 'void', '2024-03-02T10:00:00Z']]);
    await handler(s3Event({ bucket: 'landing', key: 'b.csv', etag: 'b1' }));
    expect(await partitions()).toEqual(['open', 'paid', 'void']);
    expect(await tableIds()).toEqual([1, 2, 3]);
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
  });

  it('a job function\'s getSink with setCatalogInfo; a function that throws registers nothing', async () => {
    const job = async (ctx: S3JobContext) => {
      const frame = ctx.glueContext.createDynamicFrame.fromOptions({ connectionType: 's3', connectionOptions: { paths: ctx.inputs }, format: 'csv', formatOptions: { withHeader: true }, schema: { order_id: 'int64', amount: 'float64', status: 'string', ts: 'string' } });
      await ctx.glueContext.getSink({ path: lake, enableUpdateCatalog: true, partitionKeys: ['status'] }).setFormat('parquet')
        .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frame);
      if (ctx.inputs.some((i) => i.endsWith('bad.csv'))) throw new Error('failed after the sink');
    };
    process.env.SLUICE_CATALOG = join(dir, 'catalog'); // the function's GlueContext opens the default catalog
    const handler = createS3EventHandler(job, { stateDir, resolveObject });
    await putOrders(buckets, 'landing', 'bad.csv', [[9, 90, 'lost', '2024-01-01T00:00:00Z']]);
    await expect(handler(s3Event({ bucket: 'landing', key: 'bad.csv', etag: 'x' }))).rejects.toThrow('failed after the sink');
    expect(await catalog.getTable('sales', 'orders')).toBeUndefined();
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
    expect((await filesUnder(lake).catch(() => [])).filter((f) => f.endsWith('.parquet'))).toEqual([]);
    await putOrders(buckets, 'landing', 'a.csv', [[1, 10, 'paid', '2024-03-01T10:00:00Z'], [2, 20, 'open', '2023-12-31T23:00:00Z']]);
    await handler(s3Event({ bucket: 'landing', key: 'a.csv', etag: 'a1' }));
    expect(await partitions()).toEqual(['open', 'paid']);
    expect(await tableIds()).toEqual([1, 2]);
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
    delete process.env.SLUICE_CATALOG;
  });
});
