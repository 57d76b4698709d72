import { assertNoOverlap, pathsOverlap } from '../../io/partitioning/pathOverlap.js';
import { checkPartitionKeys } from '../../io/partitioning/partitionKeyNames.js';
import { scanPaths } from '../../exec/write.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { JobPlan } from './loadJobSpec.js';

/**
 * Refuses, before any sink runs, a job whose sinks cannot all commit cleanly: two sinks on one
 * path (or one inside another: their commits would replace each other's files), a sink that
 * overlaps an input of the job, or a partition column that cannot name a folder.
 */
export function checkSinkPaths(plan: JobPlan): void {
  const inputs = [...new Set(plan.sinks.flatMap((sink) => scanPaths(sink.frame.plan)))];
  for (const [i, sink] of plan.sinks.entries()) {
    checkPartitionKeys(sink.write.partitionKeys ?? []);
    for (const other of plan.sinks.slice(0, i)) {
      if (pathsOverlap(other.write.path, sink.write.path)) {
        throw new SluiceError(
          `Sinks '${other.id}' and '${sink.id}' write overlapping paths (${other.write.path} and ${sink.write.path}): ` +
          'each sink needs its own output folder, outside the others',
          { file: sink.write.path },
        );
      }
    }
    assertNoOverlap(inputs, sink.write.path, `Sink '${sink.id}'`);
  }
}
