import type { RecordBatch } from 'apache-arrow';
import type { MessagePort } from 'node:worker_threads';
import { SluiceError } from '../../types/ErrorRecord.js';
import { batchFromIpc } from './arrowWire.js';
import { taskFailure, type OffloadedWriteTask, type OffloadMessage, type TaskResult } from './task.js';
import { writeUnstaged } from './writeUnstaged.js';

/**
 * The worker's half of an offloaded write (the driver's is writeOffThread.ts): the batches the
 * driver sends are written as one split's part files, unstaged, into the job's staging folder,
 * which the driver commits. Failures come back as data, as runRegionTask's do.
 */
export async function runOffloadedWriteHere(task: OffloadedWriteTask): Promise<TaskResult> {
  try {
    return { ok: true, stageErrors: [], errors: [], written: await writeUnstaged(received(task.port), task.write) };
  } catch (error) {
    return taskFailure(error);
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
