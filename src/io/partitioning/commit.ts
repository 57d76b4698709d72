import { randomUUID } from 'node:crypto';
import { makeFolder } from '../store/makeFolder.js';
import { rm } from 'node:fs/promises';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { Store } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';
import { absolutePath, joinPath, relativePath } from '../store/storePath.js';
import { removeStaging } from './applyPending.js';
import { crashPoint } from './crashPoint.js';
import { forEachInParallel, MOVES_IN_FLIGHT } from './inParallel.js';
import { pathUnder } from './hivePath.js';
import { claimOutput, commitOutputs, type OutputClaim } from './outputCommit.js';
import { sinkStaging, stageSink } from './stageInStore.js';
import { visibleFiles } from './visibleFiles.js';

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
 * The commit protocol of one write job, the same for every store: part files are written into
 * the store's local staging folder (`<parent>/.<name>.sluice-staging/<jobRunId>/` beside the root
 * on a local disk, where no glob over the output looks; a temp folder for S3, uploaded at commit
 * into the same place in the bucket); `commit` publishes them through a manifest (outputCommit.ts),
 * `abort` removes the staging, so a failed job leaves no partial files. A plain write holds the
 * root's lock from `begin` to the end of `commit` or `abort`; a deferred one (bookmarks, a job
 * spec's sinks) is claimed by its caller, who commits every sink at once.
 */
export class StagedOutput {
  readonly jobRunId: string;
  private readonly deferCommit: boolean;
  private opened?: { store: Store; staging: string; claim?: OutputClaim };

  constructor(readonly root: string, jobRunId: string = randomUUID(), options: StagedOutputOptions = {}) {
    this.jobRunId = jobRunId;
    this.deferCommit = options.deferCommit ?? false;
  }

  /** The local folder part files are staged in (known once `begin` has run). */
  get staging(): string {
    if (!this.opened) throw new SluiceError(`The write to ${this.root} has not begun: call begin() first`);
    return this.opened.staging;
  }

  /** Claims the root (a plain write), checks the save mode against what it holds, and creates the staging folder. */
  async begin(mode: SaveMode): Promise<void> {
    const store = await storeFor(this.root);
    const staging = store.stagingFolder(this.root, this.jobRunId);
    const claim = this.deferCommit ? undefined : await claimOutput(this.root, this.jobRunId);
    this.opened = { store, staging, claim };
    try {
      if (mode === 'errorIfExists' && (await visibleFiles(this.root, 1)).length > 0) {
        throw new SluiceError(`Output folder ${this.root} already holds data; use mode 'append' or 'overwrite'`, { file: this.root });
      }
      await makeFolder(this.staging);
    } catch (e) {
      await claim?.release();
      this.opened = undefined;
      throw e;
    }
  }

  /** Where a part file is staged, from its path relative to the root (e.g. `year=2024/part-….parquet`). */
  stagedPath(relativePath: string): string {
    return pathUnder(this.staging, relativePath);
  }

  /** A part file is finished: nothing to do yet (the commit makes every staged file durable at once). */
  fileWritten(_path: string): void {}

  /** Publishes the staged files (paths as returned by `stagedPath`) and returns their final paths. */
  async commit(stagedFiles: string[], mode: SaveMode): Promise<string[]> {
    const finals = stagedFiles.map((staged) => this.finalPath(staged));
    if (this.deferCommit) return finals;
    const root = absolutePath(this.root);
    try {
      let renames;
      try {
        renames = await stageSink(root, this.jobRunId, finals);
      } catch (e) {
        await this.removeStaging();
        throw e;
      }
      crashPoint('after-stage-sink-1');
      await commitOutputs({ runId: this.jobRunId, outputs: [{ root, mode, staging: sinkStaging(root, this.jobRunId), renames }] });
      return finals;
    } finally {
      await this.opened?.claim?.release();
    }
  }

  /** Where a staged file is published. */
  finalPath(staged: string): string {
    return joinPath(absolutePath(this.root), relativePath(this.staging, staged));
  }

  async abort(): Promise<void> {
    if (!this.opened) return;
    try {
      await this.removeStaging();
    } finally {
      await this.opened.claim?.release();
    }
  }

  /** The writer's staging, and the root's when they differ (S3). */
  private async removeStaging(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    await removeStaging(sinkStaging(absolutePath(this.root), this.jobRunId));
  }
}

/**
 * Publishes staged local part files under `root` (any store) with the manifest protocol: the
 * root is claimed, the files are moved into its staging folder, then committed (outputCommit.ts).
 * A failure before the commit point leaves the old data whole and none of the new files.
 */
export async function publishStaged(root: string, staging: string, stagedFiles: string[], mode: SaveMode): Promise<string[]> {
  const base = absolutePath(root);
  const runId = randomUUID();
  const claim = await claimOutput(base, runId);
  try {
    const store = await storeFor(base);
    const sink = sinkStaging(base, runId);
    const relatives = stagedFiles.map((file) => relativePath(staging, file));
    try {
      await forEachInParallel([...stagedFiles.keys()], MOVES_IN_FLIGHT, (i) => store.publish(stagedFiles[i], joinPath(sink, relatives[i])));
    } catch (e) {
      await removeStaging(sink);
      throw e;
    }
    const renames = relatives.map((relative) => ({ from: joinPath(sink, relative), to: joinPath(base, relative) }));
    await commitOutputs({ runId, outputs: [{ root: base, mode, staging: sink, renames }] });
    return renames.map((r) => r.to);
  } finally {
    await claim.release();
  }
}
