// Bundles a Lambda handler into one ESM file plus the files it loads at run time:
//
//   node jobs/lambda/bundle.mjs [entry] [outdir]      (default jobs/lambda/handler.ts → dist/lambda-bundle)
//
// out/index.mjs               the handler and sluice, apache-arrow, csv-parse… (the AWS SDK too,
//                             loaded only on the first s3:// path)
// out/parquet_wasm_bg.wasm    parquet-wasm's node build reads it from `${__dirname}` on first use
//
// Zip the folder and set the function's handler to `index.handler` (runtime nodejs20.x).
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * CommonJS packages inside an ESM bundle still call `require` and read `__dirname` (parquet-wasm
 * finds its .wasm file with it): define both at the top of the bundle, for the bundle's folder.
 */
export const ESM_BANNER = [
  "import { createRequire as __sluiceCreateRequire } from 'node:module';",
  "import { fileURLToPath as __sluiceFileURLToPath } from 'node:url';",
  'const require = __sluiceCreateRequire(import.meta.url);',
  'const __filename = __sluiceFileURLToPath(import.meta.url);',
  "const __dirname = __sluiceFileURLToPath(new URL('.', import.meta.url));",
].join(' ');

/**
 * Bundles `entry` into `outdir/index.mjs` and copies parquet-wasm's .wasm beside it. `plugins`
 * are esbuild plugins (the tests use one to take `sluice` from src/ instead of dist/).
 */
export async function bundleHandler({ entry, outdir, plugins = [] }) {
  const esbuild = await import('esbuild');
  await mkdir(outdir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: ESM_BANNER },
    // Native addons (.node) cannot be bundled: left out, sluice's Parquet writer finds them missing and
    // compresses snappy with the bundled snappyjs, zstd through parquet-wasm (gzip and none: its own encoder).
    external: ['snappy', '@mongodb-js/zstd'],
    plugins,
    logLevel: 'warning',
  });
  const require = createRequire(resolve(entry));
  const wasm = join(dirname(require.resolve('parquet-wasm/node')), 'parquet_wasm_bg.wasm');
  await copyFile(wasm, join(outdir, 'parquet_wasm_bg.wasm'));
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const entry = process.argv[2] ?? join(here, 'handler.ts');
  const outdir = process.argv[3] ?? join(here, '..', '..', 'dist', 'lambda-bundle');
  await bundleHandler({ entry, outdir });
  console.log(`bundled ${entry} → ${join(outdir, 'index.mjs')} (+ parquet_wasm_bg.wasm)`);
}
