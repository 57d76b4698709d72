import type { RecordBatch } from 'apache-arrow';
import type { PlanNode } from '../plan/PlanNode.js';
import { checkWriteSpecKeys, saveModeOf, writerOptionsOf, type WriteSpec, type WriteSummary } from './WriteSpec.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import { writePartitioned } from '../io/partitioning/writePartitioned.js';
import { checkWriteOptions } from '../io/formats/registry.js';
import type { ChunkStream } from './Kernel.js';
import { currentProgress, effectiveSignal } from './progress.js';
import { optimisePlan } from '../plan/optimisePlan.js';
import { pushDownFilters } from '../plan/pushDownFilters.js';
import { writeInParallel } from './parallel/parallelWrite.js';
import { writeOffThread } from './parallel/writeOffThread.js';
import { executePlan, type ExecutePlanOptions } from './parallel/executePlan.js';
import { resolveDeferredScans } from './resolveDeferredScans.js';
import { withWidening } from './widening.js';
import { assertNoOverlap } from '../io/partitioning/pathOverlap.js';
import { checkPartitionKeys } from '../io/partitioning/partitionKeyNames.js';
import { planPartitions } from '../plan/planPartitions.js';
import { writeTasks } from './writeTasks.js';

/**
 * Runs a plan into files (refused first when a partition column cannot name a folder, or the output
 * overlaps an input): batches stream from the plan into the partitioned writer, error
 * records are gathered on the side, and the writer's commit publishes all files or none.
 * `options` carry the kernel registry the caller was given and the run options: exec/ never
 * sees a DataFrame. The default save mode is Glue's: new part files are added beside what the
 * path holds.
 * A plan that is one parallel region is written by the workers themselves (parallel/parallelWrite.ts).
 * A column that must widen after the sampled rows (exec/widening.ts) makes the write start over.
 */
export async function writePlan(plan: PlanNode, spec: WriteSpec, options: ExecutePlanOptions): Promise<WriteSummary> {
  return withWidening(() => writeOnce(plan, spec, options));
}

async function writeOnce(plan: PlanNode, spec: WriteSpec, options: ExecutePlanOptions): Promise<WriteSummary> {
  options = { ...options, listings: new Map() }; // one listing per scan for the whole write (a restart lists again)
  // Before any input is read: a misspelt option, or a format sluice only reads.
  checkWriteSpecKeys(spec);
  checkWriteOptions(spec.format, spec.formatOptions);
  checkPartitionKeys(spec.partitionKeys ?? []);
  assertNoOverlap(scanPaths(plan), spec.path);
  // Filters reach deferred scans before they resolve (a catalog table prunes partitions by them).
  const projected = optimisePlan(await resolveDeferredScans(pushDownFilters(plan)), null);
  // repartition(n) / coalesce(n) decide the part files: the rows are written by n tasks, not per split.
  const partitions = planPartitions(projected, options.registry);
  const parallel = partitions === undefined ? await writeInParallel(projected, spec, options) : { parallel: 'inside' as const };
  if ('summary' in parallel) {
    currentProgress()?.addRowsWritten(parallel.summary.rows);
    return parallel.summary;
  }
  const prepared = await executePlan(projected, parallel.parallel === 'no' ? { ...options, parallel: false } : options);
  const chunks = prepared.run();
  const errors: ErrorRecord[] = [];
  const signal = effectiveSignal(options.signal);
  const batches = batchesOf(chunks, errors, signal);
  // One large input that cannot be split: read here, encoded and written on a worker.
  if ('offload' in parallel && parallel.offload) {
    const result = await writeOffThread(batches, spec, parallel.offload, signal);
    return { ...result, errors };
  }
  const result = await writePartitioned(partitions && partitions > 1 ? writeTasks(batches, partitions) : batches, spec.path, {
    format: spec.format,
    partitionKeys: spec.partitionKeys ?? [],
    maxRowsPerFile: spec.maxRowsPerFile,
    maxBytesPerFile: spec.maxBytesPerFile,
    mode: saveModeOf(spec),
    ...(spec.jobRunId ? { jobRunId: spec.jobRunId } : {}),
    ...(spec.deferCommit ? { deferCommit: true } : {}),
    writerOptions: writerOptionsOf(spec) as never,
  });
  return { rows: result.rows, files: result.files, bytes: result.bytes, errors };
}

/** The run's batches, its error records gathered on the way; a cancelled run stops before the commit. */
async function* batchesOf(chunks: ChunkStream, errors: ErrorRecord[], signal: AbortSignal | undefined): AsyncIterable<RecordBatch> {
  signal?.throwIfAborted();
  for await (const chunk of chunks) {
    signal?.throwIfAborted();
    for (const e of chunk.errors) errors.push(e);
    if (chunk.batch.numRows > 0) {
      currentProgress()?.addRowsWritten(chunk.batch.numRows);
      yield chunk.batch;
    }
  }
  signal?.throwIfAborted();
}

/** Every path a plan's scans read (their base folder too), for the overlap check. */
export function scanPaths(plan: PlanNode): string[] {
  if (plan.kind === 'scan') return plan.basePath ? [plan.basePath, ...plan.paths] : plan.paths;
  if (plan.kind === 'values') return [];
  return plan.inputs.flatMap(scanPaths);
}
