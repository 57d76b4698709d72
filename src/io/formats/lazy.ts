import { createRequire } from 'node:module';
import type { FormatReader, FormatWriter } from './Format.js';

/**
 * Lazy halves of a format definition: the definition (names, extensions, options, split kind)
 * stays eager, so the registry, usage texts and option checks load nothing heavy; the code that
 * reads or writes (parsers, parquet-wasm, avsc, fast-xml-parser) is imported the first time a
 * file of that format is read or written.
 */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => (loading ??= load());
}

export function lazyReader<O>(load: () => Promise<FormatReader<O>>): FormatReader<O> {
  const reader = once(load);
  return {
    inferSchema: async (path, options) => (await reader()).inferSchema(path, options),
    columnNames: async (path, options) => {
      const loaded = await reader();
      return loaded.columnNames ? loaded.columnNames(path, options) : ((await loaded.inferSchema(path, options)).names as string[]);
    },
    repeatingColumns: async (path, options, schema, mode) => {
      const loaded = await reader();
      return loaded.repeatingColumns ? loaded.repeatingColumns(path, options, schema, mode) : [];
    },
    read: (path, options, read) => lazyIterable(async () => (await reader()).read(path, options, read)),
  };
}

export function lazyWriter<O>(load: () => Promise<FormatWriter<O>>): FormatWriter<O> {
  const writer = once(load);
  return { write: async (batches, path, options) => (await writer()).write(batches, path, options) };
}

/** A function returning an AsyncIterable, whose module is imported when the iteration starts. */
export function lazyStream<A extends unknown[], T>(load: () => Promise<(...args: A) => AsyncIterable<T>>): (...args: A) => AsyncIterable<T> {
  const fn = once(load);
  return (...args) => lazyIterable(async () => (await fn())(...args));
}

/** A function returning a Promise, whose module is imported on the first call. */
export function lazyAsync<A extends unknown[], T>(load: () => Promise<(...args: A) => Promise<T>>): (...args: A) => Promise<T> {
  const fn = once(load);
  return async (...args) => (await fn())(...args);
}

function lazyIterable<T>(open: () => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* await open();
    },
  };
}

/**
 * `importIt()` (a literal `import('./x.js')`, which bundlers follow), and when that fails in a
 * module run from TypeScript sources: a worker thread under tsx loads its modules through tsx's
 * `require` hook, where a dynamic import finds no loader for `.ts`; `require` does.
 */
export async function importSibling<T>(importIt: () => Promise<T>, specifier: string, base: string): Promise<T> {
  try {
    return await importIt();
  } catch (error) {
    if (!base.endsWith('.ts')) throw error;
    return createRequire(base)(specifier.replace(/\.js$/, '.ts')) as T;
  }
}
