import { rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StagedOutput } from '../../io/partitioning/commit.js';
import { makeFolder } from '../../io/store/makeFolder.js';

/**
 * Moves a worker's part files (paths relative to its own folder inside the job's staging folder,
 * Hive folders included) into the staging root, where the commit protocol expects them
 * (`k=v/part-….ext`); returns their staged paths, for StagedOutput.commit.
 */
export async function adoptSplitFiles(output: StagedOutput, splitRoot: string, files: string[]): Promise<string[]> {
  const staged: string[] = [];
  for (const file of files) {
    const target = output.stagedPath(file);
    await makeFolder(dirname(target));
    await rename(join(splitRoot, file), target);
    staged.push(target);
  }
  return staged;
}
