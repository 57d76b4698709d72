import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sources from '../../src/index.js';
import { duck } from '../support/duck.js';
import { REPO, filesUnder, tempDir } from '../support/files.js';

// What `npm run build` ships: the library, Lambda helpers and CLI bundled by esbuild
// (scripts/bundleLibrary.mjs) beside the worker bundle, built here from the sources. The rest of
// the suite runs the sources; this file checks that the bundle behaves the same.
let out = '';
beforeAll(async () => {
  await mkdir(join(REPO, '.scratch'), { recursive: true });
  // Inside the repository, so that the bundle's external packages resolve from node_modules.
  out = await mkdtemp(join(REPO, '.scratch', 'sluice-lib-bundle-'));
  const { bundleLibrary } = (await import(join(REPO, 'scripts', 'bundleLibrary.mjs'))) as { bundleLibrary(outdir: string): Promise<unknown> };
  const { bundleWorker } = (await import(join(REPO, 'scripts', 'bundleWorker.mjs'))) as { bundleWorker(outdir: string): Promise<unknown> };
  await bundleLibrary(join(out, 'lib'));
  await bundleWorker(join(out, 'worker'));
}, 120_000);

afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Runs an ES module script in a fresh node process; its stdout. */
function node(args: string[], env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

describe('the library bundle', () => {
  it('exports what src/index.ts exports', async () => {
    const script = join(out, 'names.mjs');
    await writeFile(script, `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(join(out, 'lib', 'index.js'))})).sort()));`);
    expect(JSON.parse(node([script]))).toEqual(Object.keys(sources).sort());
    const lambda = join(out, 'lambda.mjs');
    await writeFile(lambda, `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(join(out, 'lib', 'lambda.js'))})).sort()));`);
    expect(JSON.parse(node([lambda]))).toEqual(Object.keys(await import('../../src/lambda/index.js')).sort());
  });

  it('runs transforms, SQL and Spigot (whose write imports DataFrame lazily), and finds its worker bundle for split-parallel writes', async () => {
    const dir = await tempDir();
    const csv = join(dir, 'orders.csv');
    const lines = ['id,status,amount'];
    for (let i = 1; i <= 3000; i++) lines.push(`${i},${['paid', 'open', 'void'][i % 3]},${(i % 97) + 0.5}`);
    await writeFile(csv, lines.join('\n') + '\n');
    const script = join(dir, 'job.mjs');
    await writeFile(script, `
import { read, spark } from ${JSON.stringify(join(out, 'lib', 'index.js'))};
const orders = read.csv(${JSON.stringify(csv)}, { withHeader: true, schema: { id: 'int32', status: 'string', amount: 'float64' } });
const written = await orders.filter("status <> 'void'").withColumns({ usd: 'amount * 2' })
  .write.parquet(${JSON.stringify(join(dir, 'out'))}, { mode: 'overwrite' });
await orders.spigot(${JSON.stringify(join(dir, 'sample'))}, { topk: 5 }).count();
orders.createOrReplaceTempView('orders');
const counts = await (await spark.sql('SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status')).toRows();
console.log(JSON.stringify({ files: written.files.length, rows: written.rows, counts }));
`);
    // Split-parallel from any size, on two threads: the bundle must find dist/worker's entry.
    const result = JSON.parse(node([script], { SLUICE_INLINE_BELOW: '1', SLUICE_SPLIT_SIZE: '8192', SLUICE_THREADS: '2' })) as { files: number; rows: number; counts: unknown };
    expect(result.rows).toBe(2000);
    expect(result.files).toBeGreaterThan(1);
    expect(result.counts).toEqual([{ status: 'open', n: 1000 }, { status: 'paid', n: 1000 }, { status: 'void', n: 1000 }]);
    expect(await duck(`SELECT count(*)::INTEGER AS n, sum(usd) AS usd FROM read_parquet('${dir}/out/*.parquet')`))
      .toEqual(await duck(`SELECT count(*)::INTEGER AS n, sum(amount * 2) AS usd FROM read_csv_auto('${csv}') WHERE status <> 'void'`));
    expect((await filesUnder(join(dir, 'sample'))).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('runs the CLI: --version, and a job script that imports the bundle', async () => {
    expect(node([join(out, 'lib', 'cli.js'), '--version']).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const dir = await tempDir();
    await writeFile(join(dir, 'in.csv'), 'id,name\n1,a\n2,b\n');
    const script = join(dir, 'copy.mjs');
    await writeFile(script, `
import { read } from ${JSON.stringify(join(out, 'lib', 'index.js'))};
await read.csv(${JSON.stringify(join(dir, 'in.csv'))}, { withHeader: true }).write.json(${JSON.stringify(join(dir, 'out'))});
`);
    node([join(out, 'lib', 'cli.js'), 'run', script]);
    expect(await duck(`SELECT id::INTEGER AS id, name FROM read_json_auto('${dir}/out/*.json') ORDER BY id`)).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
  });

  it('loads no CommonJS package but Arrow\'s own on import; the glob matchers load when a glob is read', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.csv'), 'id\n1\n');
    await writeFile(join(dir, 'b.csv'), 'id\n2\n');
    const script = join(dir, 'cjs.mjs');
    await writeFile(script, `
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
const packages = () => [...new Set(Object.keys(cache).map((p) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(p)?.[1]).filter(Boolean))].sort();
const { read } = await import(${JSON.stringify(join(out, 'lib', 'index.js'))});
const onImport = packages();
const rows = await read.csv(${JSON.stringify(join(dir, '*.csv'))}, { withHeader: true, schema: { id: 'int32' } }).count();
console.log(JSON.stringify({ onImport, afterGlob: packages(), rows }));
`);
    const result = JSON.parse(node([script])) as { onImport: string[]; afterGlob: string[]; rows: number };
    expect(result.onImport).toEqual(['flatbuffers', 'tslib']);
    expect(result.afterGlob).toEqual(expect.arrayContaining(['fast-glob', 'picomatch']));
    expect(result.rows).toBe(2);
  });

  it('runs the CLI verbs that load lazily imported code first (schema, show, convert, sql, functions)', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.csv'), 'id,name\n1,a\n2,b\n');
    const cli = join(out, 'lib', 'cli.js');
    node([cli, 'convert', join(dir, 'in.csv'), join(dir, 'pq'), '--to', 'parquet']);
    expect(JSON.parse(node([cli, 'schema', join(dir, 'pq')]))).toEqual({ id: 'int32', name: 'string' });
    expect(node([cli, 'show', join(dir, 'pq')])).toMatch(/\| 2 +\| b +\|/);
    expect(node([cli, 'sql', `SELECT count(*) AS n FROM parquet.\`${join(dir, 'pq')}\``])).toMatch(/\| 2 +\|\n.*\n1 row/);
    expect(node([cli, 'functions', 'upper'])).toContain('upper(s: string) → string');
  });

  it('starts sluice from the V8 code cache the build wrote, Arrow being the user\'s own', () => {
    const core = JSON.stringify(join(out, 'lib', 'core.js'));
    const script = `import { tableFromArrays } from 'apache-arrow'; const { startedFromCodeCache } = await import(${core}); const { DataFrame } = await import(${JSON.stringify(join(out, 'lib', 'index.js'))});
      const table = tableFromArrays({ id: Int32Array.from([1, 2, 3]) });
      console.log(JSON.stringify([startedFromCodeCache, (await DataFrame.fromArrow(table).filter('id > 1').collect()).table.numRows]));`;
    expect(JSON.parse(node(['--input-type=module', '-e', script]))).toEqual([true, 2]);
  });

  it('resolves as a package: Node gets the cached core, a bundler (esbuild) the ES module chunks', async () => {
    const resolved = node(['--input-type=module', '-e', "console.log(import.meta.resolve('sluice'), import.meta.resolve('sluice/lambda'))"]).trim().split(' ');
    expect(resolved.map((url) => url.slice(url.indexOf('/dist/')))).toEqual(['/dist/lib/index.js', '/dist/lib/lambda.js']);
    const esbuild = await import('esbuild');
    const paths: string[] = [];
    await esbuild.build({
      stdin: { contents: "export { read } from 'sluice'; export { createS3EventHandler } from 'sluice/lambda';", resolveDir: REPO },
      bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent',
      plugins: [{
        name: 'where-sluice-resolves',
        setup(build) {
          build.onResolve({ filter: /^sluice/ }, async (args) => {
            if (args.pluginData) return undefined;
            const { path } = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: true });
            paths.push(path.slice(path.indexOf('/dist/')));
            return { path, external: true };
          });
        },
      }],
    });
    expect(paths.sort()).toEqual(['/dist/lib/esm/index.js', '/dist/lib/esm/lambda.js']);
  });

  it('imports the library from few files: lazily imported modules do not split its code into chunks of their own', async () => {
    const dir = await tempDir();
    const hooks = join(dir, 'hooks.mjs');
    await writeFile(hooks, 'export async function load(url, context, next) { if (url.startsWith("file:")) process.stderr.write(`LOADED ${url}\\n`); return next(url, context); }\n');
    const script = join(dir, 'import.mjs');
    await writeFile(script, `
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
register(pathToFileURL(${JSON.stringify(hooks)}));
await import(${JSON.stringify(join(out, 'lib', 'index.js'))});
`);
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const own = run.stderr.split('\n').filter((line) => line.startsWith('LOADED ') && line.includes(join(out, 'lib')));
    // 10 when written (the same code loaded from 50 before the one-chunk rule of scripts/oneChunkPerEntry.mjs).
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThanOrEqual(15);
  });
});
