import { BookmarkSession } from '../job/bookmarks/BookmarkSession.js';
import { BookmarkLockedError } from '../job/bookmarks/BookmarkStore.js';
import type { BookmarkStore } from '../job/bookmarks/BookmarkStore.js';
import { absolutePath } from '../io/store/storePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { LambdaContext } from './handlerTypes.js';

const DEFAULT_LOCK_WAIT_MS = 30_000;

/**
 * Lambda stops an invocation after 15 minutes at most, so a lock held longer was left by one that
 * was killed (a timeout, an out-of-memory): on a shared folder (EFS) its host differs from ours,
 * and the file lock alone would keep counting it as alive.
 */
export const DEFAULT_STALE_LOCK_MS = 16 * 60 * 1000;

/**
 * The band is set past any file's age so the session's own bookmarked sources (a function job
 * that gives a read a transformationCtx) never skip a file by its modification time: in Lambda,
 * events arrive late and out of order, and which objects are new is the processed-object record's
 * call (objectLedger.ts), not the listing's.
 */
const NO_HIGH_WATER_BAND_MS = 100 * 365 * 24 * 3600 * 1000;

/** The state folder (or s3:// prefix): the option, else env SLUICE_STATE_DIR. */
export function stateDirOf(option: string | undefined): string {
  const dir = option ?? process.env.SLUICE_STATE_DIR;
  if (dir === undefined || dir === '') {
    throw new SluiceError(
      'createS3EventHandler: no state folder: set env SLUICE_STATE_DIR or the stateDir option to a folder that outlives ' +
      'the function (e.g. s3://bucket/sluice-state or an EFS mount); it holds the bookmark and the record of processed objects',
    );
  }
  return absolutePath(dir);
}

/**
 * Opens the job's bookmarked run. Runs of one job take turns (the state's lock): while another
 * invocation holds it, this one waits, up to `lockWaitMs` (and half the invocation's remaining
 * time), then fails so that Lambda delivers the event again later.
 */
export async function openRun(job: string, store: BookmarkStore, lockWaitMs: number | undefined, context?: LambdaContext, staleLockMs = DEFAULT_STALE_LOCK_MS): Promise<BookmarkSession> {
  const remaining = context?.getRemainingTimeInMillis?.();
  const waitMs = Math.min(lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, remaining !== undefined ? remaining / 2 : Infinity);
  const deadline = Date.now() + waitMs;
  let brokeStaleLock = false;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    try {
      return await BookmarkSession.open({ job, store, settings: { mode: 'enable', maxBandMs: NO_HIGH_WATER_BAND_MS } });
    } catch (e) {
      if (e instanceof BookmarkLockedError && !brokeStaleLock && (await breakStaleLock(store, job, e, staleLockMs))) {
        brokeStaleLock = true;
        continue;
      }
      if (!(e instanceof BookmarkLockedError) || Date.now() + delay > deadline) throw e;
      await new Promise((done) => setTimeout(done, delay * (0.5 + Math.random())));
    }
  }
}

/**
 * Removes the job's lock if its holder started more than `staleLockMs` ago and still holds it
 * (the store also takes over a lock whose file is older than `staleLockMs`; a lock copied or
 * rewritten keeps its holder's start). Should that holder be alive after all, the state's
 * revision check stops it from committing.
 */
async function breakStaleLock(store: BookmarkStore, job: string, error: BookmarkLockedError, staleLockMs: number): Promise<boolean> {
  const holder = error.holder;
  if (!holder || !(Date.now() - Date.parse(holder.startedAt) > staleLockMs)) return false;
  return store.breakLock(job, holder.runId);
}
