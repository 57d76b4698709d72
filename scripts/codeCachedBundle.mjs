// Used by bundleWorker.mjs and bundleLibrary.mjs: a bundle that runs from V8's code cache
// (scripts/cachedScript.mjs, copied beside it, runs it).
import { execFileSync } from 'node:child_process';
import { copyFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routeDynamicImports } from '../jobs/lambda/dynamicImports.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Builds `options` (esbuild options: an entry, externals, defines) as one CommonJS-shaped script
 * `outdir/name`, with cachedScript.js beside it. The sources' import.meta (url, resolve) becomes
 * cachedScript.js's, which sits beside the script; their import() calls go through it too (Node
 * 20 refuses import() inside a script run from a code cache), as in the Lambda bundle.
 */
export async function buildCachedScript(esbuild, options, outdir, name) {
  const result = await esbuild.build({
    ...options,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    define: { ...options.define, 'import.meta': '__sluiceImportMeta' },
    logLevel: 'warning',
    write: false,
  });
  await writeFile(join(outdir, name), routeDynamicImports(result.outputFiles[0].text));
  await copyFile(join(ROOT, 'scripts', 'cachedScript.mjs'), join(outdir, 'cachedScript.js'));
}

/**
 * Runs `script` (an ES module's text, which imports the entry of a cached script) in a fresh node,
 * which writes the script's code cache once its top level has run; returns what it printed.
 */
export function writeCodeCache(script) {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, SLUICE_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
  });
}
