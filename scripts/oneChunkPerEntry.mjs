// Used by bundleLibrary.mjs (its ES module build for bundlers): keeps an entry's static modules in few chunks.
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * esbuild, splitting, puts each module in the chunk of the set of entries (the build's entries
 * and every lazily imported module) that reach it. Lazy format readers, writers and CLI verbs each
 * reach a different part of an entry's static modules, so importing the library loaded ~50 chunks,
 * many of a few hundred bytes; the same code in ~10 chunks costs ~30 ms less CPU at start-up.
 * So each lazily imported module that `entry` does not load statically imports `entry` first:
 * `entry`'s modules are then all reached by the same entries and share a chunk. Where `entry` is
 * loaded already (the library in any job, the worker's entry in a worker) that import costs
 * nothing; code that reaches a lazy module without `entry` (a CLI verb) loads `entry` first.
 *
 * Builds `options` (esbuild build options with `absWorkingDir`) with that plugin added.
 */
export async function buildWithEntryChunk(esbuild, options, entry) {
  const { metafile } = await esbuild.build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  const lazy = lazyModulesOutside(metafile.inputs, relative(options.absWorkingDir, entry));
  return esbuild.build({ ...options, plugins: [...(options.plugins ?? []), importFirst(entry, new Set([...lazy].map((path) => join(options.absWorkingDir, path))))] });
}

/** The dynamically imported modules that are not among `entry`'s static imports (transitively). */
function lazyModulesOutside(inputs, entry) {
  const reached = new Set();
  const pending = [entry];
  while (pending.length) {
    const path = pending.pop();
    if (reached.has(path) || !inputs[path]) continue;
    reached.add(path);
    for (const imported of inputs[path].imports) if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
  }
  const lazy = new Set();
  for (const input of Object.values(inputs)) {
    for (const imported of input.imports) {
      if (imported.kind === 'dynamic-import' && !imported.external && inputs[imported.path] && !reached.has(imported.path)) lazy.add(imported.path);
    }
  }
  return lazy;
}

/** Prepends `import '<entry>';` to the given modules, on their first line (line numbers stay). */
function importFirst(entry, paths) {
  return {
    name: 'import-entry-first',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!paths.has(args.path)) return undefined;
        const source = await readFile(args.path, 'utf8');
        return { contents: `import ${JSON.stringify(entry)}; ${source}`, loader: 'ts' };
      });
    },
  };
}
