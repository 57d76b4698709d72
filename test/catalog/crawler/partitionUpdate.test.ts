import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import type { CrawlerDefinition } from '../../../src/catalog/crawler/crawlerDefinition.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { runCliInProcess } from '../../support/cli.js';
import { tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

const INHERIT = JSON.stringify({ Version: 1.0, CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } });
const MERGE = JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' } } });
const SALES = ['id:bigint', 'name:string', 'score:double'];
const WITH_NOTE = [...SALES, 'note:string'];

/** A two-partition lake crawled once; then year=2025's file gains a column `note`. */
async function crawledThenChanged(extra: Partial<CrawlerDefinition> = {}) {
  const dir = await tempDir();
  const root = join(dir, 'sales');
  await writeLake(root, { 'year=2024/a.csv': salesCsv(2), 'year=2025/a.csv': salesCsv(3) });
  const catalog = Catalog.open(join(dir, 'catalog'));
  const definition: CrawlerDefinition = { Name: 'nightly', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: root }] }, ...extra };
  await runCrawler(definition, { catalog });
  const before = await catalog.getPartitions('lake', 'sales');
  await writeLake(root, { 'year=2025/a.csv': 'id,name,score,note\n7,g,1.5,hello\n8,h,2.5,bye\n' });
  return { root, catalog, definition, before };
}

const columnsOf = (sd: { Columns?: { Name?: string; Type?: string }[] } | undefined) => (sd?.Columns ?? []).map((c) => `${c.Name}:${c.Type}`);
const partitionColumns = async (catalog: Catalog) => (await catalog.getPartitions('lake', 'sales')).map((p) => [p.Values, columnsOf(p.StorageDescriptor)]);
const versions = async (catalog: Catalog) => (await catalog.getTableVersions('lake', 'sales')).map((v) => v.VersionId);

describe('a recrawl that finds an existing partition changed (Glue SchemaChangePolicy and CrawlerOutput.Partitions)', () => {
  it('UPDATE_IN_DATABASE: the changed partition gets its files\' schema and statistics; the table is widened in a new version', async () => {
    const { root, catalog, definition, before } = await crawledThenChanged();
    const run = await runCrawler(definition, { catalog });
    expect(run).toMatchObject({ tablesUpdated: ['sales'], partitionsAdded: 0, partitionsUpdated: 1, partitionsDeleted: 0, logged: [] });
    expect(columnsOf((await catalog.getTable('lake', 'sales'))?.StorageDescriptor)).toEqual(WITH_NOTE);
    expect(await versions(catalog)).toEqual(['2', '1']);
    expect(await partitionColumns(catalog)).toEqual([[['2024'], SALES], [['2025'], WITH_NOTE]]);
    const [p2024, p2025] = await catalog.getPartitions('lake', 'sales');
    expect(p2024).toEqual(before[0]); // untouched, to the byte
    expect(p2025.CreationTime).toEqual(before[1].CreationTime);
    expect(p2025.StorageDescriptor?.Location).toBe(`${root}/year=2025/`);
    expect(p2025.Parameters).toMatchObject({ classification: 'csv', recordCount: '2', objectCount: '1', UPDATED_BY_CRAWLER: 'nightly' });
    // Nothing changed since: a third run updates nothing.
    expect(await runCrawler(definition, { catalog })).toMatchObject({ tablesUpdated: [], partitionsUpdated: 0 });
    expect(await versions(catalog)).toEqual(['2', '1']);
  });

  it('LOG: neither the table nor the partition changes; both are reported', async () => {
    const { catalog, definition, before } = await crawledThenChanged({ SchemaChangePolicy: { UpdateBehavior: 'LOG' } });
    const run = await runCrawler(definition, { catalog });
    expect(run).toMatchObject({ tablesUpdated: [], partitionsUpdated: 0 });
    expect(run.logged).toEqual([
      'table lake.sales: the crawl found a different schema or format; not updated (UpdateBehavior LOG)',
      'partition (2025) of lake.sales: the crawl found a different schema or format; not updated (UpdateBehavior LOG)',
    ]);
    expect(await catalog.getPartitions('lake', 'sales')).toEqual(before);
    expect(await versions(catalog)).toEqual(['1']);
  });

  it('InheritFromTable: a table change reaches every existing partition, each at its own location', async () => {
    const { root, catalog, definition } = await crawledThenChanged({ Configuration: INHERIT });
    expect(await partitionColumns(catalog)).toEqual([[['2024'], SALES], [['2025'], SALES]]);
    const run = await runCrawler(definition, { catalog });
    expect(run).toMatchObject({ tablesUpdated: ['sales'], partitionsUpdated: 2 });
    const table = (await catalog.getTable('lake', 'sales'))!;
    const partitions = await catalog.getPartitions('lake', 'sales');
    expect(partitions.map((p) => [p.Values, columnsOf(p.StorageDescriptor), p.StorageDescriptor?.Location])).toEqual([
      [['2024'], WITH_NOTE, `${root}/year=2024/`],
      [['2025'], WITH_NOTE, `${root}/year=2025/`],
    ]);
    for (const p of partitions) {
      expect(p.Parameters).toEqual(table.Parameters);
      expect({ ...p.StorageDescriptor, Location: undefined }).toEqual({ ...table.StorageDescriptor, Location: undefined });
    }
  });

  it('MergeNewColumns: the changed partition gains the new column and keeps every old one', async () => {
    const { root, catalog, definition } = await crawledThenChanged({ Configuration: MERGE });
    expect(await runCrawler(definition, { catalog })).toMatchObject({ tablesUpdated: ['sales'], partitionsUpdated: 1 });
    expect(await partitionColumns(catalog)).toEqual([[['2024'], SALES], [['2025'], WITH_NOTE]]);
    // The column `score` disappears from 2025's file (two more partitions keep the folders one table, as Glue's
    // majority rule decides): MergeNewColumns never removes it, from the partition or the table.
    await writeLake(root, { 'year=2022/a.csv': salesCsv(1), 'year=2023/a.csv': salesCsv(1), 'year=2025/a.csv': 'id,name,note\n7,g,hello\n' });
    expect(await runCrawler(definition, { catalog })).toMatchObject({ tablesCreated: [], tablesUpdated: [], partitionsAdded: 2, partitionsUpdated: 0 });
    expect(await partitionColumns(catalog)).toEqual([[['2022'], SALES], [['2023'], SALES], [['2024'], SALES], [['2025'], WITH_NOTE]]);
    expect(await versions(catalog)).toEqual(['2', '1']);
  });
});

describe('sluice crawl --inherit-from-table', () => {
  it('sets CrawlerOutput.Partitions.AddOrUpdateBehavior InheritFromTable: a recrawl updates every partition', async () => {
    const { root, catalog } = await crawledThenChanged();
    const args = ['crawl', root, '--database', 'lake', '--name', 'nightly', '--inherit-from-table', '--catalog', catalog.root];
    const first = await runCliInProcess(args);
    expect(first.code).toBe(0);
    expect(first.out).toContain('partitions added 0, updated 2, deleted 0');
    expect(await partitionColumns(catalog)).toEqual([[['2024'], WITH_NOTE], [['2025'], WITH_NOTE]]);
  });
});

describe('Catalog.batchUpdatePartition', () => {
  it('replaces storage and parameters, keeps values and CreationTime, and reports partitions not found', async () => {
    const { catalog, before } = await crawledThenChanged();
    const result = await catalog.batchUpdatePartition('lake', 'sales', [
      { PartitionValueList: ['2024'], PartitionInput: { Values: ['2024'], StorageDescriptor: { Location: '/x/', Columns: [{ Name: 'a', Type: 'int' }] }, Parameters: { k: 'v' } } },
      { PartitionValueList: ['1999'], PartitionInput: { Values: ['1999'], Parameters: {} } },
    ]);
    expect(result).toEqual({ updated: [['2024']], missing: [['1999']] });
    const [p2024] = await catalog.getPartitions('lake', 'sales');
    expect(p2024).toEqual({ ...before[0], StorageDescriptor: { Location: '/x/', Columns: [{ Name: 'a', Type: 'int' }] }, Parameters: { k: 'v' } });
  });
});
