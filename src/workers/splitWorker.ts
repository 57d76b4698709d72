/**
 * The entry of a worker thread (piscina starts it; pool.ts names it). A process entry point, like
 * the CLI: it loads the transform definitions, which install themselves for exec/ (functions
 * cannot be sent to a thread), and exports the task runner. Named splitWorker.js because piscina
 * ships a worker.js of its own and the two would collide in a bundle.
 */
import '../../transforms/registry.js';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { runRegionTaskHere } from '../exec/parallel/runRegionTask.js';
import { buffersOf } from '../exec/parallel/arrowWire.js';
import { runOffloadedWriteHere } from '../exec/parallel/offloadedWrite.js';
import type { OffloadedWriteTask, RegionTask } from '../exec/parallel/task.js';

/**
 * Runs one split's task (or the writing half of an offloaded write); a split's IPC batches and
 * partial-state arrays are moved to the driver, not copied.
 */
export default async function runRegionTask(task: RegionTask | OffloadedWriteTask): Promise<unknown> {
  if ('kind' in task) return runOffloadedWriteHere(task);
  const views: ArrayBufferView[] = [];
  const result = await runRegionTaskHere(task, views);
  if (!result.ok) return result;
  for (const chunk of result.chunks ?? []) if (chunk.batch) views.push(chunk.batch);
  return move({ [transferableSymbol]: buffersOf(views), [valueSymbol]: result } as never);
}
