import type { Data, RecordBatch } from 'apache-arrow';
import type { Row } from '../../src/frame/DataFrame.js';
import { rowObjects } from '../../src/columns/rowObjects.js';
import { SluiceError, type ErrorRecord } from '../../src/types/ErrorRecord.js';
import type { FnRef } from '../types.js';
import { importableModule, moduleFileUrl, shownModule } from '../../src/expr/moduleUrl.js';

/** A row function as it sits in a plan: an in-process closure, or a module reference that can travel. */
export type RowFn = ((row: Row) => unknown) | FnRef;

export const isFnRef = (f: unknown): f is FnRef =>
  typeof f === 'object' && f !== null && typeof (f as FnRef).module === 'string' && typeof (f as FnRef).export === 'string';

/** Checks a function parameter's shape; `what` names it in the message. */
export function checkRowFn(f: unknown, what: string): RowFn {
  if (typeof f === 'function' || isFnRef(f)) return f as RowFn;
  throw new SluiceError(`${what} must be a function or a module reference { module, export }, got ${JSON.stringify(f)}`);
}

/**
 * checkRowFn for a transform's `apply`, on the driver: a module reference becomes the absolute
 * file: URL it names (moduleUrl.ts), the only form a plan carries and loadRowFn imports.
 */
export function planRowFn(f: unknown, what: string): RowFn {
  const fn = checkRowFn(f, what);
  return typeof fn === 'function' ? fn : { module: moduleFileUrl(fn.module, what), export: fn.export };
}

const loaded = new Map<string, Promise<(row: Row) => unknown>>();

/**
 * The callable behind a row function. A module reference must be an absolute file: URL (planRowFn
 * and the job-spec loader make it one): whatever else a plan carries, e.g. a worker's copy that
 * was tampered with, is refused before it is imported. Each module export is loaded once.
 */
export function loadRowFn(f: RowFn): Promise<(row: Row) => unknown> {
  if (typeof f === 'function') return Promise.resolve(f);
  let specifier: string;
  try {
    specifier = importableModule(f.module);
  } catch (e) {
    return Promise.reject(e);
  }
  const shown = shownModule(f.module);
  const cacheKey = `${specifier}#${f.export}`;
  let pending = loaded.get(cacheKey);
  if (!pending) {
    pending = import(specifier).then(
      (mod: Record<string, unknown>) => {
        const fn = mod[f.export];
        if (typeof fn !== 'function') {
          throw new SluiceError(`module '${shown}' has no function export '${f.export}'; its exports: ${Object.keys(mod).join(', ') || '(none)'}`);
        }
        return fn as (row: Row) => unknown;
      },
      (e: Error) => {
        throw new SluiceError(`cannot load row function '${f.export}' from module '${shown}' (${specifier}): ${e.message}`);
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
