import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { storeFor } from '../store/storeFor.js';
import { pathUnder } from './hivePath.js';

/**
 * Part files written straight under `root`, with no staging, lock or commit of their own: for a
 * caller that owns the commit. A split's worker writes so into the job's staging folder, which the
 * driver commits once for every split (a commit per split as well cost W2 a round of manifests,
 * renames, folder syncs and `_SUCCESS` per thread). Each file is made durable as soon as it is
 * written, while the next ones are still being written; `abort` removes the files.
 * The same surface as StagedOutput where writePartitioned uses it.
 */
export class UnstagedOutput {
  readonly jobRunId: string;
  private readonly files: string[] = [];
  private readonly syncs: Promise<void>[] = [];

  constructor(readonly root: string, jobRunId: string = randomUUID()) {
    this.jobRunId = jobRunId;
  }

  async begin(): Promise<void> {}

  stagedPath(relativePath: string): string {
    const path = pathUnder(this.root, relativePath);
    this.files.push(path);
    return path;
  }

  /** Starts making a finished file durable (awaited by `commit`). */
  fileWritten(path: string): void {
    const syncing = storeFor(path).then((store) => store.sync(path));
    syncing.catch(() => undefined); // observed in commit / abort
    this.syncs.push(syncing);
  }

  /** The files, once every one is durable: they stay where they are. */
  async commit(stagedFiles: string[]): Promise<string[]> {
    await Promise.all(this.syncs);
    return stagedFiles;
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.syncs);
    await Promise.all(this.files.map((path) => rm(path, { force: true })));
  }
}
