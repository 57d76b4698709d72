import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { crawl } from '../../../src/catalog/crawler/crawl.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { SAMPLE_BYTES } from '../../../src/catalog/crawler/sampleFile.js';
import { read } from '../../../src/frame/read.js';
import { tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

const columns = (t: { input: { StorageDescriptor?: { Columns?: { Name?: string; Type?: string }[] } } }) =>
  Object.fromEntries((t.input.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]));

describe('crawling bzip2 and zstd files', () => {
  it('bzip2 CSV and JSON are found by their magic bytes, classified from the decoded start, and read back through the catalog', async () => {
    const dir = await tempDir();
    await writeLake(join(dir, 'lake'), {
      'sales/day=1/a.csv.bz2': salesCsv(4),
      'sales/day=2/a.csv.bz2': salesCsv(2, 5),
      'events/a.json.bz2': '{"id":1,"kind":"click"}\n{"id":2,"kind":"view"}\n',
      'zst/a.csv.zst': salesCsv(3),
    });
    const { tables, summary } = await crawl(join(dir, 'lake'));
    expect(summary.unclassified).toEqual([]);
    const byName = Object.fromEntries(tables.map((t) => [t.input.Name, t]));
    expect(Object.keys(byName).sort()).toEqual(['events', 'sales', 'zst']);
    expect(columns(byName.sales)).toEqual({ id: 'bigint', name: 'string', score: 'double' });
    expect(byName.sales.input.PartitionKeys).toEqual([{ Name: 'day', Type: 'string' }]);
    expect(byName.sales.input.Parameters).toMatchObject({ classification: 'csv', compressionType: 'bzip2', recordCount: '6', objectCount: '2' });
    expect(byName.sales.input.StorageDescriptor?.Compressed).toBe(true);
    expect(columns(byName.events)).toEqual({ id: 'int', kind: 'string' });
    expect(byName.events.input.Parameters).toMatchObject({ classification: 'json', compressionType: 'bzip2' });
    expect(byName.zst.input.Parameters).toMatchObject({ classification: 'csv', compressionType: 'zstd', recordCount: '3' });

    const catalog = Catalog.open(join(dir, 'catalog'));
    await runCrawler({ Name: 'c', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: join(dir, 'lake', 'sales') }] } }, { catalog });
    const rows = await read.table('lake.sales', { catalog }).toRows();
    expect(rows.map((r) => [Number(r.id), r.name, r.score, r.day]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1, 'name1', 1.5, '1'], [2, 'name2', 3, '1'], [3, 'name3', 4.5, '1'], [4, 'name4', 6, '1'], [5, 'name5', 7.5, '2'], [6, 'name6', 9, '2'],
    ]);
  });

  it('a bzip2 file larger than the sample is classified from its first decoded megabyte without reading it all', async () => {
    const dir = await tempDir();
    // Random hex compresses about 2:1, so 4 MB of rows make a file well over the 1 MB sample.
    const rows = ['id,token'];
    for (let i = 0; rows.length <= 60_000; i++) rows.push(`${i},${randomBytes(32).toString('hex')}`);
    await writeLake(dir, { 'big/a.csv.bz2': `${rows.join('\n')}\n` });
    const size = (await stat(join(dir, 'big', 'a.csv.bz2'))).size;
    expect(size).toBeGreaterThan(SAMPLE_BYTES);
    const { tables, summary } = await crawl(join(dir, 'big'));
    expect(summary.bytesRead).toBe(SAMPLE_BYTES);
    expect(tables.map((t) => [t.input.Name, columns(t), t.input.Parameters?.compressionType])).toEqual([['big', { id: 'bigint', token: 'string' }, 'bzip2']]);
  });
});
