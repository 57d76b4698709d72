import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { ProgressTracker, runWithProgress, type ScanPruning } from '../../src/exec/progress.js';
import { tempDir } from '../support/files.js';

async function withMetrics<T>(action: () => Promise<T>): Promise<{ value: T; pruning: ScanPruning[] }> {
  const tracker = new ProgressTracker();
  const value = await runWithProgress(tracker, action);
  return { value, pruning: Object.values(tracker.snapshot().pruning) };
}

/** year=2015..2024 / month=1..12, one CSV file each (id = year*100 + month). */
async function tenYears(): Promise<string> {
  const root = join(await tempDir('sluice-listing-'), 'lake');
  for (let year = 2015; year <= 2024; year++) {
    for (let month = 1; month <= 12; month++) {
      const dir = join(root, `year=${year}`, `month=${month}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'part-0.csv'), `id,amount\n${year * 100 + month},${month}\n`);
    }
  }
  writeFileSync(join(root, '_SUCCESS'), '');
  return root;
}

const H = { withHeader: true };
const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('a Hive-partitioned path read prunes its partitions before listing them', () => {
  it('a filter on year lists only that year\'s folders: a folder of another year that would fail a listing is never listed', async () => {
    const root = await tenYears();
    // Files under other keys in a pruned year: a whole listing refuses the folder (keys differ).
    mkdirSync(join(root, 'year=2016', 'region=eu'), { recursive: true });
    writeFileSync(join(root, 'year=2016', 'region=eu', 'x.csv'), 'id,amount\n"unterminated\n');
    await expect(read.csv(root, H).count()).rejects.toThrow(/year=2016\/region=eu\/x\.csv is partitioned by \(year, region\)|partitioned by \(year, region\)/);
    const { value, pruning } = await withMetrics(() => read.csv(root, H).filter('year = 2024').toRows());
    expect(ids(value)).toEqual(Array.from({ length: 12 }, (_, i) => 202401 + i));
    // 9 other years pruned unlisted; 12 months listed, none pruned. Folders listed: root, year=2024, its 12 months.
    expect(pruning).toEqual([{ partitions: 21, partitionsSkipped: 9, foldersListed: 14, rowGroups: 0, rowGroupsSkipped: 0 }]);
  });

  it('prunes at every level a conjunct can be evaluated at, and keeps the rows, types and columns of a whole listing', async () => {
    const root = await tenYears();
    const whole = await read.csv(root, H).filter('year >= 2023 AND month IN (2, 11) AND amount > 1').orderBy('id').toRows();
    const { value, pruning } = await withMetrics(() => read.csv(root, H).filter('year >= 2023 AND month IN (2, 11) AND amount > 1').orderBy('id').toRows());
    expect(value).toEqual(whole);
    expect(value.map((r) => [r.id, r.year, r.month])).toEqual([[202302, 2023, 2], [202311, 2023, 11], [202402, 2024, 2], [202411, 2024, 11]]);
    expect(pruning).toEqual([{ partitions: 8 + 24, partitionsSkipped: 8 + 20, foldersListed: 1 + 2 + 4, rowGroups: 0, rowGroupsSkipped: 0 }]);
    // A conjunct over two levels waits for the deeper one; an OR with a data column prunes nothing.
    const mixed = await withMetrics(() => read.csv(root, H).filter('year * 100 + month = 201703').count());
    expect(mixed.value).toBe(1);
    expect(mixed.pruning[0]).toMatchObject({ partitions: 120, partitionsSkipped: 119, foldersListed: 1 + 10 + 1 });
    const withData = await withMetrics(() => read.csv(root, H).filter('year = 2024 OR amount = 3').count());
    expect(withData.value).toBe(12 + 9);
    expect(withData.pruning[0]).toMatchObject({ partitions: 120, partitionsSkipped: 0 });
  });

  it('keeps the schema (data and partition columns) when the predicate prunes every folder', async () => {
    const root = await tenYears();
    mkdirSync(join(root, 'year=2014')); // an empty first folder: the schema comes from the next
    const frame = read.csv(root, H).filter('year = 1999');
    expect((await frame.schema()).fields.map((f) => `${f.name}:${f.type}`)).toEqual(['id:Int32', 'amount:Int32', 'year:Int32', 'month:Int32']);
    const { value, pruning } = await withMetrics(() => frame.toRows());
    expect(value).toEqual([]);
    expect(pruning).toEqual([{ partitions: 11, partitionsSkipped: 11, foldersListed: 1, rowGroups: 0, rowGroupsSkipped: 0 }]);
  });

  it('a string key and the default partition prune as the Filter reads them', async () => {
    const root = join(await tempDir('sluice-listing-'), 'lake');
    for (const region of ['eu', 'us', '__HIVE_DEFAULT_PARTITION__', 'a%2Fb']) {
      mkdirSync(join(root, `region=${region}`), { recursive: true });
      writeFileSync(join(root, `region=${region}`, 'p.csv'), `id\n${region.length}\n`);
    }
    const regions = async (condition: string) => (await read.csv(root, H).filter(condition).toRows()).map((r) => r.region).sort();
    expect(await regions("region = 'eu'")).toEqual(['eu']);
    expect(await regions('region IS NULL')).toEqual([null]);
    expect(await regions("region = 'a/b' OR region = 'us'")).toEqual(['a/b', 'us']);
    expect(await regions("region <> 'eu'")).toEqual(['a/b', 'us']);
  });
});
