import { randomBytes } from 'node:crypto';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { BookmarkState, RunRecord, SourceBookmark } from './BookmarkState.js';
import type { BookmarkStore } from './BookmarkStore.js';
import { currentHost } from './storeLock.js';
import { recoverJob } from './recoverJob.js';

/** What `sluice bookmarks show` prints: the bookmark of each source and the run history. */
export interface BookmarkReport {
  job: string;
  location: string;
  version: number;
  sources: Record<string, SourceBookmark>;
  runs: RunRecord[];
  /** The run whose commit is written but not yet fully published (the next run finishes it). */
  pendingRun?: string;
}

/** Reads a job's bookmark without taking its lock (a run may be going). */
export async function showBookmarks(store: BookmarkStore, job: string): Promise<BookmarkReport> {
  const state = await store.read(job);
  if (!state) throw noState(store, job);
  return {
    job, location: store.location, version: state.version, sources: state.sources, runs: state.runs,
    ...(state.pending ? { pendingRun: state.pending.runId } : {}),
  };
}

/** Forgets what every source has read: the next run reads everything. The history stays. */
export async function resetBookmarks(store: BookmarkStore, job: string): Promise<BookmarkState> {
  return changeSources(store, job, 'reset', async () => ({}));
}

/** Puts the bookmark back to what it was after run `runId`: the next run reads what came after it. */
export async function rewindBookmarks(store: BookmarkStore, job: string, runId: string): Promise<BookmarkState> {
  return changeSources(store, job, 'rewind', async (state) => {
    const run = state.runs.find((r) => r.runId === runId);
    const snapshot = run?.status === 'succeeded' ? await store.readSnapshot(job, runId) : undefined;
    if (!snapshot) {
      const known = state.runs.filter((r) => r.status === 'succeeded').map((r) => r.runId);
      throw new SluiceError(`cannot rewind job '${job}' to ${runId}: no committed run has that id; committed runs: ${known.join(', ') || '(none)'}`);
    }
    return snapshot.sources;
  });
}

/** Under the job's lock (refused while a run goes), after recovery: a new bookmark version. */
async function changeSources(
  store: BookmarkStore, job: string, action: string,
  sourcesOf: (state: BookmarkState) => Promise<Record<string, SourceBookmark>>,
): Promise<BookmarkState> {
  const lock = await store.lock(job, { pid: process.pid, host: currentHost(), runId: `${action}_${randomBytes(4).toString('hex')}`, startedAt: new Date().toISOString() });
  try {
    const { state, stored } = await recoverJob(store, job);
    if (!stored) throw noState(store, job);
    const next: BookmarkState = { ...state, revision: state.revision + 1, version: state.version + 1, sources: await sourcesOf(state) };
    await store.writeIfRevision(job, next, state.revision);
    return next;
  } finally {
    await lock.release();
  }
}

function noState(store: BookmarkStore, job: string): SluiceError {
  return new SluiceError(`no bookmark state for job '${job}' in ${store.location}; run it with --job-bookmark-option job-bookmark-enable first, or pass --state-dir`);
}
