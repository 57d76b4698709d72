// Bundles a Lambda handler into a folder to zip and deploy (handler `index.handler`, nodejs20.x):
//
//   node jobs/lambda/bundle.mjs [entry] [outdir] [--memory MB[,MB…]] [--no-code-cache]
//        (default jobs/lambda/handler.ts → dist/lambda-bundle, --memory 1024)
//
// out/index.mjs               a small ES module: compiles handler.cjs with V8's code cache and exports its exports
// out/handler.cjs             the handler and sluice, apache-arrow, csv-parse… (the AWS SDK too, loaded
//                             only on the first s3:// path), as one CommonJS-shaped function body
// out/code-cache/*.bin        V8's compiled code of handler.cjs: for Lambda functions of each --memory
//                             size, and for a plain `node` here (codeCache.mjs says why per size); for
//                             the example handler, made after a warm-up invocation (exampleWarmUp.mjs)
// out/parquet_wasm_bg.wasm    parquet-wasm's node build reads it from `${__dirname}` on first use
import { mkdtempSync, rmSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_FILE, CACHE_FOLDER, exportNames, loaderSource, makeCodeCaches } from './codeCache.mjs';
import { routeDynamicImports } from './dynamicImports.mjs';
import { exampleWarmUp } from './exampleWarmUp.mjs';

/** The Lambda memory size caches are made for when none is named (MB). */
export const DEFAULT_LAMBDA_MEMORY_MB = [1024];

/**
 * Bundles `entry` into `outdir` (index.mjs, handler.cjs, code-cache/) and copies parquet-wasm's
 * .wasm beside it. `plugins` are esbuild plugins (the tests use one to take `sluice` from src/
 * instead of dist/). `codeCache: false` makes no cache (index.mjs then compiles the bundle
 * each cold start); `lambdaMemoryMB` are the memory sizes of the functions it is deployed to;
 * `warmUp` ({ event, env }: codeCache.mjs) runs the handler once before each cache is made, so
 * that the code an invocation runs is in the cache, not only the code an import runs.
 */
export async function bundleHandler({ entry, outdir, plugins = [], codeCache = true, lambdaMemoryMB = DEFAULT_LAMBDA_MEMORY_MB, warmUp }) {
  const esbuild = await import('esbuild');
  await mkdir(outdir, { recursive: true });
  await rm(join(outdir, CACHE_FOLDER), { recursive: true, force: true }); // caches of an earlier bundle would not fit this one
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: join(outdir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    target: 'node20',
    // CommonJS-shaped, so that index.mjs can compile it through vm.Script, which takes a code cache.
    format: 'cjs',
    // index.mjs passes its own import.meta: files beside the bundle are found as from an ES module.
    define: { 'import.meta': '__sluiceImportMeta' },
    charset: 'ascii',
    // Native addons (.node) cannot be bundled: left out, sluice's Parquet writer finds them missing and
    // compresses snappy with the bundled snappyjs, zstd through parquet-wasm (gzip and none: its own encoder).
    external: ['snappy', '@mongodb-js/zstd'],
    plugins,
    logLevel: 'warning',
    write: false,
  });
  const [bundle] = result.outputFiles;
  await writeFile(bundle.path, routeDynamicImports(bundle.text));
  const names = codeCache ? makeCodeCaches(outdir, { lambdaMemoryMB, warmUp }) : exportNames(outdir);
  await writeFile(join(outdir, 'index.mjs'), loaderSource(names));
  const require = createRequire(resolve(entry));
  const wasm = join(dirname(require.resolve('parquet-wasm/node')), 'parquet_wasm_bg.wasm');
  await copyFile(wasm, join(outdir, 'parquet_wasm_bg.wasm'));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const args = process.argv.slice(2);
  const flag = (name) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : args.splice(at, 2)[1];
  };
  const memory = flag('--memory');
  const noCache = args.includes('--no-code-cache');
  const [entry = join(here, 'handler.ts'), outdir = join(here, '..', '..', 'dist', 'lambda-bundle')] = args.filter((a) => a !== '--no-code-cache');
  const lambdaMemoryMB = memory === undefined ? DEFAULT_LAMBDA_MEMORY_MB : memory.split(',').map((mb) => {
    const n = Number(mb);
    if (!Number.isInteger(n) || n < 128 || n > 10240) throw new Error(`--memory ${memory}: each size is a Lambda memory size in MB (128 to 10240)`);
    return n;
  });
  // The example handler warms up on a small sample (exampleWarmUp.mjs); other entries on none.
  const warmDir = mkdtempSync(join(tmpdir(), 'sluice-warm-up-'));
  try {
    const warmUp = !noCache && resolve(entry) === join(here, 'handler.ts') ? exampleWarmUp(warmDir) : undefined;
    await bundleHandler({ entry, outdir, codeCache: !noCache, lambdaMemoryMB, warmUp });
  } finally {
    rmSync(warmDir, { recursive: true, force: true });
  }
  const caches = noCache ? 'no code cache' : `code caches for node here and Lambda ${lambdaMemoryMB.map((mb) => `${mb} MB`).join(', ')}`;
  console.log(`bundled ${entry} → ${join(outdir, 'index.mjs')} + ${BUNDLE_FILE} (${caches}) + parquet_wasm_bg.wasm`);
}
