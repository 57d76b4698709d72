import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { pathUnder } from './hivePath.js';
import { isS3Path } from '../store/s3Path.js';
import { publishToS3, s3StagingFolder, s3TargetOf, visibleS3Objects } from './publishToS3.js';

/** What to do when the output folder already holds data files (as Spark's SaveMode). */
export type SaveMode = 'errorIfExists' | 'append' | 'overwrite';

export interface StagedOutputOptions {
  /**
   * Leave the staged files where they are: `commit` only says where they would go. A job with
   * bookmarks publishes them later, in the same step as its bookmark (src/job/bookmarks).
   */
  deferCommit?: boolean;
}

/**
 * The commit protocol of one write job: part files are written under
 * `root/_temporary/<jobRunId>/`, invisible to readers (which skip `_`-prefixed paths); `commit`
 * moves them into place by rename and writes `_SUCCESS`; `abort` removes the staging folder so a
 * failed job leaves no partial files. An `s3://` root stages in a local temp folder and publishes
 * by upload (publishToS3.ts).
 */
export class StagedOutput {
  readonly jobRunId: string;
  readonly staging: string;
  private readonly deferCommit: boolean;

  constructor(readonly root: string, jobRunId: string = randomUUID(), options: StagedOutputOptions = {}) {
    this.jobRunId = jobRunId;
    this.staging = isS3Path(root) ? s3StagingFolder(jobRunId) : pathUnder(root, '_temporary', jobRunId);
    this.deferCommit = options.deferCommit ?? false;
  }

  /** Checks the save mode against what the root holds, and creates the staging folder. */
  async begin(mode: SaveMode): Promise<void> {
    const visible = () => (isS3Path(this.root) ? visibleS3Objects(this.root, 1) : visibleEntries(this.root));
    if (mode === 'errorIfExists' && (await visible()).length > 0) {
      throw new SluiceError(`Output folder ${this.root} already holds data; use mode 'append' or 'overwrite'`, { file: this.root });
    }
    await mkdir(this.staging, { recursive: true });
  }

  /** Where a part file is staged, from its path relative to the root (e.g. `year=2024/part-….parquet`). */
  stagedPath(relativePath: string): string {
    return pathUnder(this.staging, relativePath);
  }

  /** Publishes the staged files (paths as returned by `stagedPath`) and returns their final paths. */
  async commit(stagedFiles: string[], mode: SaveMode): Promise<string[]> {
    if (this.deferCommit) return stagedFiles.map((staged) => this.finalPath(staged));
    if (isS3Path(this.root)) {
      try {
        return await publishToS3(this.root, this.staging, stagedFiles, mode);
      } finally {
        await this.removeStaging();
      }
    }
    if (mode === 'overwrite') {
      for (const entry of await visibleEntries(this.root)) await rm(join(this.root, entry), { recursive: true, force: true });
    }
    const published: string[] = [];
    for (const staged of stagedFiles) {
      const target = this.finalPath(staged);
      await mkdir(dirname(target), { recursive: true });
      await rename(staged, target);
      published.push(target);
    }
    await this.removeStaging();
    await writeFile(join(this.root, '_SUCCESS'), '');
    return published;
  }

  /** Where a staged file is published. */
  finalPath(staged: string): string {
    return isS3Path(this.root) ? s3TargetOf(this.root, this.staging, staged) : pathUnder(this.root, relative(this.staging, staged));
  }

  async abort(): Promise<void> {
    await this.removeStaging();
  }

  private async removeStaging(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    // Other jobs may be staging into the same root: only an empty _temporary goes.
    await rmdir(dirname(this.staging)).catch(() => undefined);
  }
}

/** Entries of a folder readers would see (not `_`- or `.`-prefixed); none if it does not exist. */
async function visibleEntries(folder: string): Promise<string[]> {
  const entries = await readdir(folder).catch(() => [] as string[]);
  return entries.filter((name) => !name.startsWith('_') && !name.startsWith('.'));
}
