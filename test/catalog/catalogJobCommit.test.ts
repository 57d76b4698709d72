import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { runScript, runSluice } from '../support/cli.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';

const orders = (ids: number[]) => DataFrame.fromRows(ids.map((id) => ({ id, grp: String(id % 3) })), { id: 'int64', grp: 'string' });

async function setUp() {
  const dir = await tempDir('sluice-catalog-job-');
  const catalog = Catalog.open(join(dir, 'catalog'));
  await catalog.createDatabase({ Name: 'sales' });
  return { dir, catalog };
}

/** A path sink (all rows as JSON to `copy`) and a catalog sink (parquet, grp= partitions, into sales.orders), through one context. */
async function writeBoth(glue: GlueContext, dir: string, ids: number[]): Promise<void> {
  await glue.writeDynamicFrame.fromOptions({ frame: orders(ids), connectionType: 'file', connectionOptions: { path: join(dir, 'copy') }, format: 'json' });
  await glue.getSink({ path: join(dir, 'lake', 'orders'), enableUpdateCatalog: true, partitionKeys: ['grp'] }).setFormat('parquet')
    .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(orders(ids));
}

const dataFiles = async (out: string) => (await filesUnder(out)).filter((f) => !f.startsWith('_') && !f.startsWith('.'));
const sortedIds = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

/** Nothing published, no table, nothing pending or staged: the state before the run. */
async function expectNothing(dir: string, catalog: Catalog): Promise<void> {
  expect(await dataFiles(join(dir, 'copy'))).toEqual([]);
  expect(await dataFiles(join(dir, 'lake', 'orders'))).toEqual([]);
  expect(await catalog.getTable('sales', 'orders')).toBeUndefined();
  expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
  expect((await filesUnder(dir)).filter((f) => f.includes('sluice-staging'))).toEqual([]);
}

async function expectBoth(dir: string, catalog: Catalog, ids: number[]): Promise<void> {
  expect(sortedIds(await read.json(join(dir, 'copy')).toRows())).toEqual(ids);
  expect(sortedIds(await read.table('sales.orders', { catalog }).toRows())).toEqual(ids);
  expect(sortedIds(await read.parquet(join(dir, 'lake', 'orders')).toRows())).toEqual(ids);
  expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
}

describe('a catalog sink in a Glue script without bookmarks commits with job.commit()', () => {
  it('in-process: nothing is published and no table exists until job.commit(); then both sinks and the table are', async () => {
    const { dir, catalog } = await setUp();
    const glue = new GlueContext({ catalog });
    const job = new Job(glue);
    await job.init('both', {});
    await writeBoth(glue, dir, [1, 2, 3]);
    expect(await dataFiles(join(dir, 'copy'))).toEqual([]);
    expect(await dataFiles(join(dir, 'lake', 'orders'))).toEqual([]);
    expect(await catalog.getTable('sales', 'orders')).toBeUndefined();
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]); // not even pending before the commit
    const summary = await job.commit();
    expect(summary.writes.map((w) => w.rows)).toEqual([3, 3]);
    await expectBoth(dir, catalog, [1, 2, 3]);
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['0', '1', '2']);
  });

  it('in-process: job.abort() after both sinks publishes nothing and changes no table; the next run writes as usual', async () => {
    const { dir, catalog } = await setUp();
    const glue = new GlueContext({ catalog });
    const job = new Job(glue);
    await job.init('both', {});
    await writeBoth(glue, dir, [1, 2, 3]);
    await job.abort(new Error('failed after the sinks'));
    await expectNothing(dir, catalog);
    const next = new Job(glue);
    await next.init('both', {});
    await writeBoth(glue, dir, [4, 5]);
    await next.commit();
    await expectBoth(dir, catalog, [4, 5]);
  });

  it('a script that throws after both sinks publishes nothing and changes no table; one that ends commits both', async () => {
    const { dir, catalog } = await setUp();
    await writeFile(join(dir, 'package.json'), '{"type": "module"}');
    const script = (name: string, end: string) => {
      const file = join(dir, `${name}.ts`);
      return writeFile(file, `
import { DataFrame } from ${JSON.stringify(join(REPO, 'src/frame/DataFrame.ts'))};
import { GlueContext, Job } from ${JSON.stringify(join(REPO, 'src/job/index.js'))};
const glue = new GlueContext({ catalog: ${JSON.stringify(join(dir, 'catalog'))} });
const job = new Job(glue);
await job.init('both', {});
const frame = DataFrame.fromRows([{ id: 1, grp: '1' }, { id: 2, grp: '2' }], { id: 'int64', grp: 'string' });
await glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: ${JSON.stringify(join(dir, 'copy'))} }, format: 'json' });
await glue.writeDynamicFrame.fromCatalog({ frame, database: 'sales', tableName: 'orders', additionalOptions: { enableUpdateCatalog: true } });
${end}
`).then(() => file);
    };
    // The table must exist for writeDynamicFrame.fromCatalog: created with no partitions yet.
    await catalog.createTable('sales', { Name: 'orders', PartitionKeys: [{ Name: 'grp', Type: 'string' }], StorageDescriptor: { Columns: [{ Name: 'id', Type: 'bigint' }], Location: join(dir, 'lake', 'orders') }, Parameters: { classification: 'parquet' } });
    const throwing = await script('throws', "throw new Error('failed after the sinks');");
    const failed = await runSluice(['run', throwing]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('failed after the sinks');
    expect(await dataFiles(join(dir, 'copy'))).toEqual([]);
    expect(await dataFiles(join(dir, 'lake', 'orders'))).toEqual([]);
    expect(await catalog.getPartitions('sales', 'orders')).toEqual([]);
    expect((await catalog.getTable('sales', 'orders'))?.VersionId).toBe('1');
    expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
    await runScript(await script('commits', 'await job.commit();'));
    await expectBoth(dir, catalog, [1, 2]);
    expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(['1', '2']);
    // Plain node, no job.commit(): published when the script runs out of work, as Glue writes its sinks.
    await runScript(await script('ends', "console.log('end');"));
    expect(sortedIds(await read.table('sales.orders', { catalog }).toRows())).toEqual([1, 1, 2, 2]);
  }, 60_000);
});

/** Points after which the killed run had committed: its rows and partitions must appear. */
const COMMITTED = new Set(['after-manifest', 'mid-rename', 'after-renames', 'before-catalog-update']);

describe('a Glue script\'s run with a path sink and a catalog sink killed at its commit steps', () => {
  const points = ['after-stage-sink-2', 'after-catalog-intent', 'before-manifest', 'after-manifest', 'mid-rename', 'before-catalog-update'];
  for (const point of points) {
    it(`SIGKILL at ${point}: nothing or everything is published, and the catalog agrees once the next reader settles it`, async () => {
      const { dir, catalog } = await setUp();
      await writeFile(join(dir, 'package.json'), '{"type": "module"}');
      const script = join(dir, 'job.ts');
      await writeFile(script, `
import { DataFrame } from ${JSON.stringify(join(REPO, 'src/frame/DataFrame.ts'))};
import { GlueContext, Job } from ${JSON.stringify(join(REPO, 'src/job/index.js'))};
const glue = new GlueContext({ catalog: ${JSON.stringify(join(dir, 'catalog'))} });
const job = new Job(glue);
await job.init('both', {});
const [from, to] = [Number(process.env.FROM), Number(process.env.TO)];
const frame = DataFrame.fromRows(Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, grp: String((from + i) % 3) })), { id: 'int64', grp: 'string' });
await glue.writeDynamicFrame.fromOptions({ frame, connectionType: 'file', connectionOptions: { path: ${JSON.stringify(join(dir, 'copy'))} }, format: 'json' });
await glue.getSink({ path: ${JSON.stringify(join(dir, 'lake', 'orders'))}, enableUpdateCatalog: true, partitionKeys: ['grp'] }).setFormat('parquet')
  .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' }).writeFrame(frame);
await job.commit();
`);
      expect((await runSluice(['run', script], { FROM: '1', TO: '2' })).code).toBe(0);
      const crashed = await runSluice(['run', script], { FROM: '3', TO: '9', SLUICE_CRASH_AT: point });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      // Right after the crash: every registered partition has its files.
      for (const p of await catalog.getPartitions('sales', 'orders')) {
        expect((await filesUnder(p.StorageDescriptor!.Location!)).some((f) => f.endsWith('.parquet'))).toBe(true);
      }
      const expected = COMMITTED.has(point) ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2];
      expect(sortedIds(await read.table('sales.orders', { catalog }).toRows())).toEqual(expected); // the reader settles first
      expect(sortedIds(await read.parquet(join(dir, 'lake', 'orders')).toRows())).toEqual(expected);
      expect((await catalog.getPartitions('sales', 'orders')).map((p) => p.Values![0])).toEqual(COMMITTED.has(point) ? ['0', '1', '2'] : ['1', '2']);
      expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
      // The path sink of the same run: published exactly when the catalog sink was (one commit).
      expect((await runSluice(['run', script], { FROM: '10', TO: '10' })).code).toBe(0);
      expect(sortedIds(await read.json(join(dir, 'copy')).toRows())).toEqual([...expected, 10]);
      expect(sortedIds(await read.table('sales.orders', { catalog }).toRows())).toEqual([...expected, 10]);
    }, 90_000);
  }
});
