import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { catalogReadStats } from '../../src/frame/readTable.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { filesUnder, tempDir } from '../support/files.js';

const frameOf = (ids: number[], extra = false) => DataFrame.fromRows(
  ids.map((id) => ({ Id: id, Amount: id * 10, Year: String(2020 + (id % 3)), ...(extra ? { Note: `n${id}` } : {}) })),
  { Id: 'int64', Amount: 'float64', Year: 'string', ...(extra ? { Note: 'string' } : {}) },
);

async function setUp() {
  const dir = await tempDir('sluice-catalog-sink-');
  const catalog = Catalog.open(join(dir, 'catalog'));
  await catalog.createDatabase({ Name: 'sales' });
  return { dir, catalog, glue: new GlueContext({ catalog }) };
}

const ids = async (glue: GlueContext, options: Partial<Parameters<GlueContext['createDynamicFrame']['fromCatalog']>[0]> = {}) =>
  (await glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', ...options }).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);

describe('catalog sinks (getSink + setCatalogInfo, writeDynamicFrame.fromCatalog)', () => {
  it('getSink creates the table with its partitions, then adds new partitions; UPDATE_IN_DATABASE versions a new schema', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'orders');
    const sink = () => glue.getSink({ connectionType: 'file', path, enableUpdateCatalog: true, updateBehavior: 'UPDATE_IN_DATABASE', partitionKeys: ['Year'] })
      .setFormat('glueparquet')
      .setCatalogInfo({ catalogDatabase: 'Sales', catalogTableName: 'Orders' });
    await sink().writeFrame(frameOf([1, 2]));
    const table = await catalog.getTable('sales', 'orders');
    expect(table).toMatchObject({
      Name: 'orders', DatabaseName: 'sales', TableType: 'EXTERNAL_TABLE', VersionId: '1',
      PartitionKeys: [{ Name: 'year', Type: 'string' }],
      Parameters: { classification: 'parquet' },
      StorageDescriptor: {
        Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'double' }],
        Location: `${path}/`,
        InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
      },
    });
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => [p.Values, p.StorageDescriptor?.Location])).toEqual([
      [['2021'], `${path}/Year=2021/`], [['2022'], `${path}/Year=2022/`],
    ]);
    await sink().writeFrame(frameOf([3, 4]));
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['2020', '2021', '2022']);
    expect((await catalog.getTable('sales', 'orders'))?.VersionId).toBe('1'); // same schema: no new version
    await sink().writeFrame(frameOf([5], true));
    const v2 = await catalog.getTable('sales', 'orders');
    expect(v2?.VersionId).toBe('2');
    expect(v2?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['id', 'amount', 'note']);
    expect(await ids(glue)).toEqual([1, 2, 3, 4, 5]);
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]); // nothing left pending
  });

  it('LOG keeps the schema and adds no partition for a frame with new columns; without enableUpdateCatalog nothing is registered', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'orders');
    const sink = (extra: boolean, update = true) => glue.getSink({ path, enableUpdateCatalog: update, updateBehavior: 'LOG', partitionKeys: ['Year'] })
      .setFormat('json').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf(extra ? [6] : [1], extra));
    await sink(false);
    await sink(true);
    expect((await catalog.getTable('sales', 'orders'))?.StorageDescriptor?.Columns?.map((c) => c.Name)).toEqual(['id', 'amount']);
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['2021']);
    await glue.getSink({ path, partitionKeys: ['Year'] }).setFormat('json').writeFrame(frameOf([2]));
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['2021']);
  });

  it('writeDynamicFrame.fromCatalog writes into the table\'s Location in its format and registers partitions', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'orders');
    await glue.getSink({ path, enableUpdateCatalog: true, partitionKeys: ['year'] }).setFormat('csv').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([1]));
    await glue.writeDynamicFrame.fromCatalog({ frame: frameOf([2, 3]), database: 'sales', tableName: 'orders', additionalOptions: { enableUpdateCatalog: true, partitionKeys: ['year'] } });
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['2020', '2021', '2022']);
    expect((await filesUnder(path)).filter((f) => f.endsWith('.csv')).length).toBe(3);
    expect(await ids(glue)).toEqual([1, 2, 3]);
  });

  it('refuses what Glue refuses, naming it', async () => {
    const { dir, glue } = await setUp();
    const path = join(dir, 'lake', 'orders');
    await glue.getSink({ path, enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('parquet').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([1]));
    await expect(glue.getSink({ path, enableUpdateCatalog: true }).setFormat('parquet').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([2])))
      .rejects.toThrow("the sink's partitionKeys [] must equal table sales.orders's, in order: [year]");
    await expect(glue.getSink({ path, enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('json').setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([2])))
      .rejects.toThrow('table sales.orders is parquet; this sink writes json');
    await expect(glue.getSink({ path, enableUpdateCatalog: true }).setFormat('parquet').writeFrame(frameOf([2]))).rejects.toThrow('enableUpdateCatalog needs setCatalogInfo');
    expect(() => glue.getSink({ path, enableUpdateCatlog: true } as never)).toThrow("unknown getSink option 'enableUpdateCatlog'; did you mean 'enableUpdateCatalog'?");
    expect(() => glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', additionalOptions: { pushdownPredicate: 'x' } }))
      .toThrow("unknown catalog source option 'pushdownPredicate'; did you mean 'pushDownPredicate'?");
    await expect(glue.getSink({ path: join(dir, 'x'), enableUpdateCatalog: true }).setFormat('parquet').setCatalogInfo({ catalogDatabase: 'nodb', catalogTableName: 't' }).writeFrame(frameOf([1])))
      .rejects.toThrow('Database nodb not found');
  });
});

describe('createDynamicFrame.fromCatalog', () => {
  it('prunes with pushDownPredicate and catalogPartitionPredicate before listing', async () => {
    const { dir, glue } = await setUp();
    await glue.getSink({ path: join(dir, 'lake', 'orders'), enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('parquet')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([1, 2, 3, 4, 5, 6]));
    const frame = glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', pushDownPredicate: "(year == '2020' or year == '2021')", additionalOptions: { catalogPartitionPredicate: "year <> '2020'" } });
    expect((await frame.toRows()).map((r) => Number(r.id)).sort()).toEqual([1, 4]);
    expect(catalogReadStats(frame)).toEqual({ partitions: 2, partitionsListed: 1, filesListed: 1, filesChosen: 1 });
  });

  it('with bookmarks, a run reads only the files of partitions added since the last one', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'orders');
    const write = (list: number[]) => glue.getSink({ path, enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('parquet')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf(list));
    const run = async () => {
      const context = new GlueContext({ catalog });
      const job = new Job(context, { stateDir: join(dir, 'state') });
      await job.init('orders_job', { 'job-bookmark-option': 'job-bookmark-enable' });
      const frame = context.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', transformationCtx: 'orders' });
      const got = (await frame.toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
      await job.commit();
      return got;
    };
    await write([3]); // Year=2020
    expect(await run()).toEqual([3]);
    await write([1, 4]); // Year=2021, a new partition
    expect(await run()).toEqual([1, 4]);
    expect(await run()).toEqual([]);
  });

  it('a bookmarked run reads new partitions and registers what it writes when it commits, not before', async () => {
    const { dir, catalog, glue } = await setUp();
    await catalog.createTable('sales', { Name: 'copy', PartitionKeys: [{ Name: 'year', Type: 'string' }], StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'double' }], Location: join(dir, 'lake', 'copy') }, Parameters: { classification: 'parquet' } });
    await glue.getSink({ path: join(dir, 'lake', 'orders'), enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('parquet')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([1, 2]));
    const run = async () => {
      const context = new GlueContext({ catalog });
      const job = new Job(context, { stateDir: join(dir, 'state') });
      await job.init('copy_job', { 'job-bookmark-option': 'job-bookmark-enable' });
      const frame = context.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', transformationCtx: 'orders' });
      await context.writeDynamicFrame.fromCatalog({ frame, database: 'sales', tableName: 'copy', additionalOptions: { enableUpdateCatalog: true } });
      // Staged, not committed: the catalog does not show it yet; its update is put as pending only in the commit.
      const before = (await catalog.getPartitions('sales', 'copy')).length;
      expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
      await job.commit();
      return { before, after: (await catalog.getPartitions('sales', 'copy')).map((p) => p.Values![0]) };
    };
    expect(await run()).toEqual({ before: 0, after: ['2021', '2022'] });
    await glue.getSink({ path: join(dir, 'lake', 'orders'), enableUpdateCatalog: true, partitionKeys: ['Year'] }).setFormat('parquet')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frameOf([3]));
    expect(await run()).toEqual({ before: 2, after: ['2020', '2021', '2022'] });
    const copied = await glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'copy' }).toRows();
    expect(copied.map((r) => Number(r.id)).sort()).toEqual([1, 2, 3]);
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
  });
});

describe('null partition values', () => {
  it('a null key is written to Hive\'s default partition, registered with its name, and reads back as null', async () => {
    const { dir, catalog, glue } = await setUp();
    const frame = DataFrame.fromRows([{ id: 1, k: 'a' }, { id: 2, k: null }], { id: 'int32', k: 'string' });
    await glue.getSink({ path: join(dir, 'lake', 'n'), enableUpdateCatalog: true, partitionKeys: ['k'] }).setFormat('parquet')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'n' }).writeFrame(frame);
    expect((await catalog.getPartitions('sales', 'n')).map((p) => p.Values![0])).toEqual(['__HIVE_DEFAULT_PARTITION__', 'a']);
    const rows = await glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'n' }).toRows();
    expect(rows.sort((a, b) => Number(a.id) - Number(b.id))).toEqual([{ id: 1, k: 'a' }, { id: 2, k: null }]);
  });
});

describe('tables a sink creates, exactly', () => {
  it('csv, unpartitioned: the whole Table document', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'plain');
    await glue.getSink({ path, enableUpdateCatalog: true }).setFormat('csv', { separator: '|' })
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'Plain' }).writeFrame(frameOf([1, 2]));
    expect(await catalog.getTable('sales', 'plain')).toEqual({
      Name: 'plain',
      DatabaseName: 'sales',
      TableType: 'EXTERNAL_TABLE',
      VersionId: '1',
      CreateTime: expect.any(Date),
      UpdateTime: expect.any(Date),
      PartitionKeys: [],
      Parameters: { classification: 'csv', delimiter: '|', 'skip.header.line.count': '1' },
      StorageDescriptor: {
        Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'amount', Type: 'double' }, { Name: 'year', Type: 'string' }],
        Location: `${path}/`,
        InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': '|' } },
        Compressed: false,
        NumberOfBuckets: -1,
      },
    });
    expect(await catalog.getPartitions('sales', 'plain')).toEqual([]);
    const rows = await glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'plain' }).toRows();
    expect(rows.map((r) => ({ ...r, id: Number(r.id) }))).toEqual([{ id: 1, amount: 10, year: '2021' }, { id: 2, amount: 20, year: '2022' }]);
    expect((await catalog.getTableVersions('sales', 'plain')).map((v) => v.VersionId)).toEqual(['1']);
  });

  it('json, partitioned by two keys: keys typed from the frame, one partition per folder', async () => {
    const { dir, catalog, glue } = await setUp();
    const path = join(dir, 'lake', 'events');
    const frame = DataFrame.fromRows([{ v: 'a', y: 2024, m: 1 }, { v: 'b', y: 2024, m: 2 }, { v: 'c', y: 2025, m: 1 }], { v: 'string', y: 'int32', m: 'int32' });
    await glue.getSink({ path, enableUpdateCatalog: true, partitionKeys: ['y', 'm'] }).setFormat('json')
      .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'events' }).writeFrame(frame);
    const table = await catalog.getTable('sales', 'events');
    expect(table?.PartitionKeys).toEqual([{ Name: 'y', Type: 'int' }, { Name: 'm', Type: 'int' }]);
    expect(table?.StorageDescriptor?.Columns).toEqual([{ Name: 'v', Type: 'string' }]);
    expect(table?.Parameters).toEqual({ classification: 'json' });
    expect(table?.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe' });
    expect((await catalog.getPartitions('sales', 'events')).map((p) => [p.Values, p.StorageDescriptor?.Location])).toEqual([
      [['2024', '1'], `${path}/y=2024/m=1/`], [['2024', '2'], `${path}/y=2024/m=2/`], [['2025', '1'], `${path}/y=2025/m=1/`],
    ]);
    const got = await glue.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'events', pushDownPredicate: 'y = 2024 and m > 1' }).toRows();
    expect(got).toEqual([{ v: 'b', y: 2024, m: 2 }]);
  });
});
