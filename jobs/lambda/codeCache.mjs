// The Lambda bundle's loader and its V8 code cache.
//
// Compiling the ~4 MB bundle was two thirds of a cold start's import (the main thread's CPU for
// the import: 100 ms, 35 ms with the cache). Node 20 caches no compiled code for ES modules, but
// `vm.Script` takes and makes V8 code caches: so the bundle is built as a CommonJS-shaped function
// body (handler.cjs), and index.mjs, a small ES module, compiles it with the cache made at bundle
// time and exports what it exports. V8 checks a cache against the text's length only: handler.cjs
// and code-cache/ are made together, bundle again rather than edit handler.cjs.
//
// V8 takes a cache only from the same V8 version run with the same V8 flags (the values too):
// Lambda's Node runtime starts node with --expose-gc and heap sizes derived from the function's
// memory, so a cache is made per memory size (code-cache/lambda-<MB>.bin, picked by the
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE Lambda sets), and one for a plain `node` on this machine
// (code-cache/node-<tag>.bin, by v8.cachedDataVersionTag()). A cache that is missing or that V8
// rejects costs nothing but its read: the bundle is compiled as without one.
//
//   node jobs/lambda/codeCache.mjs <bundle folder> <lambda-MB | --node | --names-only> [warm-up.json]
//        (run by bundle.mjs, under the flags of the cache it makes)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';
import { IMPORT_FUNCTION } from './dynamicImports.mjs';

/** The bundle's file beside index.mjs. */
export const BUNDLE_FILE = 'handler.cjs';
/** The caches' folder beside index.mjs. */
export const CACHE_FOLDER = 'code-cache';

// The bundle's text is compiled inside this function: CommonJS's own wrapper, plus `import.meta`
// (the build defines `import.meta` as `__sluiceImportMeta`) and import() (dynamicImports.mjs),
// which index.mjs passes from itself, so the bundle finds files beside it as the single-file ESM
// bundle did; `this` is module.exports, as under Node's own CommonJS loader. The cache holds the
// exact text, so the loader and the cache's maker must wrap it alike: both use these two strings.
const HEAD = `(function (exports, require, module, __filename, __dirname, __sluiceImportMeta, ${IMPORT_FUNCTION}) {`;
const TAIL = '\n})';

// V8 keeps the script name a cache was made under (stack traces then name the bundling machine's
// folder): both compile it under the bare file name, the same wherever the bundle is deployed.
const SCRIPT_NAME = BUNDLE_FILE;

/** The flags Lambda's nodejs20.x runtime starts node with, for a function of `memoryMB` (its bootstrap's arithmetic). */
export function lambdaNodeFlags(memoryMB) {
  const newSpace = Math.floor(memoryMB / 10);
  return ['--expose-gc', '--max-http-header-size', '81920', `--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMB - newSpace}`];
}

/**
 * index.mjs: compiles handler.cjs with the cache for this process's flags and exports `names`
 * from it. `globalThis[Symbol.for('sluice/lambda-code-cache')]` tells which cache it tried and
 * whether V8 took it (tests read it; nothing else does).
 */
export function loaderSource(names) {
  const exportLines = names.filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name)).map((name) => `export const ${name} = exported[${JSON.stringify(name)}];`);
  if (names.includes('default')) exportLines.push('export default exported.default;');
  return `// Made by jobs/lambda/bundle.mjs: runs ${BUNDLE_FILE} (the bundled handler) with V8's code cache (see codeCache.mjs there).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

const __filename = fileURLToPath(import.meta.url);
const __dirname = fileURLToPath(new URL('.', import.meta.url));
const bundle = fileURLToPath(new URL(${JSON.stringify(`./${BUNDLE_FILE}`)}, import.meta.url));
const memory = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const cacheFile = fileURLToPath(new URL(\`./${CACHE_FOLDER}/\${memory ? \`lambda-\${memory}\` : \`node-\${cachedDataVersionTag()}\`}.bin\`, import.meta.url));
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // none made for these flags: compile without
}
// esbuild writes ASCII (non-ASCII characters escaped): latin1 reads it fastest.
const script = new Script(${JSON.stringify(HEAD)} + readFileSync(bundle, 'latin1') + ${JSON.stringify(TAIL)}, {
  filename: ${JSON.stringify(SCRIPT_NAME)}, // the name the cache was made under, wherever this folder is
  cachedData,
});
globalThis[Symbol.for('sluice/lambda-code-cache')] = { file: cacheFile, found: cachedData !== undefined, taken: cachedData !== undefined && !script.cachedDataRejected };
const module = { exports: {} };
// The bundle's import(…) calls, made from here (see dynamicImports.mjs in the repository).
const importFromHere = (specifier, options) => import(specifier, options);
script.runInThisContext().call(module.exports, module.exports, createRequire(import.meta.url), module, __filename, __dirname, import.meta, importFromHere);
const exported = module.exports;
${exportLines.join('\n')}
`;
}

/**
 * Compiles and runs the bundle in `folder` as index.mjs would (its top level: what an import
 * runs), and with `warmUp` calls its handler once on the warm-up's event, then writes V8's cache
 * of what was compiled, for this process's flags, to `cacheFile` (none: no cache, only the names).
 * Functions V8 compiles only when first called are in the cache once they ran: a warm-up puts the
 * reader's, the writer's and the commit's code in it. Returns the bundle's export names.
 */
async function compileBundle(folder, cacheFile, warmUp) {
  const bundle = join(folder, BUNDLE_FILE);
  const script = new Script(HEAD + readFileSync(bundle, 'latin1') + TAIL, { filename: SCRIPT_NAME });
  const module = { exports: {} };
  const loader = join(folder, 'index.mjs');
  // The top level needs no more of import.meta than its url (index.mjs is not written yet).
  const importHere = (specifier, options) => import(specifier, options);
  script.runInThisContext().call(module.exports, module.exports, createRequire(loader), module, loader, folder, { url: pathToFileURL(loader).href }, importHere);
  if (warmUp) await module.exports[warmUp.export ?? 'handler'](warmUp.event, { functionName: 'code-cache-warm-up', getRemainingTimeInMillis: () => 900_000 });
  if (cacheFile) {
    mkdirSync(join(folder, CACHE_FOLDER), { recursive: true });
    writeFileSync(cacheFile, script.createCachedData());
  }
  return Object.keys(module.exports);
}

/**
 * Makes the bundle's code caches in `folder`: one for a plain `node` here, one per Lambda memory
 * size; each in a node process started with the flags it is for. `warmUp` ({ event, env, export })
 * runs the handler once in each of them before its cache is made, on a fresh temp folder:
 * `{dir}` in an env value names it (point the job's output and state there). Returns the
 * bundle's export names.
 */
export function makeCodeCaches(folder, { lambdaMemoryMB = [], warmUp } = {}) {
  const runs = [{ flags: [], name: undefined }, ...lambdaMemoryMB.map((mb) => ({ flags: lambdaNodeFlags(mb), name: `lambda-${mb}` }))];
  let names;
  for (const { flags, name } of runs) {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-code-cache-'));
    try {
      const warmUpFile = join(dir, 'warm-up.json');
      const env = { ...process.env, NODE_OPTIONS: '' };
      if (warmUp) {
        writeFileSync(warmUpFile, JSON.stringify({ event: warmUp.event, export: warmUp.export }));
        for (const [key, value] of Object.entries(warmUp.env ?? {})) env[key] = value.replaceAll('{dir}', dir);
      }
      const args = [...flags, fileURLToPath(import.meta.url), folder, name ?? '--node', ...(warmUp ? [warmUpFile] : [])];
      const child = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: folder, env });
      if (child.status !== 0) {
        const what = warmUp ? 'its top level or the warm-up invocation threw' : 'its top level threw when run (as an import does)';
        throw new Error(`making the code cache of ${join(folder, BUNDLE_FILE)}${name ? ` for ${name}` : ''} failed: ${what}:\n${child.stderr}\n(bundle with codeCache: false / --no-code-cache to skip it)`);
      }
      names ??= JSON.parse(child.stdout.trim().split('\n').at(-1));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return names;
}

/** Export names without making a cache (a bundle built with codeCache: false). */
export function exportNames(folder) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), folder, '--names-only'], { encoding: 'utf8', cwd: folder, env: { ...process.env, NODE_OPTIONS: '' } });
  if (child.status !== 0) throw new Error(`reading the exports of ${join(folder, BUNDLE_FILE)} failed: its top level threw when run (as an import does):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [folderArg, which, warmUpFile] = process.argv.slice(2);
  const folder = resolve(folderArg);
  const cacheFile = which === '--names-only' ? undefined : join(folder, CACHE_FOLDER, `${which === '--node' ? `node-${cachedDataVersionTag()}` : which}.bin`);
  const names = await compileBundle(folder, cacheFile, warmUpFile ? JSON.parse(readFileSync(warmUpFile, 'utf8')) : undefined);
  // The bundle's top level may print: the names are the last line. Exit at once: a warm-up may
  // leave sockets or timers that would hold the process.
  process.stdout.write(`\n${JSON.stringify(names)}\n`, () => process.exit(0));
}
