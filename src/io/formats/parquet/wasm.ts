import { createRequire } from 'node:module';
import type * as ParquetWasm from 'parquet-wasm';
import { RecordBatch, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

export type ParquetWasmModule = typeof ParquetWasm;

let loading: Promise<ParquetWasmModule> | undefined;
/** Instances retired after a trap; the first load is the package's own import. */
let retired = 0;

/**
 * Loads parquet-wasm on first use. The `node` build (picked by the package's `node` export
 * condition) compiles the wasm synchronously at import, ~60 ms, so it stays off the cold start of
 * jobs that never touch Parquet. After a trap (see `guardWasm`) the next call instantiates the
 * module afresh: a Rust panic leaves the instance's heap and locks in an unknown state.
 */
export function loadParquetWasm(): Promise<ParquetWasmModule> {
  loading ??= retired === 0 ? import('parquet-wasm') : freshInstance();
  return loading;
}

/** A new instance of the CommonJS node build: out of require's cache, so its top level runs again. */
async function freshInstance(): Promise<ParquetWasmModule> {
  const require = createRequire(import.meta.url);
  const id = require.resolve('parquet-wasm');
  delete require.cache[id];
  return require(id) as ParquetWasmModule;
}

/** A WebAssembly trap: parquet-wasm's Rust code panicked (`RuntimeError: unreachable`) or ran out of memory. */
export const isWasmTrap = (error: unknown): error is Error => error instanceof WasmRuntimeError;
// (Node's global; the project's TypeScript libs do not declare WebAssembly.)
const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new () => Error } }).WebAssembly.RuntimeError;

/** Open guards, each failed by a trap. */
const guards = new Set<WasmGuard>();

/**
 * parquet-wasm runs its async work in microtasks it queues itself: a trap there is thrown from
 * the microtask, reaches no caller, and leaves the awaited promise pending for ever. While a guard
 * is open, this listener takes such traps: it retires the instance and fails every open guard (they
 * share the poisoned instance). Any other uncaught error it leaves alone: when no other listener
 * would see it, it is thrown again without this one, so the process fails as it would have.
 */
function onUncaught(error: Error): void {
  if (isWasmTrap(error)) {
    retire();
    for (const guard of [...guards]) guard.trap(error);
    return;
  }
  if (process.listenerCount('uncaughtException') === 1) {
    process.off('uncaughtException', onUncaught);
    process.nextTick(() => {
      throw error;
    });
  }
}

function retire(): void {
  if (loading) retired++;
  loading = undefined;
}

/**
 * Watches parquet-wasm for the span of one read (open it before the first call, close it in a
 * `finally`): a trap, thrown by a call or escaping from parquet-wasm's microtasks even while the
 * reader is suspended, makes `run` reject with `describe(trap)` instead of killing the process or
 * hanging, and the next `loadParquetWasm()` returns a fresh instance.
 */
export class WasmGuard {
  private trapped: Error | undefined;
  private fail: ((error: Error) => void) | undefined;

  constructor(private readonly describe: (trap: Error) => Error) {
    if (guards.size === 0) process.on('uncaughtException', onUncaught);
    guards.add(this);
  }

  /** Fails the guarded call in flight, or the next one. */
  trap(error: Error): void {
    this.trapped ??= this.describe(error);
    this.fail?.(this.trapped);
  }

  async run<T>(work: () => Promise<T> | T): Promise<T> {
    if (this.trapped) throw this.trapped;
    const trapped = new Promise<never>((_, reject) => (this.fail = reject));
    trapped.catch(() => undefined);
    try {
      return await Promise.race([Promise.resolve().then(work), trapped]);
    } catch (error) {
      if (!isWasmTrap(error)) throw error;
      retire();
      this.trapped ??= this.describe(error);
      throw this.trapped;
    } finally {
      this.fail = undefined;
    }
  }

  close(): void {
    guards.delete(this);
    if (guards.size === 0) process.off('uncaughtException', onUncaught);
  }
}

/** Frees a wasm object; on a retired (trapped) instance freeing may trap again, which no longer matters. */
export function freeQuietly(object: { free(): void } | undefined): void {
  try {
    object?.free();
  } catch {
    // the instance is gone
  }
}

/**
 * Moves a wasm record batch into JS memory via Arrow IPC. `intoIPCStream` consumes the wasm batch,
 * which frees its wasm memory (the wasm heap never shrinks, so nothing may be left behind).
 */
export function wasmBatchToArrow(batch: ParquetWasm.RecordBatch): RecordBatch[] {
  const ipc = batch.intoIPCStream();
  return tableFromIPC(ipc).batches;
}

/** Copies one JS record batch into wasm memory; the caller owns (and must free or hand over) the result. */
export function arrowBatchToWasm(wasm: ParquetWasmModule, batch: RecordBatch): ParquetWasm.RecordBatch[] {
  const table = wasm.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream'));
  try {
    return table.recordBatches();
  } finally {
    table.free();
  }
}
