import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { conditionalS3ForTests } from '../s3/conditionalProxy.js';
import { BUCKET } from '../s3/s3rver.js';

// The catalog on S3 relies on If-None-Match; s3rver ignores it, so it is reached through the
// proxy that enforces conditional writes as AWS S3 does (test/s3/conditionalProxy.ts).
const s3rver = conditionalS3ForTests();

describe('a catalog under an s3:// prefix', () => {
  it('keeps versions through conditional puts: two writers racing lose no update', async () => {
    const root = `s3://${BUCKET}/catalog-race`;
    const [a, b] = [Catalog.open(root), Catalog.open(root)];
    await a.createDatabase({ Name: 'lake' });
    await a.createTable('lake', { Name: 't', Parameters: { count: '0' } });
    const bump = (catalog: Catalog) => catalog.modifyTable('lake', 't', (t) => ({ Name: 't', Parameters: { count: String(Number(t.Parameters!.count) + 1) } }));
    await Promise.all([a, b].map(async (catalog) => {
      for (let i = 0; i < 6; i++) await bump(catalog);
    }));
    const table = await b.getTable('lake', 't');
    expect(table?.Parameters?.count).toBe('12');
    expect(table?.VersionId).toBe('13');
    expect(s3rver.proxy.refused.length).toBeGreaterThan(0); // the race did happen, and the store refused the loser
    await expect(b.createDatabase({ Name: 'LAKE' })).rejects.toThrow('Database lake already exists');
  }, 60_000);

  it('a catalog sink on S3 registers its partitions; read.table reads them back, pruned', async () => {
    const catalog = Catalog.open(`s3://${BUCKET}/catalog-sink`);
    await catalog.createDatabase({ Name: 'sales' });
    const glue = new GlueContext({ catalog });
    const rows = Array.from({ length: 6 }, (_, i) => ({ id: i, day: `d${i % 2}` }));
    await glue.getSink({ connectionType: 's3', path: `s3://${BUCKET}/lake/orders`, enableUpdateCatalog: true, partitionKeys: ['day'] })
      .setFormat('parquet').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' })
      .writeFrame(DataFrame.fromRows(rows, { id: 'int64', day: 'string' }));
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => [p.Values, p.StorageDescriptor?.Location])).toEqual([
      [['d0'], `s3://${BUCKET}/lake/orders/day=d0/`], [['d1'], `s3://${BUCKET}/lake/orders/day=d1/`],
    ]);
    const odd = await read.table('sales.orders', { catalog, pushDownPredicate: "day = 'd1'" }).toRows();
    expect(odd.map((r) => Number(r.id)).sort()).toEqual([1, 3, 5]);
  }, 60_000);
});
