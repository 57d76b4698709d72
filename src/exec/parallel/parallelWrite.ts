import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanNode } from '../../plan/PlanNode.js';
import { saveModeOf, type WriteSpec, type WriteSummary } from '../WriteSpec.js';
import { StagedOutput } from '../../io/partitioning/commit.js';
import type { ErrorRecord } from '../../types/ErrorRecord.js';
import { bindRegion, regionTask, startRegion, type ExecutePlanOptions } from './boundRegion.js';
import { runSplitsInOrder } from './dispatch.js';
import { ErrorBudget } from './errorBudget.js';
import { executePlan } from './executePlan.js';
import { regionOf } from './planRegions.js';
import { adoptSplitFiles } from './adoptSplitFiles.js';
import { writeTargetOf } from './task.js';
import { parallelSettings, poolThreads, type ParallelSettings } from './settings.js';
import { workerPool } from './pool.js';
import type { Split } from './splits.js';
import { isCompressed } from '../../io/input.js';

/**
 * Writes a plan that is one parallel region straight from the workers: each worker writes its
 * split's part files (Hive folders included) into its own folder inside the job's staging
 * folder, with no commit of its own (writePartitioned's `unstaged`); when every split has
 * succeeded the driver moves them into the staging root and commits them all at once with the
 * usual protocol (commit.ts: rename into place, `_SUCCESS`).
 * On any failure or cancellation, the remaining tasks are stopped and awaited, and the staging
 * folder is removed: nothing becomes visible.
 *
 * Otherwise says how the caller should run the write: `parallel: 'inside'` when the plan is not
 * one region (parts of it may still run in parallel), `'no'` when it is one region that is better
 * run inline (small input, one split, a build side too large to broadcast…).
 */
export async function writeInParallel(
  plan: PlanNode,
  spec: WriteSpec,
  options: ExecutePlanOptions,
): Promise<{ summary: WriteSummary } | { parallel: 'inside' } | { parallel: 'no'; offload?: ParallelSettings }> {
  const settings = parallelSettings(options);
  if (!settings) return { parallel: 'no' };
  const region = regionOf(plan);
  if (!region) return { parallel: 'inside' };
  const bound = await bindRegion(region, options, settings);
  if (!bound.parallel) {
    if (!worthOffloading(bound.splits, settings)) return { parallel: 'no' };
    workerPool(poolThreads(settings)); // the thread starts while the driver reads the first batches
    return { parallel: 'no', offload: settings };
  }
  const started = await startRegion(bound, (p) => executePlan(p, options));
  if (!started) return { parallel: 'no' };

  const mode = saveModeOf(spec);
  const output = new StagedOutput(spec.path, spec.jobRunId ?? randomUUID(), { deferCommit: spec.deferCommit });
  await output.begin(mode);
  const splitRoot = (index: number) => join(output.staging, `split-${String(index).padStart(5, '0')}`);
  const makeTask = (split: Parameters<ReturnType<typeof regionTask>>[0], cancel: SharedArrayBuffer) =>
    regionTask(bound, started, 'write', {
      write: writeTargetOf(spec, splitRoot(split.index), `${output.jobRunId}-s${String(split.index).padStart(5, '0')}`),
    })(split, cancel);

  try {
    const budget = new ErrorBudget(region);
    const errors: ErrorRecord[] = [];
    for (const build of started.buildErrors) {
      budget.addBuildErrors(build.index, build.errors.length);
      errors.push(...build.errors);
    }
    const staged: string[] = [];
    let rows = 0;
    let bytes = 0;
    for await (const { split, result } of runSplitsInOrder(bound.splits, makeTask, { threads: settings.threads, driverSplits: settings.driverSplits, signal: options.signal })) {
      budget.addSplit(result.stageErrors);
      errors.push(...(result.errors ?? []));
      rows += result.written!.rows;
      bytes += result.written!.bytes;
      staged.push(...(await adoptSplitFiles(output, splitRoot(split.index), result.written!.files)));
    }
    options.signal?.throwIfAborted();
    // The split folders are empty now (their files moved, Hive folders left): gone before any
    // commit (a deferred one included) can see them.
    await Promise.all(bound.splits.map((split) => rm(splitRoot(split.index), { recursive: true, force: true })));
    const files = await output.commit(staged, mode);
    return { summary: { rows, files, bytes, errors } };
  } catch (error) {
    await output.abort();
    throw error;
  }
}

/**
 * Compressed input holds about this many times its size in text (gzip on CSV and JSON: 3–8×), so
 * one such file is judged by what it will take to read and write.
 */
const COMPRESSED_EXPANSION = 3;

/**
 * Whether a write that runs inline should hand its encoding to a worker (writeOffThread.ts): one
 * split that cannot be cut (a compressed file, a multi-line CSV), as large as a parallel run's input.
 */
function worthOffloading(splits: Split[], settings: ParallelSettings): boolean {
  if (splits.length !== 1) return false;
  const split = splits[0];
  const expansion = split.parts.some((part) => isCompressed(part.file)) ? COMPRESSED_EXPANSION : 1;
  return split.bytes * expansion >= settings.inlineBelowBytes;
}
