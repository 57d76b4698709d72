import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { read } from '../../src/frame/read.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { filesUnder, tempDir } from '../support/files.js';

async function setUp() {
  const dir = await tempDir('sluice-catalog-spec-');
  await mkdir(join(dir, 'in'));
  await writeFile(join(dir, 'in', 'orders.csv'), 'Id,Region,Amount\n1,eu,10\n2,us,20\n3,eu,30\n');
  const catalog = Catalog.open(join(dir, 'cat'));
  await catalog.createDatabase({ Name: 'sales' });
  return { dir, catalog };
}

// Data paths are taken from the working folder (absolute here); the catalog from the spec's folder.
const ingest = (dir: string) => ({
  catalog: 'cat',
  nodes: [
    { id: 'raw', type: 'read', format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true } },
    { id: 'lake', type: 'write', input: 'raw', format: 'parquet', path: join(dir, 'lake/orders'), partitionKeys: ['Region'], catalog: { database: 'sales', table: 'orders' } },
  ],
});

const report = (dir: string) => ({
  catalog: 'cat',
  nodes: [
    { id: 'eu', type: 'read', catalog: { database: 'sales', table: 'orders', pushDownPredicate: "region = 'eu'" } },
    { id: 'out', type: 'write', input: 'eu', format: 'json', path: join(dir, 'out') },
  ],
});

describe('job specs with catalog nodes', () => {
  it('a write node registers its table and partitions; a read node reads the table, pruned', async () => {
    const { dir, catalog } = await setUp();
    await writeFile(join(dir, 'ingest.json'), JSON.stringify(ingest(dir)));
    await writeFile(join(dir, 'report.json'), JSON.stringify(report(dir)));
    await runJobSpec(join(dir, 'ingest.json'));
    expect((await catalog.getTable('sales', 'orders'))?.PartitionKeys).toEqual([{ Name: 'region', Type: 'string' }]);
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['eu', 'us']);
    await runJobSpec(join(dir, 'report.json'));
    const rows = (await read.json(join(dir, 'out')).toRows()).map((r) => ({ id: Number(r.id), region: r.region })).sort((a, b) => a.id - b.id);
    expect(rows).toEqual([{ id: 1, region: 'eu' }, { id: 3, region: 'eu' }]);
  });

  it('a bookmarked spec reads only new partitions of a catalog table', async () => {
    const { dir, catalog } = await setUp();
    await writeFile(join(dir, 'ingest.json'), JSON.stringify(ingest(dir)));
    await runJobSpec(join(dir, 'ingest.json'));
    const copy = { catalog: 'cat', bookmarks: { option: 'enable' }, nodes: [{ id: 'all', type: 'read', catalog: { database: 'sales', table: 'orders' } }, { id: 'out', type: 'write', input: 'all', format: 'json', path: join(dir, 'out') }] };
    await writeFile(join(dir, 'copy.json'), JSON.stringify(copy));
    expect((await runJobSpec(join(dir, 'copy.json'))).sinks[0].rows).toBe(3);
    await writeFile(join(dir, 'in', 'orders.csv'), 'Id,Region,Amount\n4,apac,40\n');
    await runJobSpec(join(dir, 'ingest.json')); // appends a new partition, region=apac
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['apac', 'eu', 'us']);
    expect((await runJobSpec(join(dir, 'copy.json'))).sinks[0].rows).toBe(1);
  });

  it('validates catalog nodes: a read node names a table or files, not both', () => {
    expect(jobSpecProblems({ nodes: [
      { id: 'a', type: 'read', format: 'csv', paths: ['x'], catalog: { database: 'd', table: 't' } },
      { id: 'w', type: 'write', input: 'a', format: 'json', path: 'o', catalog: { database: 'd', tabel: 't' } },
    ] })).toEqual([
      'nodes[0]: give format and paths, or catalog, not both',
      'nodes[1].catalog.table: required',
      "nodes[1].catalog.tabel: unknown field (did you mean 'table'?); allowed: database, table, updateBehavior",
    ]);
    expect(jobSpecProblems({ nodes: [{ id: 'a', type: 'read' }, { id: 'w', type: 'write', input: 'a', format: 'json', path: 'o' }] }))
      .toEqual(['nodes[0]: needs format and paths, or catalog']);
    expect(jobSpecProblems({ nodes: [
      { id: 'a', type: 'read', catalog: { database: 'd', table: 't', pushDownPredicate: "x = '1'" } },
      { id: 'w', type: 'write', input: 'a', format: 'json', path: 'o', catalog: { database: 'd', table: 't', updateBehavior: 'LOG' } },
    ] })).toEqual([]);
  });
});

describe('a bookmarked job spec with a catalog write node', () => {
  it('registers what each run writes when the run commits: only new files, only new partitions', async () => {
    const { dir, catalog } = await setUp();
    const spec = { ...ingest(dir), bookmarks: { option: 'enable' } };
    await writeFile(join(dir, 'ingest.json'), JSON.stringify(spec));
    const first = await runJobSpec(join(dir, 'ingest.json'));
    expect(first.sinks[0].rows).toBe(3);
    expect(first.bookmark).toMatchObject({ status: 'succeeded', files: 1 });
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['eu', 'us']);
    expect((await runJobSpec(join(dir, 'ingest.json'))).sinks[0].rows).toBe(0); // nothing new: no rows, no partition
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['eu', 'us']);
    await writeFile(join(dir, 'in', 'more.csv'), 'Id,Region,Amount\n4,apac,40\n5,eu,50\n');
    expect((await runJobSpec(join(dir, 'ingest.json'))).sinks[0].rows).toBe(2);
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['apac', 'eu', 'us']);
    const rows = await read.table('sales.orders', { catalog }).toRows();
    expect(rows.map((r) => Number(r.id)).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await filesUnder(join(dir, 'cat', 'updates'))).toEqual([]);
  });

  it('a run refused by maxErrors publishes nothing and registers nothing', async () => {
    const { dir, catalog } = await setUp();
    await writeFile(join(dir, 'in', 'orders.csv'), 'Id,Region,Amount\n1,eu,10\nx,us,20\n');
    const [raw, lake] = ingest(dir).nodes;
    const spec = { catalog: 'cat', bookmarks: { option: 'enable' }, maxErrors: 0, nodes: [{ ...raw, schema: { Id: 'int64', Region: 'string', Amount: 'int64' } }, lake] };
    await writeFile(join(dir, 'ingest.json'), JSON.stringify(spec));
    await expect(runJobSpec(join(dir, 'ingest.json'))).rejects.toThrow(/error record/);
    expect(await catalog.getTable('sales', 'orders')).toBeUndefined();
    expect(await filesUnder(join(dir, 'lake'))).toEqual([]);
    expect(await filesUnder(join(dir, 'cat', 'updates'))).toEqual([]);
  });
});
