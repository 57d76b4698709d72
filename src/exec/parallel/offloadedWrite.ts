import { relative } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import type { MessagePort } from 'node:worker_threads';
import { writePartitioned } from '../../io/partitioning/writePartitioned.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { batchFromIpc } from './arrowWire.js';
import type { OffloadedWriteTask, OffloadMessage, TaskResult } from './task.js';

/**
 * The worker's half of an offloaded write (the driver's is writeOffThread.ts): the batches the
 * driver sends are written as one split's part files, unstaged, into the job's staging folder,
 * which the driver commits. Failures come back as data, as runRegionTask's do.
 */
export async function runOffloadedWriteHere(task: OffloadedWriteTask): Promise<TaskResult> {
  const target = task.write;
  try {
    const result = await writePartitioned(received(task.port), target.root, {
      format: target.format,
      partitionKeys: target.partitionKeys,
      maxRowsPerFile: target.maxRowsPerFile,
      maxBytesPerFile: target.maxBytesPerFile,
      writerOptions: target.writerOptions as never,
      jobRunId: target.jobRunId,
      unstaged: true,
    });
    const files = result.files.map((f) => relative(target.root, f));
    return { ok: true, stageErrors: [], errors: [], written: { files, rows: result.rows, bytes: result.bytes } };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { name: e.name, message: e.message, ...(error instanceof SluiceError ? { details: error.details } : {}) } };
  } finally {
    task.port.close();
  }
}

/** The driver's batches, in order; each is acknowledged as the writer takes it (the driver's flow control). */
async function* received(port: MessagePort): AsyncIterable<RecordBatch> {
  const queue: OffloadMessage[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (message: OffloadMessage) => {
    queue.push(message);
    wake?.();
  });
  for (;;) {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const message = queue.shift()!;
    if (message.type === 'end') return;
    if (message.type === 'fail') throw new SluiceError(`the write was stopped: ${message.message}`);
    port.postMessage('ack');
    yield batchFromIpc(message.ipc);
  }
}
