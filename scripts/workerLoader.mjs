// A worker thread's entry in dist/worker/ (scripts/bundleWorker.mjs copies this file there as
// splitWorker.js). It runs the worker bundle, one CommonJS file, through V8's code cache: the
// bundle (1.3 MB, Apache Arrow inlined) then starts without being parsed and compiled, ~35 ms
// instead of ~100 as an ES module, in every thread of every parallel job. A cache this Node
// rejects (another version or V8 flags) costs only the compile it would have saved.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const file = fileURLToPath(new URL('./splitWorker.cjs', import.meta.url));
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // not built (or removed): compile as usual
}
// One line, so the bundle's line numbers stay as they are in stack traces.
const wrapped = `(function (exports, require, module, __filename, __dirname, __sluiceImportMeta, __sluiceImport) {${readFileSync(file, 'utf8')}\n})`;
const script = new Script(wrapped, { filename: file, cachedData });
const module = { exports: {} };
// import.meta of the bundle's sources: this file sits beside the bundle, so it resolves as they would.
const meta = { url: pathToFileURL(file).href, resolve: (specifier) => import.meta.resolve(specifier) };
// The bundle's import() calls are this file's (bundleWorker.mjs renames them): Node 20 drops a
// script's own import() callback when the script comes from a code cache.
const load = (specifier, options) => import(specifier, options);
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), meta, load);
// `npm run build` writes the cache once the bundle has run its top level (scripts/bundleWorker.mjs).
if (process.env.SLUICE_WRITE_WORKER_CODE_CACHE === '1') writeFileSync(cacheFile, script.createCachedData());

export default module.exports.default;
/** Whether this thread started from the code cache (test/parallel/bundledWorker.test.ts checks it). */
export const startedFromCodeCache = cachedData !== undefined && script.cachedDataRejected === false;
