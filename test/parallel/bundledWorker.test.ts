import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { duck } from '../support/duck.js';
import { REPO, tempDir } from '../support/files.js';
import { INLINE, ORDERS_SCHEMA, PARALLEL, fn, ordersCsv } from './helpers.js';

// The worker bundle `npm run build` ships (scripts/bundleWorker.mjs), built here from the sources
// into a temp folder and named by SLUICE_WORKER_ENTRY before this file's pool starts.
let outdir = '';
beforeAll(async () => {
  await mkdir(join(REPO, '.scratch'), { recursive: true });
  // Inside the repository, so that its external packages (piscina, parquet-wasm…) resolve from node_modules.
  outdir = await mkdtemp(join(REPO, '.scratch', 'sluice-worker-bundle-'));
  const { bundleWorker } = (await import(join(REPO, 'scripts', 'bundleWorker.mjs'))) as { bundleWorker(outdir: string): Promise<unknown> };
  await bundleWorker(outdir);
  process.env.SLUICE_WORKER_ENTRY = join(outdir, 'splitWorker.js');
}, 120_000);

afterAll(async () => {
  await closeWorkerPool();
  delete process.env.SLUICE_WORKER_ENTRY;
  await rm(outdir, { recursive: true, force: true });
});

describe('the bundled worker', () => {
  it('runs splits (expressions, a row-function module, lazily loaded CSV and Parquet code) with the rows of an inline run', async () => {
    const dir = await tempDir();
    const csv = join(dir, 'orders.csv');
    await writeFile(csv, ordersCsv(3000));
    const frame = () =>
      read.csv(csv, { withHeader: true, schema: ORDERS_SCHEMA })
        .filter('amount > 20')
        .map(fn('tagCaller'), { schema: { ...ORDERS_SCHEMA, caller: 'string' } })
        .withColumns({ usd: 'amount * 1.1' });
    const spec = (out: string) => ({ format: 'parquet' as const, path: join(dir, out), mode: 'overwrite' as const });
    const inline = await writeFrame(frame(), spec('inline'), INLINE);
    // Workers only: splits the driver ran would run the test's (source) code.
    const parallel = await writeFrame(frame(), spec('parallel'), { ...PARALLEL, driverSplits: false });
    expect(parallel.files.length).toBeGreaterThan(1);
    expect(parallel.rows).toBe(inline.rows);
    const rows = (out: string) => duck(`SELECT * EXCLUDE (caller) FROM read_parquet('${join(dir, out)}/*.parquet') ORDER BY id`);
    expect(await rows('parallel')).toEqual(await rows('inline'));
    // Every split ran in the bundle's code.
    expect(await duck(`SELECT DISTINCT caller FROM read_parquet('${join(dir, 'parallel')}/*.parquet')`)).toEqual([{ caller: 'bundle' }]);
  });

  it('starts from the V8 code cache the build wrote, in a fresh process', () => {
    const entry = pathToFileURL(join(outdir, 'splitWorker.js')).href;
    const script = `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify([m.startedFromCodeCache, typeof m.default]));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual([true, 'function']);
  });

});
