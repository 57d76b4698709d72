import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import type { CrawlerDefinition } from '../../../src/catalog/crawler/crawlerDefinition.js';
import { crawlerRuns, runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

async function setUp(extra: Partial<CrawlerDefinition> = {}) {
  const dir = await tempDir();
  const root = join(dir, 'sales');
  await writeLake(root, { 'year=2024/a.csv': salesCsv(2), 'year=2025/a.csv': salesCsv(3) });
  const catalog = Catalog.open(join(dir, 'catalog'));
  const definition: CrawlerDefinition = { Name: 'nightly', DatabaseName: 'Lake', Targets: { S3Targets: [{ Path: root }] }, ...extra };
  return { dir, root, catalog, definition };
}

const columnNames = async (catalog: Catalog, table = 'sales') => (await catalog.getTable('lake', table))?.StorageDescriptor?.Columns?.map((c) => `${c.Name}:${c.Type}`);
const partitionValues = async (catalog: Catalog, table = 'sales') => (await catalog.getPartitions('lake', table)).map((p) => p.Values);

describe('runCrawler: a crawl applied to the catalog by the schema-change policies, with history', () => {
  it('creates the database, table and partitions; a rerun adds only the new partition', async () => {
    const { root, catalog, definition } = await setUp();
    const first = await runCrawler(definition, { catalog });
    expect(first).toMatchObject({ status: 'SUCCEEDED', tablesCreated: ['sales'], tablesUpdated: [], partitionsAdded: 2, filesRead: 2 });
    expect(await columnNames(catalog)).toEqual(['id:bigint', 'name:string', 'score:double']);
    expect(await partitionValues(catalog)).toEqual([['2024'], ['2025']]);
    await writeLake(root, { 'year=2026/a.csv': salesCsv(1) });
    const second = await runCrawler(definition, { catalog });
    expect(second).toMatchObject({ tablesCreated: [], tablesUpdated: [], partitionsAdded: 1, filesRead: 3 });
    expect(await partitionValues(catalog)).toEqual([['2024'], ['2025'], ['2026']]);
    expect((await catalog.getTableVersions('lake', 'sales')).map((v) => v.VersionId)).toEqual(['1']);
    expect((await crawlerRuns('nightly', { catalog })).map((r) => [r.tablesCreated, r.partitionsAdded])).toEqual([[['sales'], 2], [[], 1]]);
  });

  it('a new column: UPDATE_IN_DATABASE makes a new table version; LOG leaves it and logs; MergeNewColumns adds it', async () => {
    for (const [policy, expected] of [
      [{}, { updated: ['sales'], columns: ['id:bigint', 'name:string', 'score:double', 'note:string'], versions: ['2', '1'] }],
      [{ SchemaChangePolicy: { UpdateBehavior: 'LOG' } }, { updated: [], columns: ['id:bigint', 'name:string', 'score:double'], versions: ['1'] }],
      [{ Configuration: JSON.stringify({ Version: 1.0, CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' } } }) }, { updated: ['sales'], columns: ['id:bigint', 'name:string', 'score:double', 'note:string'], versions: ['2', '1'] }],
    ] as const) {
      const { root, catalog, definition } = await setUp(policy as Partial<CrawlerDefinition>);
      await runCrawler(definition, { catalog });
      await writeLake(root, { 'year=2026/a.csv': 'id,name,score,note\n9,x,1.5,hello\n' });
      const run = await runCrawler(definition, { catalog });
      expect(run.tablesUpdated).toEqual(expected.updated);
      expect(run.partitionsAdded).toBe(1);
      expect(await columnNames(catalog)).toEqual(expected.columns);
      expect((await catalog.getTableVersions('lake', 'sales')).map((v) => v.VersionId)).toEqual(expected.versions);
      if (expected.updated.length === 0) expect(run.logged).toEqual(['table lake.sales: the crawl found a different schema or format; not updated (UpdateBehavior LOG)']);
    }
  });

  it('MergeNewColumns never removes a column, and a changed delimiter deprecates the table', async () => {
    const { root, catalog, definition } = await setUp({ Configuration: JSON.stringify({ CrawlerOutput: { Tables: { AddOrUpdateBehavior: 'MergeNewColumns' } } }) });
    await runCrawler(definition, { catalog });
    await rm(root, { recursive: true });
    await writeLake(root, { 'year=2024/a.csv': 'id|name\n1|a\n' });
    const run = await runCrawler(definition, { catalog });
    expect(run.tablesDeprecated).toEqual(['sales']);
    expect(run.logged).toContain("table lake.sales: delimiter changed from ',' to '|'; the table is deprecated (MergeNewColumns)");
    const table = await catalog.getTable('lake', 'sales');
    expect(table?.Parameters?.DEPRECATED_BY_CRAWLER).toBe('nightly');
    expect(await columnNames(catalog)).toEqual(['id:bigint', 'name:string', 'score:double']);
    const again = await runCrawler(definition, { catalog });
    expect([again.tablesDeprecated, again.tablesUpdated]).toEqual([[], []]);
    expect((await catalog.getTableVersions('lake', 'sales')).map((v) => v.VersionId)).toEqual(['2', '1']);
  });

  it('DeleteBehavior: a partition folder gone is deleted (DELETE_FROM_DATABASE) or kept and logged', async () => {
    const del = await setUp({ SchemaChangePolicy: { DeleteBehavior: 'DELETE_FROM_DATABASE' } });
    await runCrawler(del.definition, { catalog: del.catalog });
    await rm(join(del.root, 'year=2024'), { recursive: true });
    expect(await runCrawler(del.definition, { catalog: del.catalog })).toMatchObject({ partitionsDeleted: 1 });
    expect(await partitionValues(del.catalog)).toEqual([['2025']]);

    const keep = await setUp();
    await runCrawler(keep.definition, { catalog: keep.catalog });
    await rm(join(keep.root, 'year=2024'), { recursive: true });
    expect((await runCrawler(keep.definition, { catalog: keep.catalog })).logged).toEqual(['partition (2024) of lake.sales: no longer found; kept (DeleteBehavior DEPRECATE_IN_DATABASE)']);
    expect(await partitionValues(keep.catalog)).toEqual([['2024'], ['2025']]);

  });

  it('a table no longer found is deprecated (default), deleted (DELETE_FROM_DATABASE) or logged (LOG)', async () => {
    for (const [behavior, check] of [
      [undefined, async (c: Catalog) => expect((await c.getTable('lake', 'year_2025'))?.Parameters?.DEPRECATED_BY_CRAWLER).toBe('nightly')],
      ['DELETE_FROM_DATABASE', async (c: Catalog) => expect(await c.getTable('lake', 'year_2025')).toBeUndefined()],
      ['LOG', async (c: Catalog) => expect((await c.getTable('lake', 'year_2025'))?.Parameters?.DEPRECATED_BY_CRAWLER).toBeUndefined()],
    ] as const) {
      const { root, catalog, definition } = await setUp(behavior ? { SchemaChangePolicy: { DeleteBehavior: behavior } } : {});
      await writeLake(root, { 'year=2025/a.csv': 'city,population\nRome,9\n' }); // dissimilar: two tables
      const first = await runCrawler(definition, { catalog });
      expect(first.tablesCreated).toEqual(['year_2024', 'year_2025']);
      await rm(join(root, 'year=2025'), { recursive: true });
      await writeLake(root, { 'year=2026/a.csv': 'x,y\n1,2\n' });
      const run = await runCrawler(definition, { catalog });
      expect(run.tablesCreated).toEqual(['year_2026']);
      expect([run.tablesDeprecated, run.tablesDeleted].flat()).toEqual(behavior === 'LOG' ? [] : ['year_2025']);
      await check(catalog);
    }
  });

  it('CRAWL_NEW_FOLDERS_ONLY reads only folders not yet in the catalog', async () => {
    const { root, catalog, definition } = await setUp({ RecrawlPolicy: { RecrawlBehavior: 'CRAWL_NEW_FOLDERS_ONLY' } });
    expect(await runCrawler(definition, { catalog })).toMatchObject({ filesRead: 2, partitionsAdded: 2, recrawl: 'CRAWL_NEW_FOLDERS_ONLY' });
    await writeLake(root, { 'year=2026/a.csv': 'id,name,score,note\n9,x,1.5,hello\n' });
    const run = await runCrawler(definition, { catalog });
    expect(run).toMatchObject({ filesRead: 1, partitionsAdded: 1, tablesUpdated: [], tablesCreated: [] });
    expect(await partitionValues(catalog)).toEqual([['2024'], ['2025'], ['2026']]);
    expect(await columnNames(catalog)).toEqual(['id:bigint', 'name:string', 'score:double']);
  });

  it('TableThreshold: a crawl finding more tables fails and writes nothing; the failure is in the history', async () => {
    const { root, catalog, definition } = await setUp({ Configuration: JSON.stringify({ CrawlerOutput: { Tables: { TableThreshold: 1 } } }) });
    await writeLake(root, { 'year=2025/a.csv': 'city,population\nRome,9\n' });
    await expect(runCrawler(definition, { catalog })).rejects.toThrow('Crawler nightly failed: Crawler nightly found 2 tables, more than its TableThreshold of 1: nothing was written to the catalog');
    expect(await catalog.getDatabase('lake')).toBeUndefined();
    expect((await crawlerRuns('nightly', { catalog })).map((r) => r.status)).toEqual(['FAILED']);
  });

  it('an unknown option in a definition is an error naming it', async () => {
    const { catalog, definition } = await setUp();
    await expect(runCrawler({ ...definition, SchemaChangePolicy: { UpdateBehaviour: 'LOG' } } as unknown as CrawlerDefinition, { catalog }))
      .rejects.toThrow("Crawler definition SchemaChangePolicy: unknown option 'UpdateBehaviour'; known: UpdateBehavior, DeleteBehavior");
    await expect(runCrawler({ ...definition, Configuration: '{"Grouping":{"TableLevelConfiguration":0}}' }, { catalog }))
      .rejects.toThrow('Crawler definition Configuration.Grouping.TableLevelConfiguration: must be a whole number from 1 (the top folder), not 0');
  });
});

describe('runCrawler: many partitions', () => {
  it('adds partitions in concurrent batches and counts every one', async () => {
    const dir = await tempDir();
    const root = join(dir, 'wide');
    const files: Record<string, string> = {};
    for (let p = 0; p < 230; p++) files[`dt=${String(p).padStart(3, '0')}/a.csv`] = `id,v\n${p},1.5\n`;
    await writeLake(root, files);
    const catalog = Catalog.open(join(dir, 'catalog'));
    const run = await runCrawler({ Name: 'wide', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: root }] } }, { catalog });
    expect(run.partitionsAdded).toBe(230);
    const partitions = await catalog.getPartitions('lake', 'wide');
    expect(partitions.length).toBe(230);
    expect(partitions[229].Values).toEqual(['229']);
  });
});

describe('runCrawler: partitions InheritFromTable', () => {
  it('gives every partition the table columns and parameters, at its own location', async () => {
    const { root, catalog, definition } = await setUp({ Configuration: JSON.stringify({ CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } }) });
    await writeLake(root, { 'year=2026/a.csv': 'id,name,score,note\n9,x,1.5,hello\n' });
    await runCrawler(definition, { catalog });
    const partitions = await catalog.getPartitions('lake', 'sales');
    const table = await catalog.getTable('lake', 'sales');
    expect(partitions.map((p) => [p.StorageDescriptor?.Location, p.StorageDescriptor?.Columns?.length, p.Parameters?.recordCount])).toEqual([
      [`${root}/year=2024/`, 4, table?.Parameters?.recordCount],
      [`${root}/year=2025/`, 4, table?.Parameters?.recordCount],
      [`${root}/year=2026/`, 4, table?.Parameters?.recordCount],
    ]);
  });
});
