import { mkdir, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BookmarkState, RunSnapshot } from './BookmarkState.js';
import { BookmarkConflictError, type BookmarkLock, type BookmarkStore, type LockOwner } from './BookmarkStore.js';
import { readJsonFile, writeFileAtomic } from './atomicFile.js';
import { checkJobName } from '../jobName.js';
import { acquireFileLock } from './fileLock.js';

/**
 * Bookmark state in a local folder (default `.sluice/`):
 *
 *     <folder>/<job>/state.json          the bookmark, run history and pending commit
 *     <folder>/<job>/lock                held by the running run: pid, host, run id, start
 *     <folder>/<job>/runs/<runId>.json   the sources after each committed run (rewind, pause from/to)
 *
 * Job names are URI-encoded into folder names.
 */
export class LocalBookmarkStore implements BookmarkStore {
  readonly location: string;

  constructor(folder: string) {
    this.location = resolve(folder);
  }

  async read(job: string): Promise<BookmarkState | undefined> {
    return readJsonFile<BookmarkState>(this.statePath(job));
  }

  /**
   * The revision check and the rename are not one atomic step on a local disk; the job's lock
   * makes them so between runs (the check still catches a run whose lock was broken).
   */
  async writeIfRevision(job: string, state: BookmarkState, expected: number | undefined): Promise<void> {
    const current = await this.read(job);
    if (current?.revision !== expected) {
      throw new BookmarkConflictError(
        `the bookmark of job '${job}' changed under this run (revision ${expected ?? 'none'} expected, ${current?.revision ?? 'none'} found in ${this.statePath(job)}): ` +
        'another run, reset or rewind committed first; run the job again',
      );
    }
    await mkdir(this.jobFolder(job), { recursive: true });
    await writeFileAtomic(this.statePath(job), JSON.stringify(state, null, 1));
  }

  async readSnapshot(job: string, runId: string): Promise<RunSnapshot | undefined> {
    return readJsonFile<RunSnapshot>(this.snapshotPath(job, runId));
  }

  async writeSnapshot(job: string, snapshot: RunSnapshot): Promise<void> {
    await mkdir(join(this.jobFolder(job), 'runs'), { recursive: true });
    await writeFileAtomic(this.snapshotPath(job, snapshot.runId), JSON.stringify(snapshot));
  }

  async deleteSnapshot(job: string, runId: string): Promise<void> {
    await rm(this.snapshotPath(job, runId), { force: true });
  }

  async listJobs(): Promise<string[]> {
    const entries = await readdir(this.location, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory()).map((e) => decodeURIComponent(e.name)).sort();
  }

  async lock(job: string, owner: LockOwner): Promise<BookmarkLock> {
    await mkdir(this.jobFolder(job), { recursive: true });
    return acquireFileLock(join(this.jobFolder(job), 'lock'), owner, `job '${job}'`);
  }

  jobFolder(job: string): string {
    return join(this.location, encodeURIComponent(checkJobName(job)));
  }

  private statePath(job: string): string {
    return join(this.jobFolder(job), 'state.json');
  }

  private snapshotPath(job: string, runId: string): string {
    return join(this.jobFolder(job), 'runs', `${encodeURIComponent(runId)}.json`);
  }
}
