import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Data, RecordBatch } from 'apache-arrow';
import type { Row } from '../../src/frame/DataFrame.js';
import { rowObjects } from '../../src/columns/rowObjects.js';
import { SluiceError, type ErrorRecord } from '../../src/types/ErrorRecord.js';
import type { FnRef } from '../types.js';

/** A row function as it sits in a plan: an in-process closure, or a module reference that can travel. */
export type RowFn = ((row: Row) => unknown) | FnRef;

export const isFnRef = (f: unknown): f is FnRef =>
  typeof f === 'object' && f !== null && typeof (f as FnRef).module === 'string' && typeof (f as FnRef).export === 'string';

/** Checks a function parameter before anything runs; `what` names it in the message. */
export function checkRowFn(f: unknown, what: string): RowFn {
  if (typeof f === 'function' || isFnRef(f)) return f as RowFn;
  throw new SluiceError(`${what} must be a function or a module reference { module, export }, got ${JSON.stringify(f)}`);
}

const loaded = new Map<string, Promise<(row: Row) => unknown>>();

/**
 * The callable behind a row function. Paths (absolute, starting with `.`, or ending in .js/.mjs/
 * .cjs/.ts) resolve against process.cwd(); `file:` URLs and package names are imported as they are. Each module export is loaded once.
 */
export function loadRowFn(f: RowFn): Promise<(row: Row) => unknown> {
  if (typeof f === 'function') return Promise.resolve(f);
  const isPath = isAbsolute(f.module) || f.module.startsWith('.') || /\.[cm]?[jt]s$/.test(f.module);
  const specifier = f.module.startsWith('file:') ? f.module : isPath ? pathToFileURL(resolve(process.cwd(), f.module)).href : f.module;
  const cacheKey = `${specifier}#${f.export}`;
  let pending = loaded.get(cacheKey);
  if (!pending) {
    pending = import(specifier).then(
      (mod: Record<string, unknown>) => {
        const fn = mod[f.export];
        if (typeof fn !== 'function') {
          throw new SluiceError(`module '${f.module}' has no function export '${f.export}'; its exports: ${Object.keys(mod).join(', ') || '(none)'}`);
        }
        return fn as (row: Row) => unknown;
      },
      (e: Error) => {
        throw new SluiceError(`cannot load row function '${f.export}' from module '${f.module}' (${specifier}): ${e.message}`);
      },
    );
    pending.catch(() => loaded.delete(cacheKey)); // a fixed file can be retried
    loaded.set(cacheKey, pending);
  }
  return pending;
}

/** The rows of a batch as plain objects (built column-wise, not through Arrow's row proxies). */
export function batchRows(batch: RecordBatch): Row[] {
  return rowObjects(batch.schema.fields.map((f) => f.name), batch.data.children as Data[], batch.numRows);
}

/** The error record for a row whose function threw. */
export function thrownRecord(what: string, error: unknown, row: Row): ErrorRecord {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message: `${what} function threw on this record: ${message}`, record: row };
}
