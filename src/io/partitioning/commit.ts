import { randomUUID } from 'node:crypto';
import { mkdir, rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { Store } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';
import { absolutePath, joinPath, relativePath } from '../store/storePath.js';
import { pathUnder } from './hivePath.js';
import { deleteUnder, visibleFiles } from './visibleFiles.js';

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
 * Staged files published at once: S3 PUTs are latency bound (tens of ms each), so several go at
 * once; against s3rver on loopback (CPU bound, 2 cores) 590 small objects took 1.8 s more than a
 * local write with 4, 2.4 s with 16. Local renames do not mind.
 */
const PUBLISHES_IN_FLIGHT = 8;

/**
 * The commit protocol of one write job, the same for every store: part files are written into
 * the store's local staging folder (`root/_temporary/<jobRunId>/` on a local disk, invisible to
 * readers, which skip `_`-prefixed paths; a temp folder for S3); `commit` publishes them
 * (publishStaged) and `abort` removes the staging folder, so a failed job leaves no partial files.
 */
export class StagedOutput {
  readonly jobRunId: string;
  private readonly deferCommit: boolean;
  private opened?: { store: Store; staging: string };

  constructor(readonly root: string, jobRunId: string = randomUUID(), options: StagedOutputOptions = {}) {
    this.jobRunId = jobRunId;
    this.deferCommit = options.deferCommit ?? false;
  }

  /** The local folder part files are staged in (known once `begin` has run). */
  get staging(): string {
    if (!this.opened) throw new SluiceError(`The write to ${this.root} has not begun: call begin() first`);
    return this.opened.staging;
  }

  /** Checks the save mode against what the root holds, and creates the staging folder. */
  async begin(mode: SaveMode): Promise<void> {
    const store = await storeFor(this.root);
    this.opened = { store, staging: store.stagingFolder(this.root, this.jobRunId) };
    if (mode === 'errorIfExists' && (await visibleFiles(this.root, 1)).length > 0) {
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
    try {
      return await publishStaged(this.root, this.staging, stagedFiles, mode);
    } finally {
      await this.removeStaging();
    }
  }

  /** Where a staged file is published. */
  finalPath(staged: string): string {
    return joinPath(absolutePath(this.root), relativePath(this.staging, staged));
  }

  async abort(): Promise<void> {
    if (this.opened) await this.removeStaging();
  }

  private async removeStaging(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
    // Other jobs may be staging into the same root: only an empty _temporary goes.
    await rmdir(dirname(this.staging)).catch(() => undefined);
  }
}

/**
 * Publishes staged local part files under `root` (any store): every file is published to its
 * final path (a rename on a local disk, an upload to S3), then — with `overwrite` — the files the
 * root showed before are deleted, then `_SUCCESS` is written. Deleting after publishing (not
 * before) means a failed run leaves the old data whole. On failure every file of this run is
 * deleted (part files carry the run id, so none belonged to anyone else) and the error rethrown.
 * Readers listing during the commit may see part of it: neither store renames many files at once.
 */
export async function publishStaged(root: string, staging: string, stagedFiles: string[], mode: SaveMode): Promise<string[]> {
  const store = await storeFor(root);
  const targets = stagedFiles.map((staged) => joinPath(absolutePath(root), relativePath(staging, staged)));
  const before = mode === 'overwrite' ? await visibleFiles(root) : [];
  try {
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < stagedFiles.length && !failed) {
        const i = next++;
        await store.publish(stagedFiles[i], targets[i]).catch((e: unknown) => {
          failed = true; // the other workers stop taking files: all of them are deleted anyway
          throw e;
        });
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(PUBLISHES_IN_FLIGHT, stagedFiles.length) }, worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    if (mode === 'overwrite') {
      const kept = new Set(targets);
      await deleteUnder(root, before.filter((path) => !kept.has(path)));
    }
    await store.put(joinPath(root, '_SUCCESS'), '');
  } catch (error) {
    await store.delete(targets).catch((cleanup: unknown) => {
      throw new SluiceError(
        `Publishing to ${root} failed (${String(error)}) and so did removing this run's files (${String(cleanup)}): ` +
          `delete ${targets.slice(0, 3).join(', ')}${targets.length > 3 ? ` and ${targets.length - 3} more` : ''} by hand`,
        { file: root },
      );
    });
    throw error;
  }
  return targets;
}
