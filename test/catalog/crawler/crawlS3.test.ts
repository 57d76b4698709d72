import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { crawl } from '../../../src/catalog/crawler/crawl.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { storeFor } from '../../../src/io/store/storeFor.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from '../../s3/s3rver.js';
import { salesCsv } from './lakes.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server, { maxKeys: 2 }); // listings come in several pages
});
afterAll(() => server?.stop());

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const put = async (key: string, body: Uint8Array | string) => (await storeFor(s3(key))).put(s3(key), body);

describe('crawling an s3:// include path', () => {
  it('lists pages, reads ranged samples and Parquet footers, and keeps the catalog on S3 too', async () => {
    await put('lake/sales/year=2024/a.csv', salesCsv(3));
    await put('lake/sales/year=2025/a.csv.gz', gzipSync(salesCsv(2)));
    await put('lake/sales/year=2025/_SUCCESS', '');
    const local = await tempDir();
    const parquet = join(local, 'p.parquet');
    await duck(`COPY (SELECT range::BIGINT AS id, 'x' AS tag FROM range(4)) TO '${parquet}' (FORMAT parquet)`);
    await put('lake/metrics/dt=1/p.parquet', await readFile(parquet));
    await put('lake/metrics/dt=2/p.parquet', await readFile(parquet));

    const { tables } = await crawl(s3('lake'), { tableLevel: 2 });
    const summary = (name: string) => {
      const t = tables.find((table) => table.input.Name === name)!;
      return [t.input.StorageDescriptor?.Location, t.input.Parameters?.classification, t.input.Parameters?.compressionType, t.input.Parameters?.recordCount, t.partitions.map((p) => p.Values)];
    };
    // Level 2 is lake/<table>; sales mixes gzip and plain files, which never share a table, so its folders are tables apiece.
    expect(tables.map((t) => t.input.Name)).toEqual(['metrics', 'year_2024', 'year_2025']);
    expect(summary('metrics')).toEqual([s3('lake/metrics/'), 'parquet', 'none', '8', [['1'], ['2']]]);
    expect(summary('year_2024')).toEqual([s3('lake/sales/year=2024/'), 'csv', 'none', '3', []]);
    expect(summary('year_2025')).toEqual([s3('lake/sales/year=2025/'), 'csv', 'gzip', '2', []]);
    expect(tables.find((t) => t.input.Name === 'metrics')?.partitions[0].StorageDescriptor?.Location).toBe(s3('lake/metrics/dt=1/'));

    const run = await runCrawler({ Name: 'remote', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: s3('lake/metrics') }] } }, { catalog: s3('catalog') });
    expect(run).toMatchObject({ tablesCreated: ['metrics'], partitionsAdded: 2 });
    const table = await Catalog.open(s3('catalog')).getTable('lake', 'metrics');
    expect(table?.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }, { Name: 'tag', Type: 'string' }]);
  });
});
