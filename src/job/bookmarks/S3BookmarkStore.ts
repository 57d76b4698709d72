import { SluiceError } from '../../types/ErrorRecord.js';
import { parseS3Path, s3Join, s3Relative } from '../../io/store/s3Path.js';
import { storeFor } from '../../io/store/storeFor.js';
import { StorePreconditionError, type Store } from '../../io/store/Store.js';
import type { BookmarkState, RunSnapshot } from './BookmarkState.js';
import { BookmarkConflictError, BookmarkLockedError, type BookmarkLock, type BookmarkStore, type LockOwner } from './BookmarkStore.js';
import { checkJobName } from '../jobName.js';
import { currentHost } from './fileLock.js';

export interface S3BookmarkStoreOptions {
  /**
   * A lock older than this is taken as left by a run that died (a Lambda or container that is
   * gone cannot be asked). Default: never — remove the lock object by hand.
   */
  staleLockMs?: number;
}

const decoder = new TextDecoder();

/**
 * Bookmark state under an S3 prefix, laid out as LocalBookmarkStore's folder:
 *
 *     <prefix>/<job>/state.json   <prefix>/<job>/lock   <prefix>/<job>/runs/<runId>.json
 *
 * The revision check is a conditional PUT: `If-Match` on the ETag read with the state, or
 * `If-None-Match: *` for the first write; the lock is created with `If-None-Match: *`. AWS S3
 * honours both (since 2024). The check is also made by reading first, so a store that ignores
 * conditional headers (s3rver, older S3-compatible servers) still refuses a stale revision — but
 * there two writers racing between the read and the PUT can both win; the job lock (one run at a
 * time) is what rules that out, as it does for the local store.
 */
export class S3BookmarkStore implements BookmarkStore {
  readonly location: string;

  constructor(location: string, private readonly options: S3BookmarkStoreOptions = {}) {
    parseS3Path(location);
    this.location = location.replace(/\/+$/, '');
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
      const [folder, ...rest] = s3Relative(this.location, object.path).split('/');
      if (rest.length > 0) jobs.add(decodeURIComponent(folder));
    }
    return [...jobs].sort();
  }

  async lock(job: string, owner: LockOwner): Promise<BookmarkLock> {
    const store = await this.store();
    const path = this.jobPath(job, 'lock');
    const text = JSON.stringify(owner);
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = await store.get(path);
      if (held) {
        const holder = parseOwner(held.bytes);
        if (await this.isStale(store, path, holder)) {
          await store.delete([path]);
          continue;
        }
        throw lockedError(job, path, holder);
      }
      try {
        await store.put(path, text, { ifNoneMatch: '*' });
      } catch (e) {
        if (e instanceof StorePreconditionError) continue; // another run created it first
        throw e;
      }
      // Where If-None-Match is ignored, the last PUT wins: read back to see whose lock stands.
      const standing = await store.get(path);
      if (standing && decoder.decode(standing.bytes) !== text) throw lockedError(job, path, parseOwner(standing.bytes));
      return { owner, release: () => releaseIfOwned(store, path, text) };
    }
    throw new BookmarkLockedError(`job '${job}': could not take the lock ${path} after 3 attempts; another process keeps taking it`);
  }

  private async isStale(store: Store, path: string, holder: LockOwner | undefined): Promise<boolean> {
    if (holder && holder.host === currentHost() && !isAlive(holder.pid)) return true;
    if (this.options.staleLockMs === undefined) return false;
    const info = await store.stat(path);
    return info !== undefined && Date.now() - info.mtimeMs > this.options.staleLockMs;
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

  jobFolder(job: string): string {
    return this.jobPath(job);
  }

  private jobPath(job: string, ...parts: string[]): string {
    return s3Join(this.location, [encodeURIComponent(checkJobName(job)), ...parts].join('/'));
  }

  private statePath(job: string): string {
    return this.jobPath(job, 'state.json');
  }

  private snapshotPath(job: string, runId: string): string {
    return this.jobPath(job, 'runs', `${encodeURIComponent(runId)}.json`);
  }
}

function parseOwner(bytes: Uint8Array): LockOwner | undefined {
  try {
    const owner = JSON.parse(decoder.decode(bytes)) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function lockedError(job: string, path: string, holder: LockOwner | undefined): BookmarkLockedError {
  const who = holder ? `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})` : 'an unreadable lock';
  return new BookmarkLockedError(
    `job '${job}' is already running: ${who}; a job runs once at a time (Glue's max concurrency 1). If that run is gone, delete ${path}`,
    holder,
  );
}

/** A process on this host that no longer exists cannot hold a lock. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function releaseIfOwned(store: Store, path: string, text: string): Promise<void> {
  const current = await store.get(path).catch(() => undefined);
  if (current && decoder.decode(current.bytes) === text) await store.delete([path]).catch(() => undefined);
}
