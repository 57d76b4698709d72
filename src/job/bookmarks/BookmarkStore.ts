import { SluiceError } from '../../types/ErrorRecord.js';
import type { BookmarkState, RunSnapshot } from './BookmarkState.js';

import type { LockOwner, StoreLock } from '../../io/store/storeLock.js';

export type { LockOwner };
export type BookmarkLock = StoreLock;

/**
 * Where bookmark state lives (BookmarkFolder: a folder of any Store). Small on purpose:
 * `writeIfRevision` is a conditional put (If-Match on the ETag), the lock a file created only
 * if absent (If-None-Match).
 */
export interface BookmarkStore {
  /** For messages: the folder (or bucket prefix) holding the state. */
  readonly location: string;
  read(job: string): Promise<BookmarkState | undefined>;
  /**
   * Replaces the state if the stored revision is still `expected` (undefined: nothing stored
   * yet); otherwise throws a BookmarkConflictError. The write is atomic: all or nothing.
   */
  writeIfRevision(job: string, state: BookmarkState, expected: number | undefined): Promise<void>;
  readSnapshot(job: string, runId: string): Promise<RunSnapshot | undefined>;
  writeSnapshot(job: string, snapshot: RunSnapshot): Promise<void>;
  deleteSnapshot(job: string, runId: string): Promise<void>;
  /** The folder (or s3:// prefix) holding one job's state: `<location>/<job>`. */
  jobFolder(job: string): string;
  /** The jobs that have state. */
  listJobs(): Promise<string[]>;
  /** Takes the job's exclusive lock, or throws a BookmarkLockedError naming the live holder. */
  lock(job: string, owner: LockOwner): Promise<BookmarkLock>;
  /** Removes the job's lock if run `runId` still holds it (a holder known to be dead); true when removed. */
  breakLock(job: string, runId: string): Promise<boolean>;
}

/** The state changed under a run: another run, reset or rewind committed first. */
export class BookmarkConflictError extends SluiceError {
  constructor(message: string) {
    super(message);
    this.name = 'BookmarkConflictError';
  }
}

/** Another run of the job holds the lock (Glue's max concurrency 1). */
export class BookmarkLockedError extends SluiceError {
  constructor(message: string, readonly holder?: LockOwner) {
    super(message);
    this.name = 'BookmarkLockedError';
  }
}
