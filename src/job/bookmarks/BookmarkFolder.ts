import { checkJobName } from '../jobName.js';
import { StorePreconditionError, type Store } from '../../io/store/Store.js';
import { storeFor } from '../../io/store/storeFor.js';
import { absolutePath, joinPath, relativePath } from '../../io/store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { BookmarkState, RunSnapshot } from './BookmarkState.js';
import { BookmarkConflictError, type BookmarkLock, type BookmarkStore, type LockOwner } from './BookmarkStore.js';
import { releaseIfHeldBy, takeStoreLock, type StoreLockOptions } from './storeLock.js';

export type BookmarkFolderOptions = StoreLockOptions;

const decoder = new TextDecoder();

/**
 * Bookmark state in a folder of any store — a local folder (default `.sluice/`) or an
 * `s3://bucket/prefix`:
 *
 *     <folder>/<job>/state.json          the bookmark, run history and pending commit
 *     <folder>/<job>/lock                held by the running run: pid, host, run id, start
 *     <folder>/<job>/runs/<runId>.json   the sources after each committed run (rewind, pause from/to)
 *
 * Job names are URI-encoded into folder names. Every write is a whole-file `put` (atomic on
 * both stores). The revision check is a conditional put: If-Match on the ETag read with the
 * state, or If-None-Match for the first write. It is also made by reading first, so a store that
 * ignores conditional headers (s3rver, older S3-compatible servers) and a local disk (where the
 * check and the rename are two steps) still refuse a stale revision; two writers racing between
 * the read and the put could both win there, which the job's lock (one run at a time) rules out.
 */
export class BookmarkFolder implements BookmarkStore {
  readonly location: string;

  constructor(location: string, private readonly options: BookmarkFolderOptions = {}) {
    this.location = absolutePath(location);
  }

  async read(job: string): Promise<BookmarkState | undefined> {
    return (await this.readJson<BookmarkState>(this.statePath(job)))?.value;
  }

  async writeIfRevision(job: string, state: BookmarkState, expected: number | undefined): Promise<void> {
    const path = this.statePath(job);
    const current = await this.readJson<BookmarkState>(path);
    const conflict = (found: string) =>
      new BookmarkConflictError(
        `the bookmark of job '${job}' changed under this run (revision ${expected ?? 'none'} expected, ${found} found in ${path}): ` +
          'another run, reset or rewind committed first; run the job again',
      );
    if (current?.value.revision !== expected) throw conflict(String(current?.value.revision ?? 'none'));
    try {
      await (await this.store()).put(path, JSON.stringify(state, null, 1), current?.etag ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
    } catch (e) {
      if (e instanceof StorePreconditionError) throw conflict('a newer write');
      throw e;
    }
  }

  async readSnapshot(job: string, runId: string): Promise<RunSnapshot | undefined> {
    return (await this.readJson<RunSnapshot>(this.snapshotPath(job, runId)))?.value;
  }

  async writeSnapshot(job: string, snapshot: RunSnapshot): Promise<void> {
    await (await this.store()).put(this.snapshotPath(job, snapshot.runId), JSON.stringify(snapshot));
  }

  async deleteSnapshot(job: string, runId: string): Promise<void> {
    await (await this.store()).delete([this.snapshotPath(job, runId)]);
  }

  async listJobs(): Promise<string[]> {
    const jobs = new Set<string>();
    for await (const object of (await this.store()).list(this.location)) {
      const [folder, ...rest] = relativePath(this.location, object.path).split('/');
      if (rest.length > 0) jobs.add(decodeURIComponent(folder));
    }
    return [...jobs].sort();
  }

  async lock(job: string, owner: LockOwner): Promise<BookmarkLock> {
    return takeStoreLock(await this.store(), this.lockPath(job), owner, `job '${job}'`, this.options);
  }

  async breakLock(job: string, runId: string): Promise<boolean> {
    return releaseIfHeldBy(await this.store(), this.lockPath(job), (held) => held.includes(runId));
  }

  jobFolder(job: string): string {
    return joinPath(this.location, encodeURIComponent(checkJobName(job)));
  }

  private store(): Promise<Store> {
    return storeFor(this.location);
  }

  private async readJson<T>(path: string): Promise<{ value: T; etag?: string } | undefined> {
    const object = await (await this.store()).get(path);
    if (!object) return undefined;
    try {
      return { value: JSON.parse(decoder.decode(object.bytes)) as T, etag: object.etag };
    } catch (e) {
      throw new SluiceError(`Bookmark file ${path} is not valid JSON (${(e as Error).message}); restore it or reset the job's bookmarks`, { file: path });
    }
  }

  private lockPath(job: string): string {
    return joinPath(this.jobFolder(job), 'lock');
  }

  private statePath(job: string): string {
    return joinPath(this.jobFolder(job), 'state.json');
  }

  private snapshotPath(job: string, runId: string): string {
    return joinPath(this.jobFolder(job), `runs/${encodeURIComponent(runId)}.json`);
  }
}
