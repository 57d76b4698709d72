import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { RecordBatch } from 'apache-arrow';
import { StagedOutput } from '../../io/partitioning/commit.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { saveModeOf, type WriteSpec } from '../WriteSpec.js';
import { adoptSplitFiles } from './adoptSplitFiles.js';
import { batchToIpc } from './arrowWire.js';
import { workerPool } from './pool.js';
import { poolThreads, type ParallelSettings } from './settings.js';
import { writeTargetOf, type OffloadedWriteTask, type OffloadMessage, type TaskResult } from './task.js';

/**
 * Batches sent ahead of the worker's writer: enough to keep it busy while the driver reads the
 * next one, few enough that memory holds a handful of batches, not the input.
 */
const BATCHES_AHEAD = 4;

/** How long a worker gets to stop after the driver failed, before its thread is terminated. */
const STOP_GRACE_MS = 2_000;

/**
 * Writes `batches` with both cores when they cannot come from splits: the driver reads and
 * transforms (the caller's stream) while a worker thread encodes, compresses and writes them
 * (offloadedWrite.ts), so one gzip CSV into Parquet runs on two threads instead of one. Each batch
 * crosses as one Arrow IPC buffer, moved, not copied; at most BATCHES_AHEAD wait for the worker.
 * The worker writes unstaged into the job's staging folder; the driver commits its files as it
 * commits a parallel write's (parallelWrite.ts): all or nothing, and on failure nothing is left.
 */
export async function writeOffThread(
  batches: AsyncIterable<RecordBatch>,
  spec: WriteSpec,
  settings: ParallelSettings,
  signal?: AbortSignal,
): Promise<{ rows: number; bytes: number; files: string[] }> {
  const mode = saveModeOf(spec);
  const output = new StagedOutput(spec.path, spec.jobRunId ?? randomUUID(), { deferCommit: spec.deferCommit });
  await output.begin(mode);
  const root = join(output.staging, 'offloaded');
  const { port1, port2 } = new MessageChannel();
  const task: OffloadedWriteTask = {
    kind: 'offloadedWrite',
    port: port2,
    write: writeTargetOf(spec, root, output.jobRunId),
  };
  const kill = new AbortController();
  let finished = false;
  const done = (workerPool(poolThreads(settings)).run(task, { transferList: [port2 as never], signal: kill.signal }) as Promise<TaskResult>)
    .catch((error: unknown): TaskResult => ({ ok: false, error: { name: 'Error', message: `its worker thread stopped (${error instanceof Error ? error.message : String(error)})` } }))
    .finally(() => (finished = true));
  try {
    await send(batches, port1, done, () => finished, signal);
    // (A message to a worker that has finished goes nowhere: its port is closed.)
    port1.postMessage({ type: 'end' } satisfies OffloadMessage);
    const result = await done;
    if (!result.ok) throw new SluiceError(`the write to ${spec.path} failed in its worker thread: ${result.error.message}`, result.error.details ?? { file: spec.path });
    const written = result.written!;
    const staged = await adoptSplitFiles(output, root, written.files);
    await rm(root, { recursive: true, force: true });
    const files = await output.commit(staged, mode);
    return { rows: written.rows, bytes: written.bytes, files };
  } catch (error) {
    // A worker past 'end' has stopped reading: this reaches only one still writing.
    port1.postMessage({ type: 'fail', message: error instanceof Error ? error.message : String(error) } satisfies OffloadMessage);
    const timer = setTimeout(() => kill.abort(new SluiceError('the write thread did not stop in time')), STOP_GRACE_MS);
    await done;
    clearTimeout(timer);
    await output.abort();
    throw error;
  } finally {
    port1.close();
  }
}

/**
 * Posts each batch to the worker, waiting while BATCHES_AHEAD are unacknowledged; stops early
 * when the worker has finished (it failed: its result says why), and while waiting, on `signal`
 * (the stream checks it only when pulled).
 */
async function send(
  batches: AsyncIterable<RecordBatch>,
  port: MessagePort,
  done: Promise<unknown>,
  workerFinished: () => boolean,
  signal: AbortSignal | undefined,
): Promise<void> {
  let ahead = 0;
  let wake: (() => void) | undefined;
  port.on('message', () => {
    ahead--;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort);
  try {
    for await (const batch of batches) {
      while (ahead >= BATCHES_AHEAD && !workerFinished()) {
        signal?.throwIfAborted();
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), done]);
      }
      signal?.throwIfAborted();
      if (workerFinished()) return;
      const ipc = batchToIpc(batch);
      port.postMessage({ type: 'batch', ipc } satisfies OffloadMessage, [ipc.buffer as ArrayBuffer]);
      ahead++;
      // A turn of the event loop per batch: resumed by acks alone, within one drain of the port's
      // messages, this loop would starve timers (a job's abort, progress) until the input ends.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
