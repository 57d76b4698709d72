import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { read } from '../../src/frame/read.js';
import { CATALOG_CRASH_POINTS, CRASH_POINTS, WRITE_CRASH_POINTS } from '../../src/io/partitioning/crashPoint.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';

/** Points after which the killed write had committed: its rows and partitions must appear. */
const COMMITTED = new Set(['after-manifest', 'mid-rename', 'after-renames', 'before-catalog-update']);
const POINTS = [...new Set([...WRITE_CRASH_POINTS, ...CATALOG_CRASH_POINTS])];

/** A catalog sink writing ids FROM..TO (partitioned by grp = id % 3) into sales.orders. */
const SCRIPT = `
import { DataFrame } from ${JSON.stringify(join(REPO, 'src/frame/DataFrame.ts'))};
import { GlueContext } from ${JSON.stringify(join(REPO, 'src/job/GlueContext.ts'))};
const [from, to] = [Number(process.env.FROM), Number(process.env.TO)];
const rows = Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, grp: String((from + i) % 3) }));
await new GlueContext({ catalog: process.env.CATALOG })
  .getSink({ path: process.env.OUT, enableUpdateCatalog: true, partitionKeys: ['grp'] })
  .setFormat('parquet')
  .setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' })
  .writeFrame(DataFrame.fromRows(rows, { id: 'int64', grp: 'string' }));
`;

async function sink(dir: string, from: number, to: number, crashAt?: string): Promise<{ signal: string | null }> {
  const script = join(dir, 'sink.mts');
  await writeFile(script, SCRIPT);
  const env = { ...process.env, CATALOG: join(dir, 'catalog'), OUT: join(dir, 'lake', 'orders'), FROM: String(from), TO: String(to), ...(crashAt ? { SLUICE_CRASH_AT: crashAt } : {}) };
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: REPO, env });
    return { signal: null };
  } catch (e) {
    const error = e as { signal?: string; stderr?: string };
    if (!error.signal) throw new Error(`the sink failed: ${error.stderr}`);
    return { signal: error.signal };
  }
}

/** Each catalog partition's folder holds visible data files (no partition points at unpublished files). */
async function partitionsPointAtFiles(catalog: Catalog): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const p of await catalog.getPartitions('sales', 'orders')) {
    out[p.Values![0]] = (await filesUnder(p.StorageDescriptor!.Location!)).filter((f) => f.endsWith('.parquet')).length;
  }
  return out;
}

describe('a catalog sink killed at every step', () => {
  for (const point of POINTS) {
    it(`SIGKILL at ${point}: no partition points at unpublished files; after the next reader settles, no published file lacks its partition`, async () => {
      const dir = await tempDir('sluice-catalog-crash-');
      const catalog = Catalog.open(join(dir, 'catalog'));
      await catalog.createDatabase({ Name: 'sales' });
      await sink(dir, 1, 2); // ids 1, 2: partitions grp=1, grp=2
      expect(await sink(dir, 3, 9, point)).toEqual({ signal: 'SIGKILL' }); // would add grp=0 and more files
      // Right after the crash: every registered partition already has its files.
      for (const count of Object.values(await partitionsPointAtFiles(catalog))) expect(count).toBeGreaterThan(0);
      // The next reader settles the pending update (finishing or undoing the output first).
      const ids = (await read.table('sales.orders', { catalog }).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
      const expected = COMMITTED.has(point) ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : [1, 2];
      expect(ids).toEqual(expected);
      const onDisk = (await read.parquet(join(dir, 'lake', 'orders')).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
      expect(onDisk).toEqual(expected); // every published row is reachable through the catalog
      expect(Object.keys(await partitionsPointAtFiles(catalog)).sort()).toEqual(COMMITTED.has(point) ? ['0', '1', '2'] : ['1', '2']);
      expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
      // The next write goes through as usual, and its claim removes what a run killed before its commit staged.
      await sink(dir, 10, 10);
      expect((await read.table('sales.orders', { catalog }).count())).toBe(expected.length + 1);
      expect(await filesUnder(join(dir, 'lake', '.orders.sluice-staging'))).toEqual([]);
    }, 60_000);
  }
});

/** The points a bookmarked run with one sink passes: the bookmark commit's and the catalog update's. */
const BOOKMARKED_POINTS = [...CRASH_POINTS.filter((p) => p !== 'after-stage-sink-2'), ...CATALOG_CRASH_POINTS];
/** Points after which a killed bookmarked run had committed (its bookmark state names its files). */
const BOOKMARK_COMMITTED = new Set([...COMMITTED, 'before-state-write', 'after-state-write']);

const SPEC_CASES = [
  ...['after-stage-sink-1', 'after-catalog-intent', 'after-manifest', 'before-catalog-update'].map((point) => ({ bookmarked: false, point })),
  ...BOOKMARKED_POINTS.map((point) => ({ bookmarked: true, point })),
];

describe('a job spec with a catalog write node killed at its commit steps', () => {
  for (const { bookmarked, point } of SPEC_CASES) {
    it(`${bookmarked ? 'bookmarked, ' : ''}SIGKILL at ${point}: the next run of the spec settles the catalog first`, async () => {
      const dir = await tempDir('sluice-catalog-crash-spec-');
      const catalog = Catalog.open(join(dir, 'catalog'));
      await catalog.createDatabase({ Name: 'sales' });
      const spec = join(dir, 'job.json');
      await writeFile(join(dir, 'a.csv'), 'id,grp\n1,1\n2,2\n');
      await writeFile(spec, JSON.stringify({
        catalog: 'catalog',
        ...(bookmarked ? { bookmarks: { option: 'enable' } } : {}),
        nodes: [
          { id: 'in', type: 'read', format: 'csv', paths: [join(dir, '${FILE}')], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string' } },
          { id: 'out', type: 'write', input: 'in', format: 'parquet', path: join(dir, 'lake', 'orders'), partitionKeys: ['grp'], catalog: { database: 'sales', table: 'orders' } },
        ],
      }));
      const run = (file: string, crashAt?: string) => promisify(execFile)(process.execPath, ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), 'run', spec, '--FILE', file], {
        cwd: REPO, env: { ...process.env, ...(crashAt ? { SLUICE_CRASH_AT: crashAt } : {}) },
      }).then(() => null, (e: { signal?: string; stderr?: string }) => {
        if (!e.signal) throw new Error(String(e.stderr));
        return e.signal;
      });
      expect(await run('a.csv')).toBeNull();
      await writeFile(join(dir, 'b.csv'), 'id,grp\n3,0\n4,1\n');
      expect(await run('b.csv', point)).toBe('SIGKILL');
      for (const count of Object.values(await partitionsPointAtFiles(catalog))) expect(count).toBeGreaterThan(0);
      await writeFile(join(dir, 'c.csv'), 'id,grp\n5,2\n');
      expect(await run('c.csv')).toBeNull(); // settles the killed run's update, then writes its own
      const committed = (bookmarked ? BOOKMARK_COMMITTED : COMMITTED).has(point);
      const ids = (await read.table('sales.orders', { catalog }).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
      expect(ids).toEqual(committed ? [1, 2, 3, 4, 5] : [1, 2, 5]);
      const onDisk = (await read.parquet(join(dir, 'lake', 'orders')).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
      expect(onDisk).toEqual(ids);
      expect(Object.keys(await partitionsPointAtFiles(catalog)).sort()).toEqual(committed ? ['0', '1', '2'] : ['1', '2']);
      expect(await filesUnder(join(dir, 'catalog', 'updates'))).toEqual([]);
      expect(await filesUnder(join(dir, 'lake', '.orders.sluice-staging'))).toEqual([]);
    }, 90_000);
  }
});
