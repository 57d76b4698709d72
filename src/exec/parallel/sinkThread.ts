import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { rm } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { writePartitioned } from '../../io/partitioning/writePartitioned.js';
import { StagedOutput } from '../../io/partitioning/commit.js';
import { isS3Path } from '../../io/store/s3Path.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { WriteSpec, WriteSummary } from '../WriteSpec.js';
import { batchFromIpc, batchToIpc } from './arrowWire.js';
import { canStartWorkers, workerPool } from './pool.js';
import { poolThreads, type ParallelSettings } from './settings.js';
import { publishSplitFiles } from './parallelWrite.js';
import type { SinkTask, TaskResult } from './task.js';

/**
 * A write whose plan runs on the driver thread (one split: a gzip file, an input under the
 * split-parallel threshold) encodes and writes on a worker thread instead: the driver reads,
 * parses and transforms while the worker encodes the previous batches — two cores busy, and each
 * thread warms up (V8 compiles) only its own half of the code, where two split-parallel threads
 * would each compile all of it. Batches cross as Arrow IPC (one copy); at most IN_FLIGHT wait.
 */
const IN_FLIGHT = 4;

/** Whether a write of `inputBytes` goes through a sink thread (local output, workers available, large enough). */
export function useSinkThread(spec: WriteSpec, settings: ParallelSettings, inputBytes: number): boolean {
  return inputBytes >= settings.sinkThreadAboveBytes && !isS3Path(spec.path) && canStartWorkers();
}

/** Writes `batches` through one worker thread, committed by the driver all or nothing (as a split-parallel write). */
export async function writeOnSinkThread(batches: AsyncIterable<RecordBatch>, spec: WriteSpec, settings: ParallelSettings): Promise<Omit<WriteSummary, 'errors'>> {
  const mode = spec.mode === 'error' ? 'errorIfExists' : spec.mode ?? 'append';
  const output = new StagedOutput(spec.path, spec.jobRunId ?? randomUUID(), { deferCommit: spec.deferCommit });
  await output.begin(mode);
  const root = output.stagedPath('sink-00000');
  const { port1: port, port2 } = new MessageChannel();
  const task: SinkTask = {
    mode: 'sink',
    port: port2,
    write: {
      root,
      jobRunId: `${output.jobRunId}-s00000`,
      format: spec.format,
      partitionKeys: spec.partitionKeys ?? [],
      maxRowsPerFile: spec.maxRowsPerFile,
      maxBytesPerFile: spec.maxBytesPerFile,
      writerOptions: {
        ...(spec.formatOptions ?? {}),
        ...(spec.compression ? { compression: spec.compression } : {}),
        ...(spec.rowGroupSize ? { rowGroupSize: spec.rowGroupSize } : {}),
      },
    },
  };
  const done = (workerPool(poolThreads(settings)).run(task, { transferList: [port2] as never }) as Promise<TaskResult>).catch(
    (error: unknown): TaskResult => ({ ok: false, error: { name: 'Error', message: `its worker thread stopped (${error instanceof Error ? error.message : String(error)})` } }),
  );
  let finished = false;
  void done.then(() => (finished = true));
  try {
    let inFlight = 0;
    let credit: (() => void) | undefined;
    port.on('message', () => {
      inFlight--;
      credit?.();
    });
    for await (const batch of batches) {
      while (inFlight >= IN_FLIGHT && !finished) await Promise.race([new Promise<void>((r) => (credit = r)), done]);
      if (finished) break; // the worker failed: its error is reported below
      const bytes = batchToIpc(batch);
      inFlight++;
      port.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
    }
    port.postMessage(null);
    const result = await done;
    if (!result.ok) throw new SluiceError(`writing ${spec.path} on a sink thread failed: ${result.error.message}`, result.error.details ?? { file: spec.path });
    const written = result.written!;
    const staged = await publishSplitFiles(output, root, written.files);
    // The sink's folder now holds only its own `_SUCCESS` marker: gone before any commit can see it.
    await rm(root, { recursive: true, force: true });
    const files = await output.commit(staged, mode);
    return { rows: written.rows, files, bytes: written.bytes };
  } catch (error) {
    // The worker stops at the next batch it asks for; nothing it wrote is published.
    port.postMessage('abort');
    await done;
    await output.abort();
    throw error;
  } finally {
    port.close();
  }
}

/** The worker's side: the batches the driver posts, written as a split-parallel write task writes its split. */
export async function runSinkTask(task: SinkTask): Promise<TaskResult> {
  const target = task.write;
  try {
    const result = await writePartitioned(batchesFrom(task.port), target.root, {
      format: target.format,
      partitionKeys: target.partitionKeys,
      maxRowsPerFile: target.maxRowsPerFile,
      maxBytesPerFile: target.maxBytesPerFile,
      writerOptions: target.writerOptions as never,
      mode: 'append',
      jobRunId: target.jobRunId,
    });
    const files = result.files.map((f) => relative(target.root, f));
    return { ok: true, stageErrors: [], written: { files, rows: result.rows, bytes: result.bytes } };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, ...(error instanceof SluiceError ? { details: error.details } : {}) } };
  } finally {
    task.port.close();
  }
}

/** Batches from the port until the driver's end (null) or abort ('abort'); each taken batch returns a credit. */
async function* batchesFrom(port: MessagePort): AsyncGenerator<RecordBatch> {
  const queue: unknown[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (message) => {
    queue.push(message);
    wake?.();
  });
  for (;;) {
    while (queue.length === 0) await new Promise<void>((r) => (wake = r));
    const message = queue.shift();
    if (message === null) return;
    if (message === 'abort') throw new SluiceError('the write was cancelled by the driver');
    port.postMessage(1);
    yield batchFromIpc(message as Uint8Array);
  }
}
