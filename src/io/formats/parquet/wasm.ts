import type * as ParquetWasm from 'parquet-wasm';
import { RecordBatch, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

export type ParquetWasmModule = typeof ParquetWasm;

let loading: Promise<ParquetWasmModule> | undefined;

/**
 * Loads parquet-wasm on first use. The `node` build (picked by the package's `node` export
 * condition) compiles the wasm synchronously at import, ~60 ms, so it stays off the cold start of
 * jobs that never touch Parquet.
 */
export function loadParquetWasm(): Promise<ParquetWasmModule> {
  loading ??= import('parquet-wasm');
  return loading;
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
