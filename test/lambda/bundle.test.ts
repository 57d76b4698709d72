import { spawnSync } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Plugin } from 'esbuild';
// A plain .mjs build script; bundle.d.mts beside it types it, so this call is checked.
import { bundleHandler } from '../../jobs/lambda/bundle.mjs';
import { exampleWarmUp } from '../../jobs/lambda/exampleWarmUp.mjs';
import { putOrders } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';

/** Takes `sluice` and `sluice/lambda` from src/, so the test needs no `npm run build`. */
const sluiceFromSources: Plugin = {
  name: 'sluice-from-sources',
  setup(build) {
    build.onResolve({ filter: /^sluice(\/lambda)?$/ }, (args) => ({
      path: join(REPO, 'src', args.path === 'sluice' ? 'index.ts' : 'lambda/index.ts'),
    }));
  },
};

/** What the bundle's index.mjs did with the code cache (it records it on globalThis). */
interface CodeCacheUse {
  file: string;
  found: boolean;
  taken: boolean;
}

/**
 * Runs the bundled handler in a fresh node process (started with `nodeFlags`), as Lambda would,
 * and returns its summary and what its loader did with the code cache.
 */
function invoke(bundle: string, eventFile: string, env: Record<string, string>, nodeFlags: string[] = []): { summary: Record<string, unknown>; cache: CodeCacheUse } {
  const script = `const { handler } = await import(${JSON.stringify(join(bundle, 'index.mjs'))});
    const event = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(eventFile)}, 'utf8'));
    const summary = await handler(event, { functionName: 'orders', getRemainingTimeInMillis: () => 60000 });
    process.stdout.write(JSON.stringify({ summary, cache: globalThis[Symbol.for('sluice/lambda-code-cache')] }));`;
  const run = spawnSync(process.execPath, [...nodeFlags, '--input-type=module', '-e', script], { cwd: bundle, env: { ...process.env, NODE_OPTIONS: '', ...env }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bundled handler failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as { summary: Record<string, unknown>; cache: CodeCacheUse };
}

describe('the example handler, bundled with esbuild', () => {
  it('builds the loader, the bundle and its code caches (made after a warm-up invocation) beside the parquet-wasm .wasm, and runs the sample event (once)', { timeout: 90_000 }, async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'bundle');
    // The warm-up writes its sample, lake and state in temp folders: none of it lands in the bundle.
    await bundleHandler({ entry: join(REPO, 'jobs/lambda/handler.ts'), outdir: bundle, plugins: [sluiceFromSources], warmUp: exampleWarmUp(join(dir, 'warm-up')) });
    expect(await filesUnder(bundle)).toEqual([
      'code-cache/lambda-1024.bin', expect.stringMatching(/^code-cache\/node-\d+\.bin$/), 'handler.cjs', 'index.mjs', 'parquet_wasm_bg.wasm',
    ]);

    // The sample event names demo-data/orders.csv: give it a small stand-in with the same columns.
    const buckets = join(dir, 'buckets');
    const header = 'order_id,customer_id,ts,amount,status,country,note';
    await putOrders(buckets, 'demo-data', 'orders.csv', []);
    await writeFile(join(buckets, 'demo-data', 'orders.csv'), [
      header,
      '1,10,2024-03-05T10:00:00Z,12.5,paid,CZ,a',
      '2,11,2024-04-06T11:00:00Z,,paid,CA,no amount',
      '3,12,2024-04-07T12:00:00Z,7.25,cancelled,DE,b',
      '4,13,2024-04-08T13:00:00Z,30,pending,US,c',
    ].join('\n') + '\n');
    const lake = join(dir, 'lake');
    const env = { SLUICE_LOCAL_S3: buckets, LAKE_PATH: lake, SLUICE_STATE_DIR: join(dir, 'state') };
    const eventFile = join(REPO, 'jobs/lambda/sample-event.json');
    expect(JSON.parse(await readFile(eventFile, 'utf8')).Records).toHaveLength(2);

    const { summary: first, cache } = invoke(bundle, eventFile, env);
    // A plain node here takes the cache made for it: the bundle is not compiled again.
    expect(cache).toMatchObject({ found: true, taken: true });
    expect(first).toMatchObject({ job: 'orders_to_lake_lambda', processed: ['s3://demo-data/orders.csv'], rows: 2, result: { lakeRows: 2 } });
    expect((first.ignored as { eventName: string; key: string }[]).map((i) => [i.eventName, i.key])).toEqual([['ObjectRemoved:Delete', 'old orders (2023).csv']]);
    const again = invoke(bundle, eventFile, env).summary;
    expect(again).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0 });

    const rows = await duck(`SELECT order_id, year::INTEGER AS year, month::INTEGER AS month FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = true) ORDER BY order_id`);
    expect(rows).toEqual([{ order_id: 1, year: 2024, month: 3 }, { order_id: 4, year: 2024, month: 4 }]);
    // The bundle has no native snappy beside it: sluice's own encoder wrote snappy with its own JS codec
    // (not parquet-wasm, whose warm-up a cold start would pay).
    const meta = await duck(`SELECT DISTINCT created_by FROM parquet_file_metadata('${lake}/**/*.parquet')`);
    expect(meta).toEqual([{ created_by: 'sluice encoder' }]);
    const codecs = await duck(`SELECT DISTINCT compression FROM parquet_metadata('${lake}/**/*.parquet')`);
    expect(codecs).toEqual([{ compression: 'SNAPPY' }]);
  });

  it('runs import() inside the bundle from index.mjs (node modules, missing packages, files beside it), with import.meta.url and strict code as in an ES module', { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'bundle');
    await bundleHandler({ entry: join(REPO, 'test/lambda/fixtures/dynamicImports.mjs'), outdir: bundle, lambdaMemoryMB: [] });
    await writeFile(join(bundle, 'beside.mjs'), 'export const value = 42;\n');
    const script = `const m = await import(${JSON.stringify(join(bundle, 'index.mjs'))});
      process.stdout.write(JSON.stringify({ builtin: await m.builtin(), missing: await m.missing(), beside: await m.beside(), metaUrl: m.metaUrl(), text: m.text, strict: m.strict(), cache: globalThis[Symbol.for('sluice/lambda-code-cache')] }));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      builtin: sep, missing: 'ERR_MODULE_NOT_FOUND', beside: 42, metaUrl: pathToFileURL(join(bundle, 'index.mjs')).href,
      text: 'import("x") in a string is text', strict: true, cache: { file: expect.stringMatching(/node-\d+\.bin$/), found: true, taken: true },
    });
  });

  it("takes the cache made for Lambda's flags at the function's memory size, and runs the same without a cache that fits", { timeout: 90_000 }, async () => {
    const dir = await tempDir();
    const bundle = join(dir, 'bundle');
    const built = join(dir, 'built');
    await bundleHandler({ entry: join(REPO, 'jobs/lambda/handler.ts'), outdir: built, plugins: [sluiceFromSources], lambdaMemoryMB: [512, 2048] });
    expect((await filesUnder(join(built, 'code-cache'))).filter((f) => f.startsWith('lambda-'))).toEqual(['lambda-2048.bin', 'lambda-512.bin']);
    // Deployed elsewhere (Lambda unzips it into /var/task): the caches still fit.
    await cp(built, bundle, { recursive: true });
    await rm(built, { recursive: true });
    const buckets = join(dir, 'buckets');
    await mkdir(join(buckets, 'demo-data'), { recursive: true });
    await writeFile(join(buckets, 'demo-data', 'orders.csv'), [
      'order_id,customer_id,ts,amount,status,country,note',
      '1,10,2024-03-05T10:00:00Z,12.5,paid,CZ,a',
      '2,11,2024-04-06T11:00:00Z,3,pending,CA,b',
      '3,12,2024-04-07T12:00:00Z,,paid,DE,no amount',
      '4,13,2024-04-08T13:00:00Z,7.25,cancelled,US,c',
    ].join('\n') + '\n');
    const eventFile = join(REPO, 'jobs/lambda/sample-event.json');
    // Lambda's nodejs20.x bootstrap for a 512 MB function: --max-semi-space-size=25 --max-old-space-size=461.
    const lambda512 = ['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=25', '--max-old-space-size=461'];
    const runs = [
      { memory: '512', flags: lambda512, expected: { found: true, taken: true } },
      { memory: '1024', flags: lambda512, expected: { found: false, taken: false } }, // no cache made for 1024 MB
      { memory: '2048', flags: lambda512, expected: { found: true, taken: false } }, // made for other flags: V8 rejects it
    ];
    for (const [i, run] of runs.entries()) {
      const lake = join(dir, `lake${i}`);
      const env = { SLUICE_LOCAL_S3: buckets, LAKE_PATH: lake, SLUICE_STATE_DIR: join(dir, `state${i}`), AWS_LAMBDA_FUNCTION_MEMORY_SIZE: run.memory };
      const { summary, cache } = invoke(bundle, eventFile, env, run.flags);
      expect(cache).toEqual({ file: join(bundle, 'code-cache', `lambda-${run.memory}.bin`), ...run.expected });
      expect(summary).toMatchObject({ processed: ['s3://demo-data/orders.csv'], rows: 2, errors: 0 });
      const rows = await duck(`SELECT order_id, amount, month::INTEGER AS month FROM read_parquet('${lake}/**/*.parquet', hive_partitioning = true) ORDER BY order_id`);
      expect(rows).toEqual([{ order_id: 1, amount: 12.5, month: 3 }, { order_id: 2, amount: 3, month: 4 }]);
    }
  });
});
