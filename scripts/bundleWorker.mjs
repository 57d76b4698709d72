// Bundles the worker thread's entry (src/workers/splitWorker.ts) into dist/worker/: a worker then
// starts from one file instead of ~400 modules (apache-arrow's and sluice's), and from V8's code
// cache instead of compiling that file, which decides whether a small job gains from a second core.
//
//   node scripts/bundleWorker.mjs [outdir]         (default dist/worker; `npm run build` runs it)
//
// Four files: splitWorker.cjs, the code, as one CommonJS-shaped script; splitWorker.cjs.cache, V8's
// code cache of it, written by running it once here; cachedScript.js (scripts/cachedScript.mjs),
// which runs a script from its cache; and splitWorker.js, the entry piscina loads.
//
// apache-arrow is inlined: a worker exchanges only Arrow IPC bytes with the driver, never objects.
// Native addons, parquet-wasm (which finds its .wasm beside its own module) and packages loaded
// with require stay external and resolve from node_modules as usual.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCachedScript, writeCodeCache } from './codeCachedBundle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const WORKER_EXTERNALS = ['parquet-wasm', 'snappy', '@mongodb-js/zstd', 're2', 'piscina', '@aws-sdk/*', 'esbuild', 'tsx'];

const WORKER_ENTRY = `// Made by scripts/bundleWorker.mjs: a worker thread's entry (piscina loads it), which runs the
// worker bundle from V8's code cache.
import { runCachedScript } from './cachedScript.js';

const { exports, fromCache } = runCachedScript('splitWorker.cjs');
export default exports.default;
/** Whether this thread started from the code cache (test/parallel/bundledWorker.test.ts checks it). */
export const startedFromCodeCache = fromCache;
`;

export async function bundleWorker(outdir = join(ROOT, 'dist', 'worker')) {
  const esbuild = await import('esbuild');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await buildCachedScript(esbuild, { entryPoints: [join(ROOT, 'src', 'workers', 'splitWorker.ts')], external: WORKER_EXTERNALS }, outdir, 'splitWorker.cjs');
  const entry = join(outdir, 'splitWorker.js');
  await writeFile(entry, WORKER_ENTRY);
  // The cache holds what compiling the script and running its top level made: that is a thread's start.
  writeCodeCache(`await import(${JSON.stringify(pathToFileURL(entry).href)})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await bundleWorker(outdir);
  console.log(`bundled the worker entry → ${outdir ?? join(ROOT, 'dist', 'worker')}/splitWorker.js`);
}
