import { Field, RecordBatch, Schema, Table, tableFromIPC, tableToIPC, type Data } from 'apache-arrow';
import { makeBatch } from '../../columns/makeBatch.js';

/**
 * Arrow IPC for what crosses a thread: each value is one IPC stream in its own ArrayBuffer, so it
 * can be transferred (moved, not copied) and decoded zero-copy on the other side. One stream per
 * batch keeps dictionary columns simple (each batch brings its own dictionaries).
 */

export function schemaToIpc(schema: Schema): Uint8Array {
  return tableToIPC(new Table(schema), 'stream');
}

export function schemaFromIpc(bytes: Uint8Array): Schema {
  return tableFromIPC(bytes).schema;
}

export function batchToIpc(batch: RecordBatch): Uint8Array {
  return tableToIPC(new Table([batch]), 'stream');
}

/** The single batch of an IPC stream written by `batchToIpc` (0 rows included). */
export function batchFromIpc(bytes: Uint8Array): RecordBatch {
  return tableFromIPC(bytes).batches[0];
}

/** One column as IPC (a one-field batch), for partial aggregation states. */
export function columnToIpc(data: Data): Uint8Array {
  const field = new Field('c', data.type, true);
  return batchToIpc(makeBatch(new Schema([field]), [data], data.length));
}

export function columnFromIpc(bytes: Uint8Array): Data {
  return batchFromIpc(bytes).data.children[0] as Data;
}

/** The distinct ArrayBuffers behind some views, for a transfer list. */
export function buffersOf(views: Iterable<ArrayBufferView>): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const view of views) if (view.buffer instanceof ArrayBuffer) out.add(view.buffer);
  return [...out];
}
