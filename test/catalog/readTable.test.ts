import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { catalogReadStats } from '../../src/frame/readTable.js';
import { storageOfFormat } from '../../src/catalog/tableStorage.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

const rows = Array.from({ length: 40 }, (_, i) => ({ Id: i, SensorReadingTime: 1_700_000_000 + i, Region: i % 3 === 0 ? 'eu' : 'us', year: 2022 + (i % 4) }));

async function lake(format: 'parquet' | 'json' | 'csv') {
  const dir = await tempDir('sluice-catalog-read-');
  const location = join(dir, 'readings');
  await DataFrame.fromRows(rows, { Id: 'int64', SensorReadingTime: 'int64', Region: 'string', year: 'int32' })
    .write.to({ format, path: location, partitionKeys: ['year'] });
  const catalog = Catalog.open(join(dir, 'catalog'));
  await catalog.createDatabase({ Name: 'lake' });
  const { storage, parameters } = storageOfFormat(format);
  await catalog.createTable('lake', {
    Name: 'readings',
    StorageDescriptor: {
      ...storage,
      Location: `${location}/`,
      Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'sensorreadingtime', Type: 'bigint' }, { Name: 'region', Type: 'string' }],
    },
    PartitionKeys: [{ Name: 'year', Type: 'int' }],
    Parameters: parameters,
  });
  await catalog.batchCreatePartition('lake', 'readings', [2022, 2023, 2024, 2025].map((y) => ({ Values: [String(y)] })));
  return { dir, location, catalog };
}

const sortById = (r: Record<string, unknown>[]) => [...r].sort((a, b) => Number(a.id) - Number(b.id));

describe('read.table', () => {
  for (const format of ['parquet', 'json', 'csv'] as const) {
    it(`${format}: the catalog's lower-case names and types, partition keys last, the rows DuckDB reads at the table's Location`, async () => {
      const { location, catalog } = await lake(format);
      const frame = read.table('Lake.Readings', { catalog });
      const schema = await frame.schema();
      expect(schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int64', 'sensorreadingtime:Int64', 'region:Utf8', 'year:Int32']);
      const ours = sortById((await frame.toRows()).map((r) => ({ ...r, id: Number(r.id), sensorreadingtime: Number(r.sensorreadingtime) })));
      const reader = format === 'parquet' ? 'read_parquet' : format === 'json' ? 'read_json_auto' : 'read_csv_auto';
      const theirs = await duck(`SELECT Id AS id, SensorReadingTime AS sensorreadingtime, Region AS region, CAST(year AS INTEGER) AS year
        FROM ${reader}('${location}/*/*.${format === 'json' ? 'json' : format}', hive_partitioning = true)`);
      expect(ours).toEqual(sortById(theirs.map((r) => ({ ...r, id: Number(r.id), sensorreadingtime: Number(r.sensorreadingtime) }))));
      expect(ours.length).toBe(40);
    });
  }

  it('pushDownPredicate and catalogPartitionPredicate prune partitions before their folders are listed', async () => {
    const { location, catalog } = await lake('parquet');
    // A partition that must not be read: its folder holds a file that is not Parquet.
    await writeFile(join(location, 'year=2022', 'part-broken.parquet'), 'not parquet');
    const frame = read.table('lake.readings', { catalog, pushDownPredicate: "year >= 2024 AND year <> 2025", catalogPartitionPredicate: 'year > 2022' });
    const got = await frame.toRows();
    expect(new Set(got.map((r) => r.year))).toEqual(new Set([2024]));
    expect(got.length).toBe(10);
    expect(catalogReadStats(frame)).toEqual({ partitions: 3, partitionsListed: 1, filesListed: 1, filesChosen: 1 });
    const all = read.table('lake.readings', { catalog });
    await expect(all.count()).rejects.toThrow(/part-broken\.parquet/);
  });

  it('a catalog column the files lack reads as nulls; an unpartitioned table is read from its Location', async () => {
    const dir = await tempDir('sluice-catalog-read-');
    await mkdir(join(dir, 'flat'));
    await writeFile(join(dir, 'flat', 'a.json'), '{"ID": 1, "Name": "x"}\n{"ID": 2, "Name": "y"}\n');
    const catalog = Catalog.open(join(dir, 'catalog'));
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', {
      Name: 'flat',
      StorageDescriptor: { Location: join(dir, 'flat'), Columns: [{ Name: 'id', Type: 'int' }, { Name: 'name', Type: 'string' }, { Name: 'extra', Type: 'double' }] },
      Parameters: { classification: 'json' },
    });
    expect(await read.table('lake.flat', { catalog }).toRows()).toEqual([{ id: 1, name: 'x', extra: null }, { id: 2, name: 'y', extra: null }]);
    await expect(read.table('lake.none', { catalog }).toRows()).rejects.toThrow(/Table lake.none not found/);
  });
});
