import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { tempDir, filesUnder, REPO } from '../support/files.js';
import { runScript } from '../support/cli.js';

const csvTable = {
  Name: 'Readings',
  StorageDescriptor: {
    Columns: [{ Name: 'SensorReadingTime', Type: 'bigint' }, { Name: 'value', Type: 'DOUBLE' }],
    Location: 's3://lake/readings/',
  },
  PartitionKeys: [{ Name: 'Year', Type: 'int' }, { Name: 'month', Type: 'string' }],
  Parameters: { classification: 'csv' },
};

async function freshCatalog(): Promise<{ catalog: Catalog; root: string }> {
  const root = join(await tempDir('sluice-catalog-'), 'catalog');
  return { catalog: Catalog.open(root), root };
}

describe('Catalog: databases and tables', () => {
  it('creates, lists and reads databases with lower-cased names; a second create is AlreadyExists', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'Sales', Description: 'orders' });
    await catalog.createDatabase({ Name: 'hr' });
    await expect(catalog.createDatabase({ Name: 'SALES' })).rejects.toThrow(/Database sales already exists/);
    expect((await catalog.getDatabases()).map((d) => d.Name)).toEqual(['hr', 'sales']);
    const sales = await catalog.getDatabase('SaLeS');
    expect(sales?.Description).toBe('orders');
    expect(sales?.CreateTime).toBeInstanceOf(Date);
    expect(await catalog.getDatabase('none')).toBeUndefined();
  });

  it('creates a table as version 1 in Glue\'s shape, names and columns lower-cased', async () => {
    const { catalog, root } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    const created = await catalog.createTable('Lake', csvTable);
    const table = await catalog.getTable('lake', 'READINGS');
    expect(table).toEqual(created);
    expect(table).toMatchObject({
      Name: 'readings',
      DatabaseName: 'lake',
      TableType: 'EXTERNAL_TABLE',
      VersionId: '1',
      StorageDescriptor: { Columns: [{ Name: 'sensorreadingtime', Type: 'bigint' }, { Name: 'value', Type: 'double' }], Location: 's3://lake/readings/' },
      PartitionKeys: [{ Name: 'year', Type: 'int' }, { Name: 'month', Type: 'string' }],
      Parameters: { classification: 'csv' },
    });
    expect(table?.CreateTime).toBeInstanceOf(Date);
    await expect(catalog.createTable('lake', { Name: 'readings' })).rejects.toThrow(/Table lake.readings already exists/);
    await expect(catalog.createTable('nowhere', { Name: 't' })).rejects.toThrow(/Database nowhere not found/);
    expect(await filesUnder(root)).toEqual(['databases/lake.json', 'tables/lake/readings/versions/1.json']);
  });

  it('refuses a column that is also a partition key, and names that only differ in case', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await expect(catalog.createTable('lake', { Name: 't', StorageDescriptor: { Columns: [{ Name: 'A', Type: 'int' }, { Name: 'a', Type: 'int' }] } }))
      .rejects.toThrow(/two columns named 'a'/);
    await expect(catalog.createTable('lake', { Name: 't', StorageDescriptor: { Columns: [{ Name: 'year', Type: 'int' }] }, PartitionKeys: [{ Name: 'Year', Type: 'int' }] }))
      .rejects.toThrow(/'year' is both a column and a partition key/);
    await expect(catalog.createTable('lake', { Name: '../x' })).rejects.toThrow(/cannot contain/);
  });

  it('versions every update like UpdateTable; skipArchive keeps the replaced version out of the history', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', csvTable);
    const withComment = { ...csvTable, Description: 'v2' };
    expect((await catalog.updateTable('lake', withComment)).VersionId).toBe('2');
    expect((await catalog.updateTable('lake', { ...csvTable, Description: 'v3' }, { skipArchive: true })).VersionId).toBe('3');
    expect((await catalog.updateTable('lake', { ...csvTable, Description: 'v4' })).VersionId).toBe('4');
    const versions = await catalog.getTableVersions('lake', 'readings');
    expect(versions.map((v) => [v.VersionId, v.Table?.Description])).toEqual([['4', 'v4'], ['3', 'v3'], ['1', undefined]]);
    expect((await catalog.getTable('lake', 'readings'))?.Description).toBe('v4');
    await expect(catalog.updateTable('lake', csvTable, { versionId: '3' })).rejects.toThrow(/is at version 4, not 3/);
    await expect(catalog.updateTable('lake', { Name: 'missing' })).rejects.toThrow(/Table lake.missing not found/);
  });

  it('deletes a table with its partitions; the name can be created again from version 1 of its history', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', csvTable);
    await catalog.createTable('lake', { Name: 'other' });
    await catalog.batchCreatePartition('lake', 'readings', [{ Values: ['2024', '01'] }]);
    await catalog.deleteTable('lake', 'Readings');
    expect(await catalog.getTable('lake', 'readings')).toBeUndefined();
    expect((await catalog.getTables('lake')).map((t) => t.Name)).toEqual(['other']);
    await expect(catalog.deleteTable('lake', 'readings')).rejects.toThrow(/not found/);
    const again = await catalog.createTable('lake', { ...csvTable, Description: 'again' });
    expect(await catalog.getPartitions('lake', 'readings')).toEqual([]);
    expect((await catalog.getTableVersions('lake', 'readings')).map((v) => v.Table?.Description)).toEqual(['again']);
    expect(again.Description).toBe('again');
  });
});

describe('Catalog: partitions', () => {
  it('creates partitions located at their Hive folders, skips and reports existing values, deletes by values', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', csvTable);
    const first = await catalog.batchCreatePartition('lake', 'readings', [
      { Values: ['2024', '02'] }, { Values: ['2023', '12'] }, { Values: ['2024', '01'], Parameters: { note: 'x' } },
    ]);
    expect(first).toEqual({ created: [['2024', '02'], ['2023', '12'], ['2024', '01']], skipped: [] });
    const second = await catalog.batchCreatePartition('lake', 'readings', [{ Values: ['2024', '01'] }, { Values: ['2025', 'a/b'] }]);
    expect(second).toEqual({ created: [['2025', 'a/b']], skipped: [['2024', '01']] });
    const all = await catalog.getPartitions('lake', 'readings');
    expect(all.map((p) => p.Values)).toEqual([['2023', '12'], ['2024', '01'], ['2024', '02'], ['2025', 'a/b']]);
    expect(all[1]).toMatchObject({
      DatabaseName: 'lake', TableName: 'readings', Parameters: { note: 'x' },
      StorageDescriptor: { Location: 's3://lake/readings/year=2024/month=01/', Columns: [{ Name: 'sensorreadingtime', Type: 'bigint' }, { Name: 'value', Type: 'double' }] },
    });
    expect(all[3].StorageDescriptor?.Location).toBe('s3://lake/readings/year=2025/month=a%2Fb/');
    await expect(catalog.batchCreatePartition('lake', 'readings', [{ Values: ['2024'] }])).rejects.toThrow(/has 1 values; the table's partition keys are 2: year, month/);
    await catalog.batchDeletePartition('lake', 'readings', [['2024', '02'], ['1999', '01']]);
    expect((await catalog.getPartitions('lake', 'readings')).map((p) => p.Values)).toEqual([['2023', '12'], ['2024', '01'], ['2025', 'a/b']]);
  });

  it('filters partitions with a GetPartitions expression over typed keys', async () => {
    const { catalog } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', csvTable);
    await catalog.batchCreatePartition('lake', 'readings', ['2022', '2023', '2024', '2025', 'x'].flatMap((y) => [{ Values: [y, '01'] }, { Values: [y, '02'] }]));
    const values = async (expression: string) => (await catalog.getPartitions('lake', 'readings', { expression })).map((p) => p.Values!.join('-'));
    expect(await values("Year >= 2024 AND month = '02'")).toEqual(['2024-02', '2025-02']);
    expect(await values('year BETWEEN 2022 AND 2023 AND month IN (\'01\')')).toEqual(['2022-01', '2023-01']);
    expect(await values("month LIKE '0%' AND year IS NULL")).toEqual(['x-01', 'x-02']); // 'x' is not an int
    expect(await values('(year = 2025 OR year = 2022) AND NOT month = \'01\'')).toEqual(['2022-02', '2025-02']);
    await expect(values('day = 1')).rejects.toThrow(/names 'day', which is not a partition key; the keys are: year, month/);
  });
});

describe('Catalog: concurrent writers', () => {
  it('two processes updating one table 15 times each lose no update and no version', async () => {
    const { catalog, root } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', { Name: 't', Parameters: { count: '0' } });
    const script = join(await tempDir('sluice-catalog-race-'), 'race.mts');
    await writeFile(script, `
      import { Catalog } from ${JSON.stringify(join(REPO, 'src/catalog/Catalog.ts'))};
      const catalog = Catalog.open(process.env.ROOT);
      const who = process.env.WHO;
      for (let i = 0; i < 15; i++) {
        await catalog.modifyTable('lake', 't', (t) => ({ Name: 't', Parameters: { ...t.Parameters, count: String(Number(t.Parameters.count) + 1), [who + i]: 'x' } }));
        await catalog.batchCreatePartition('lake', 't', []);
      }
    `);
    await Promise.all([runScript(script, { ROOT: root, WHO: 'a' }), runScript(script, { ROOT: root, WHO: 'b' })]);
    const table = await catalog.getTable('lake', 't');
    expect(table?.Parameters?.count).toBe('30');
    expect(Object.keys(table!.Parameters!).length).toBe(31);
    expect(table?.VersionId).toBe('31');
    expect((await catalog.getTableVersions('lake', 't')).length).toBe(31);
  }, 60_000);

  it('two processes adding partitions at once: every partition is kept', async () => {
    const { catalog, root } = await freshCatalog();
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', { Name: 't', PartitionKeys: [{ Name: 'k', Type: 'string' }] });
    const script = join(await tempDir('sluice-catalog-race-'), 'race.mts');
    await writeFile(script, `
      import { Catalog } from ${JSON.stringify(join(REPO, 'src/catalog/Catalog.ts'))};
      const catalog = Catalog.open(process.env.ROOT);
      for (let i = 0; i < 20; i++) await catalog.batchCreatePartition('lake', 't', [{ Values: [process.env.WHO + i] }, { Values: ['shared' + i] }]);
    `);
    await Promise.all([runScript(script, { ROOT: root, WHO: 'a' }), runScript(script, { ROOT: root, WHO: 'b' })]);
    const values = (await catalog.getPartitions('lake', 't')).map((p) => p.Values![0]);
    expect(values.length).toBe(60);
    expect(new Set(values).size).toBe(60);
  }, 60_000);
});
