// Bundles the worker thread's entry (src/workers/splitWorker.ts) into dist/worker/: a worker then
// starts by loading a few files instead of ~400 modules (apache-arrow's and sluice's), about a
// quarter of the CPU time, which is what decides whether a small job gains from a second core.
//
//   node scripts/bundleWorker.mjs [outdir]         (default dist/worker; `npm run build` runs it)
//
// apache-arrow is inlined: a worker exchanges only Arrow IPC bytes with the driver, never objects.
// Native addons, parquet-wasm (which finds its .wasm beside its own module) and packages loaded
// with require stay external and resolve from node_modules as usual.
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWithEntryChunk } from './oneChunkPerEntry.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const WORKER_EXTERNALS = ['parquet-wasm', 'snappy', '@mongodb-js/zstd', 're2', 'piscina', '@aws-sdk/*', 'esbuild', 'tsx'];

export async function bundleWorker(outdir = join(ROOT, 'dist', 'worker')) {
  const esbuild = await import('esbuild');
  // Chunk names carry content hashes: without a clean folder every build leaves the last one's chunks behind.
  await rm(outdir, { recursive: true, force: true });
  const entry = join(ROOT, 'src', 'workers', 'splitWorker.ts');
  // A worker starts on few chunks, not one per set of lazy readers and writers that share its modules.
  return buildWithEntryChunk(esbuild, {
    entryPoints: { splitWorker: entry },
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    splitting: true, // the lazily imported format readers and writers stay lazy
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // CommonJS dependencies inside an ESM bundle still call require.
    banner: { js: "import { createRequire as __sluiceCreateRequire } from 'node:module'; const require = __sluiceCreateRequire(import.meta.url);" },
    external: WORKER_EXTERNALS,
    logLevel: 'warning',
  }, entry);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await bundleWorker(outdir);
  console.log(`bundled the worker entry → ${outdir ?? join(ROOT, 'dist', 'worker')}/splitWorker.js`);
}
