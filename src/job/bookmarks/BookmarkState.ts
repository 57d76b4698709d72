import type { PendingCommit } from '../../io/partitioning/applyPending.js';

export type { PendingCommit, PendingOutput } from '../../io/partitioning/applyPending.js';

/**
 * A job's bookmark document, as the store keeps it (one JSON file per job). It is also the
 * commit manifest: while `pending` is set, the run named there has committed and its staged
 * files must be (or already are) moved into place — see applyPending.ts.
 */
export interface BookmarkState {
  formatVersion: 1;
  job: string;
  /** Bumped by every write: the token of the store's conditional write. */
  revision: number;
  /** The bookmark version: bumped when what counts as read changes (a commit, a reset, a rewind). */
  version: number;
  /** What each source (by transformationCtx) has read. */
  sources: Record<string, SourceBookmark>;
  /** The runs, oldest first (the last MAX_RUNS are kept). */
  runs: RunRecord[];
  pending?: PendingCommit;
}

/** A file as bookmarks judge it: by path, size and modification time (and ETag on S3). */
export interface TrackedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** S3's ETag: LastModified has whole seconds only, so a rewrite within the second still shows. */
  etag?: string;
}

/**
 * Glue's file bookmark: files modified at or before `highWaterMs` count as read; newer files
 * (within the band) are listed one by one, so one that lands late with an older mtime is still
 * read, and one rewritten (new size or mtime) is read again.
 */
export interface SourceBookmark {
  highWaterMs: number;
  files: TrackedFile[];
  /** The source's schema at its last read: a run with no new files yields an empty frame of it. */
  schema?: Record<string, string>;
}

export type RunStatus = 'running' | 'succeeded' | 'failed';

export interface RunRecord {
  runId: string;
  /** 1, or one more than the run before when that one failed (Glue's retry attempt). */
  attempt: number;
  option: 'enable' | 'pause';
  startedAt: string;
  endedAt?: string;
  status: RunStatus;
  /** Rows written by the run's sinks. */
  rows?: number;
  /** Input files the run read. */
  files?: number;
  /** The bookmark version the run started from; once committed, the version it left. */
  version: number;
  pid: number;
  /**
   * Staging folders of the run's sinks, recorded before anything is written into them, so the
   * next run can remove what a run that died before its commit left behind.
   */
  staging: string[];
  error?: string;
}


/** The sources as they stood after one run: what `rewind` and `--job-bookmark-from/to` go back to. */
export interface RunSnapshot {
  runId: string;
  version: number;
  sources: Record<string, SourceBookmark>;
}

export const MAX_RUNS = 200;

export function emptyState(job: string): BookmarkState {
  return { formatVersion: 1, job, revision: 0, version: 0, sources: {}, runs: [] };
}
