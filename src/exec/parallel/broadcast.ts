import { randomUUID } from 'node:crypto';
import type { Data, RecordBatch, Schema } from 'apache-arrow';
import { concatData } from '../../columns/concat.js';
import { makeBatch } from '../../columns/take.js';
import { nullColumn } from '../../columns/nullColumn.js';
import type { ErrorRecord } from '../../types/ErrorRecord.js';
import type { PreparedPlan } from '../execute.js';
import { batchToIpc } from './arrowWire.js';
import { broadcastLimitBytes } from './settings.js';
import type { Broadcast } from './task.js';

/**
 * Largest Join build side (frame2) broadcast to the workers: 512 MiB of Arrow IPC. It sits once in
 * shared memory for all workers, but each worker also builds its own hash index over it, and the
 * driver holds it while collecting; past this the join runs inline, single-threaded, where the
 * index is built once. Env SLUICE_BROADCAST_LIMIT (bytes) replaces it (settings.ts).
 */
export const MAX_BROADCAST_BYTES = 512 * 1024 * 1024;

export type BroadcastResult =
  | { broadcast: Broadcast; errors: ErrorRecord[] }
  | { refused: string };

/**
 * Runs a Join's build side once in the driver and puts it in a SharedArrayBuffer as one Arrow IPC
 * batch (one copy, seen by every worker). Collection stops as soon as the side grows past the limit.
 */
export async function broadcastBuildSide(build: PreparedPlan, limit = broadcastLimitBytes(MAX_BROADCAST_BYTES)): Promise<BroadcastResult> {
  const batches: RecordBatch[] = [];
  const errors: ErrorRecord[] = [];
  let bytes = 0;
  for await (const chunk of build.run()) {
    errors.push(...chunk.errors);
    if (chunk.batch.numRows === 0) continue;
    batches.push(chunk.batch);
    bytes += chunk.batch.data.byteLength;
    if (bytes > limit) return { refused: `the join's build side passed ${limit} bytes` };
  }
  const ipc = batchToIpc(singleBatch(build.schema, batches));
  if (ipc.byteLength > limit) return { refused: `the join's build side is ${ipc.byteLength} bytes of IPC` };
  const buffer = new SharedArrayBuffer(ipc.byteLength);
  new Uint8Array(buffer).set(ipc);
  return { broadcast: { id: randomUUID(), buffer, byteLength: ipc.byteLength }, errors };
}

function singleBatch(schema: Schema, batches: RecordBatch[]): RecordBatch {
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = schema.fields.map((f, k) => (batches.length ? concatData(batches.map((b) => b.data.children[k] as Data)) : nullColumn(f.type, 0)));
  return makeBatch(schema, columns, rows);
}
