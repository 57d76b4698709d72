import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { splitRegion, surelyParallel } from '../../src/exec/parallel/boundRegion.js';
import { extractRegions } from '../../src/exec/parallel/planRegions.js';
import type { ParallelSettings } from '../../src/exec/parallel/settings.js';
import { ORDERS_SCHEMA, ordersCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

const SETTINGS: ParallelSettings = { threads: 2, driverSplits: true, splitSize: 32 * 1024, inlineBelowBytes: 64 * 1024 };

describe('the pool starts before planning only when the paths alone say the region runs in parallel', () => {
  it('agrees with the split planner wherever it starts early, and waits for it everywhere else', async () => {
    const dir = await tempDir();
    const big = join(dir, 'orders.csv');
    await writeFile(big, ordersCsv(3000));
    const small = join(dir, 'small.csv');
    await writeFile(small, ordersCsv(100));
    const half = join(dir, 'half.csv');
    await writeFile(half, ordersCsv(1200));
    const half2 = join(dir, 'half2.csv');
    await copyFile(half, half2);
    const gz = join(dir, 'orders.csv.gz');
    await writeFile(gz, gzipSync(ordersCsv(30000)));
    await mkdir(join(dir, 'folder'));
    await copyFile(big, join(dir, 'folder', 'orders.csv'));

    const cases: { label: string; paths: string | string[]; options?: Record<string, unknown>; early: boolean }[] = [
      { label: 'one large CSV (byte ranges)', paths: big, early: true },
      { label: 'two CSVs, together over the inline limit', paths: [half, half2], early: true },
      { label: 'below the inline limit', paths: small, early: false },
      { label: 'a multi-line CSV: one split', paths: big, options: { multiLine: true }, early: false },
      { label: 'gzip: one split', paths: gz, early: false },
      { label: 'a folder: listed by the planner', paths: join(dir, 'folder'), early: false },
      { label: 'a glob', paths: join(dir, '*.csv'), early: false },
      { label: 'a missing file', paths: join(dir, 'nope.csv'), early: false },
    ];
    for (const { label, paths, options, early } of cases) {
      const frame = read.csv(paths, { withHeader: true, schema: ORDERS_SCHEMA, ...options });
      const region = extractRegions(frame.plan).regions[0];
      expect(await surelyParallel(region, SETTINGS), label).toBe(early);
      // Early means parallel: a pool is never started early for a region that then runs inline.
      if (early) expect((await splitRegion(region, SETTINGS)).parallel, label).toBe(true);
    }
    // Those the planner decides alone: the folder and the glob run in parallel too, found when listed.
    for (const paths of [join(dir, 'folder'), join(dir, '*.csv')]) {
      const region = extractRegions(read.csv(paths, { withHeader: true, schema: ORDERS_SCHEMA }).plan).regions[0];
      expect((await splitRegion(region, SETTINGS)).parallel, paths).toBe(true);
    }
  });
});
