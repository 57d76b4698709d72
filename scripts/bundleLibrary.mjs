// Bundles the library, the Lambda helpers and the CLI into dist/lib/, to start fast: importing
// sluice runs one script from V8's code cache instead of compiling ~300 modules (0.36 s of CPU
// before any bundle; 35–50 ms for sluice's own code as ES module chunks, ~20 ms from the cache).
//
//   node scripts/bundleLibrary.mjs [outdir]        (default dist/lib; `npm run build` runs it)
//
// The files:
// - core.cjs: sluice's code (library, Lambda helpers and the CLI's commands) as one CommonJS-shaped
//   script, and core.cjs.cache, V8's cache of it, made by running its top level once here.
// - core.js: runs it (through cachedScript.js, scripts/cachedScript.mjs) and exports what it
//   exports: one instance for index.js, lambda.js and cli.js, so a job script that imports
//   'sluice' under `sluice run` shares the CLI's job code (its outputs register with it).
// - index.js, lambda.js: the package's entries, re-exporting the core's.
// - cli.js: the executable; `--version` and `--help` answer from quick.js (src/cli/quickCommand.ts)
//   without loading the core or Arrow.
// - esm/index.js, esm/lambda.js: the same code as ES module chunks, for bundlers (esbuild, as
//   jobs/lambda/bundle.mjs uses it, cannot follow core.js's read of core.cjs): package.json gives
//   Node the files above under the `node-addons` condition, which only Node sets, and every other
//   resolver these.
// Every npm package stays external, apache-arrow above all: users hand sluice Arrow tables built
// with their own copy (DataFrame.fromArrow) and Arrow checks `instanceof`, so core.js imports Arrow
// as an ES module, as users do, and the core's require('apache-arrow') gets that instance. tsc
// still writes dist/src/ for the type declarations.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCachedScript, writeCodeCache } from './codeCachedBundle.mjs';
import { buildWithEntryChunk } from './oneChunkPerEntry.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The core's exports: each entry's module namespace, and the CLI's command runner. */
const CORE_ENTRY = `
export * as index from './src/index.ts';
export * as lambda from './src/lambda/index.ts';
export { runCli } from './src/cli/runCli.ts';
`;

const CORE_LOADER = `// Made by scripts/bundleLibrary.mjs: sluice's code (core.cjs), run from V8's code cache, once per
// process for the library, the Lambda helpers and the CLI.
import * as arrow from 'apache-arrow';
import { runCachedScript } from './cachedScript.js';

const { exports, fromCache } = runCachedScript('core.cjs', { 'apache-arrow': arrow });
export const core = exports;
/** Whether this process started sluice from the code cache (test/build/libraryBundle.test.ts checks it). */
export const startedFromCodeCache = fromCache;
`;

const CLI = `#!/usr/bin/env node
// Made by scripts/bundleLibrary.mjs: the sluice executable (bin/sluice.js imports it).
import { quickCommand, stdio } from './quick.js';

const argv = process.argv.slice(2);
const quick = quickCommand(argv.filter((a) => a !== '--debug'), stdio);
if (quick !== undefined) {
  process.exitCode = quick;
} else {
  const { core } = await import('./core.js');
  process.exitCode = await core.runCli(argv);
  // Leave when the work is done even if a worker pool or a job script left a handle open;
  // the timer is unref'd, so a process with nothing left to do exits at once.
  setTimeout(() => process.exit(), 1000).unref();
}
`;

/** An entry that re-exports one of the core's namespaces under the same names. */
const reexport = (namespace, names) => `// Made by scripts/bundleLibrary.mjs: the core's ${namespace} exports.
import { core } from './core.js';

export const { ${names.join(', ')} } = core.${namespace};
`;

export async function bundleLibrary(outdir = join(ROOT, 'dist', 'lib')) {
  const esbuild = await import('esbuild');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  // The worker entry, relative to core.cjs (src/exec/parallel/pool.ts reads it).
  const define = { SLUICE_BUNDLED_WORKER_ENTRY: JSON.stringify('../worker/splitWorker.js') };
  const stdin = { contents: CORE_ENTRY, resolveDir: ROOT, sourcefile: 'sluice-core.ts', loader: 'ts' };
  await buildCachedScript(esbuild, { stdin, packages: 'external', define }, outdir, 'core.cjs');
  const quick = await esbuild.build({
    stdin: { contents: "export { quickCommand } from './src/cli/quickCommand.ts'; export { stdio } from './src/cli/cliIO.ts';", resolveDir: ROOT, sourcefile: 'sluice-quick.ts', loader: 'ts' },
    absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20', format: 'esm', packages: 'external', logLevel: 'warning', write: false,
  });
  await writeFile(join(outdir, 'quick.js'), quick.outputFiles[0].text);
  await writeFile(join(outdir, 'core.js'), CORE_LOADER);
  await writeFile(join(outdir, 'cli.js'), CLI);
  // Runs the core once (its top level, as an import does): writes its code cache, and names its exports.
  const core = JSON.stringify(pathToFileURL(join(outdir, 'core.js')).href);
  const names = JSON.parse(writeCodeCache(`const { core } = await import(${core}); console.log(JSON.stringify({ index: Object.keys(core.index), lambda: Object.keys(core.lambda) }));`));
  await writeFile(join(outdir, 'index.js'), reexport('index', names.index));
  await writeFile(join(outdir, 'lambda.js'), reexport('lambda', names.lambda));
  await bundleForBundlers(join(outdir, 'esm'));
}

/** The library and Lambda helpers as ES module chunks (lazily imported formats, S3, catalog and SQL stay lazy). */
async function bundleForBundlers(outdir) {
  const esbuild = await import('esbuild');
  const entry = join(ROOT, 'src', 'index.ts');
  const options = {
    entryPoints: { index: entry, lambda: join(ROOT, 'src', 'lambda', 'index.ts') },
    absWorkingDir: ROOT,
    outdir,
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    // The worker entry, relative to the chunks (src/exec/parallel/pool.ts reads it).
    define: { SLUICE_BUNDLED_WORKER_ENTRY: JSON.stringify('../../worker/splitWorker.js') },
    logLevel: 'warning',
  };
  return buildWithEntryChunk(esbuild, options, entry);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await bundleLibrary(outdir);
  console.log(`bundled the library, Lambda helpers and CLI → ${outdir ?? join(ROOT, 'dist', 'lib')}/{index,lambda,cli}.js`);
}
