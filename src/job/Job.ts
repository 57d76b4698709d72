import { join } from 'node:path';
import { SluiceError } from '../types/ErrorRecord.js';
import { bookmarkArguments, bookmarkSettings } from './bookmarks/BookmarkOptions.js';
import { BookmarkSession } from './bookmarks/BookmarkSession.js';
import type { RunRecord } from './bookmarks/BookmarkState.js';
import type { BookmarkStore } from './bookmarks/BookmarkStore.js';
import { openBookmarkStore } from './bookmarks/openBookmarkStore.js';
import type { GlueContext } from './GlueContext.js';
import { JobRunOutputs } from './JobRunOutputs.js';
import { commitWithCatalogUpdates } from './CatalogUpdates.js';
import type { RecordedWrite } from './runRecorder.js';

/** What `job.commit()` returns: the run's span and the writes made through its GlueContext. */
export interface JobCommitSummary {
  name: string;
  args: Readonly<Record<string, string>>;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  writes: RecordedWrite[];
  rows: number;
  /** With bookmarks (enable or pause): the run as recorded in the job's history. */
  bookmark?: RunRecord;
}

/**
 * `job.commit()`'s result: the summary at once and, awaited, the summary once the output (and,
 * with bookmarks, the bookmark: `bookmark` then set) is committed.
 */
export type JobCommit = JobCommitSummary & PromiseLike<JobCommitSummary>;

export interface JobOptions {
  /** The bookmark state folder (default: `--state-dir`, else `.sluice` in the current folder). */
  stateDir?: string;
  /** Somewhere else to keep bookmark state than a local folder. */
  store?: BookmarkStore;
}

/**
 * Glue's `Job`: `await job.init(args.JOB_NAME, args)` at the start of a script, `await
 * job.commit()` at the end. With `--job-bookmark-option job-bookmark-enable` (or pause) among the
 * job's arguments, init loads the job's bookmark, sources with a transformationCtx read only
 * new files, sinks stage their files, and commit publishes the output and the bookmark in one
 * step (src/job/bookmarks). Without bookmarks the sinks are staged too and `commit` publishes them
 * all in one atomic step (JobRunOutputs): a script that throws before publishes nothing. A script
 * that never calls `commit` still gets its output, as in Glue: `sluice run` commits once the script
 * has run to its end, and plain `node` when the process runs out of work (`beforeExit`).
 */
export class Job {
  private started?: number;
  private writesBefore = 0;
  private jobName?: string;
  private jobArgs: Readonly<Record<string, string>> = {};
  private committed?: JobCommit;
  private opening?: Promise<BookmarkSession>;
  private outputs?: JobRunOutputs;

  constructor(readonly glueContext: GlueContext, private readonly options: JobOptions = {}) {}

  get name(): string | undefined {
    return this.jobName;
  }

  get args(): Readonly<Record<string, string>> {
    return this.jobArgs;
  }

  /**
   * Starts the run. The bookmark arguments come from `args` or, as Glue passes them, from the
   * command line. With bookmarks on, await it before reading: the bookmark loads from disk.
   */
  init(name: string, args: Readonly<Record<string, string>> = {}): Promise<void> {
    if (this.started !== undefined) throw new SluiceError(`job '${this.jobName}' is already initialised; call init() once per run`);
    if (typeof name !== 'string' || name === '') throw new SluiceError('job.init(name, args): name must be a non-empty string, e.g. args.JOB_NAME');
    const bookmarkArgs = bookmarkArguments(args);
    const settings = bookmarkSettings(bookmarkArgs, `job '${name}'`);
    this.jobName = name;
    this.jobArgs = { ...args };
    this.started = Date.now();
    this.writesBefore = this.glueContext.writes.length;
    if (settings.mode === 'disable') {
      this.outputs = new JobRunOutputs(name);
      this.glueContext.useRun(this.outputs);
      return Promise.resolve();
    }
    const store = this.options.store ?? openBookmarkStore(this.options.stateDir ?? bookmarkArgs['state-dir'] ?? join(process.cwd(), '.sluice'));
    this.opening = BookmarkSession.open({ job: name, store, settings });
    this.glueContext.useBookmarks(this.opening);
    return this.opening.then(() => undefined);
  }

  /**
   * Ends a run that failed, in-process (not in Glue's API: there the process ends): its staged
   * output is removed, the run is recorded as failed and the job's lock is released.
   * `sluice run` does this itself for a script that throws.
   */
  async abort(reason: unknown = new Error('job.abort()')): Promise<void> {
    await this.outputs?.abort();
    const session = await this.opening?.catch(() => undefined);
    await session?.abort(reason);
    await this.glueContext.takeBookmarkedCatalogUpdates().forget();
  }

  commit(): JobCommit {
    if (this.started === undefined) throw new SluiceError('job.commit() called before job.init(name, args)');
    if (this.committed) return this.committed;
    const finished = Date.now();
    const writes = this.glueContext.writes.slice(this.writesBefore);
    const summary: JobCommitSummary = {
      name: this.jobName as string,
      args: this.jobArgs,
      startedAt: new Date(this.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      wallMs: finished - this.started,
      writes,
      rows: writes.reduce((n, w) => n + w.rows, 0),
    };
    // A plain copy: what `await` gives must not itself be thenable.
    const plain = { ...summary };
    const { opening, outputs } = this;
    const done: Promise<JobCommitSummary> = opening
      ? opening.then((session) => commitWithCatalogUpdates(session, plain.rows, this.glueContext.takeBookmarkedCatalogUpdates())).then((run) => ({ ...plain, bookmark: run }))
      : (outputs as JobRunOutputs).commit().then(() => plain);
    this.committed = Object.assign(summary, { then: done.then.bind(done) }) as JobCommit;
    return this.committed;
  }
}
