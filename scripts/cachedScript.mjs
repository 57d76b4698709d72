// Runs a bundle through V8's code cache. Copied beside the bundles as cachedScript.js by
// scripts/bundleWorker.mjs (dist/worker/) and scripts/bundleLibrary.mjs (dist/lib/).
//
// Node 20 caches no compiled code for ES modules, but vm.Script takes a cache: so a bundle is
// built as one CommonJS-shaped script (import.meta defined as __sluiceImportMeta, each import()
// routed to __sluiceImport by jobs/lambda/dynamicImports.mjs, as the Lambda bundle is), and runs
// here from the cache the build wrote: a 1.3–2 MB bundle then starts without being parsed and
// compiled. A cache this Node rejects (another version, other V8 flags) costs only its read.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

/**
 * Runs the bundle `name` (beside this file) with `${name}.cache`; returns its exports and whether
 * V8 took the cache. `modules`: what the bundle's require() gets for those packages instead of
 * Node's CommonJS copy (Apache Arrow as the caller imported it, so its classes are the user's).
 * With env SLUICE_WRITE_CODE_CACHE=1 (the build), writes the cache once the top level has run.
 */
export function runCachedScript(name, modules = {}) {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // not built (or removed): compile as usual
  }
  // One line, so the bundle's line numbers stay as they are in stack traces. esbuild writes ASCII.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __sluiceImportMeta, __sluiceImport) {${readFileSync(file, 'latin1')}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const nodeRequire = createRequire(file);
  const require = Object.assign((id) => (Object.hasOwn(modules, id) ? modules[id] : nodeRequire(id)), { resolve: nodeRequire.resolve, cache: nodeRequire.cache });
  const module = { exports: {} };
  // import.meta and import() of the bundle's sources are this file's, which sits beside the bundle.
  const meta = { url: pathToFileURL(file).href, resolve: (specifier) => import.meta.resolve(specifier) };
  const load = (specifier, options) => import(specifier, options);
  script.runInThisContext().call(module.exports, module.exports, require, module, file, dirname(file), meta, load);
  if (process.env.SLUICE_WRITE_CODE_CACHE === '1') writeFileSync(cacheFile, script.createCachedData());
  return { exports: module.exports, fromCache: cachedData !== undefined && script.cachedDataRejected === false };
}
