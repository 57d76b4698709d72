import { emptyState, type BookmarkState } from './BookmarkState.js';
import type { BookmarkStore } from './BookmarkStore.js';
import { applyPending, removeStaging } from './applyPending.js';
import { releaseClaimsOf } from '../../io/partitioning/outputCommit.js';

/** The state as recovery left it; `stored` is false when the job has no state yet. */
export interface RecoveredState {
  state: BookmarkState;
  stored: boolean;
}

const DIED = 'the run ended before its commit (the process was killed or crashed); its staged output was removed';

/**
 * Brings a job's state to rest; call it holding the job's lock. A commit that was written but
 * not fully applied is rolled forward (its renames are idempotent); runs still marked running
 * died before their commit point (the lock says no one else runs), so their staging folders are
 * removed and they are marked failed. The output locks those runs and the last run still hold
 * are released (a run killed after its commit point holds them too). Each step writes the state,
 * so a crash during recovery is recovered by the next one.
 */
export async function recoverJob(store: BookmarkStore, job: string): Promise<RecoveredState> {
  let state = await store.read(job);
  if (!state) return { state: emptyState(job), stored: false };
  if (state.pending) {
    await applyPending(state.pending);
    const { pending: _, ...rest } = state;
    state = await write(store, job, state, rest);
  }
  const dead = state.runs.filter((r) => r.status === 'running');
  const last = state.runs.at(-1);
  for (const run of new Set([...dead, ...(last ? [last] : [])])) await releaseClaimsOf(run.runId, run.staging);
  if (dead.length > 0) {
    for (const run of dead) {
      for (const staging of run.staging) await removeStaging(staging);
      await store.deleteSnapshot(job, run.runId);
    }
    const endedAt = new Date().toISOString();
    state = await write(store, job, state, {
      ...state,
      runs: state.runs.map((r) => (r.status === 'running' ? { ...r, status: 'failed', endedAt, error: DIED } : r)),
    });
  }
  return { state, stored: true };
}

async function write(store: BookmarkStore, job: string, current: BookmarkState, next: Omit<BookmarkState, 'revision'>): Promise<BookmarkState> {
  const state = { ...next, revision: current.revision + 1 } as BookmarkState;
  await store.writeIfRevision(job, state, current.revision);
  return state;
}
