import { relative } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { writePartitioned } from '../../io/partitioning/writePartitioned.js';
import type { TaskSuccess, WriteTarget } from './task.js';

/**
 * A worker's part files for `target`: written straight into its folder inside the job's staging
 * folder, with no commit of their own (the driver commits every split's files at once); returns
 * them relative to that folder.
 */
export async function writeUnstaged(batches: AsyncIterable<RecordBatch>, target: WriteTarget): Promise<NonNullable<TaskSuccess['written']>> {
  const result = await writePartitioned(batches, target.root, {
    format: target.format,
    partitionKeys: target.partitionKeys,
    maxRowsPerFile: target.maxRowsPerFile,
    maxBytesPerFile: target.maxBytesPerFile,
    writerOptions: target.writerOptions as never,
    jobRunId: target.jobRunId,
    unstaged: true,
  });
  return { files: result.files.map((f) => relative(target.root, f)), rows: result.rows, bytes: result.bytes };
}
