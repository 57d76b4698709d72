import { randomBytes } from 'node:crypto';
import { checkInsideRoots } from '../../io/partitioning/insideRoot.js';
import { DataFrame, type Row } from '../../frame/DataFrame.js';
import type { PlanNode, ScanNode } from '../../plan/PlanNode.js';
import type { WriteSpec, WriteSummary } from '../../frame/DataFrameWriter.js';
import { readFrame, type ReadSpec } from '../../frame/read.js';
import type { SaveMode } from '../../io/partitioning/commit.js';
import { absolutePath } from '../../io/store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { schemaToSpec } from '../../types/typeNames.js';
import type { BookmarkSettings } from './BookmarkOptions.js';
import { MAX_RUNS, type BookmarkState, type PendingCommit, type RunRecord, type SourceBookmark } from './BookmarkState.js';
import { BookmarkConflictError, type BookmarkLock, type BookmarkStore } from './BookmarkStore.js';
import { applyPending, removeStaging } from './applyPending.js';
import { bookmarkedScan } from './bookmarkedScan.js';
import { crashPoint } from './crashPoint.js';
import { claimOutput, releaseAll, type OutputClaim } from '../../io/partitioning/outputCommit.js';
import { syncStaged } from '../../io/partitioning/syncAll.js';
import { currentHost } from './storeLock.js';
import { recoverJob } from './recoverJob.js';
import { advanceBookmark, boundSelection, isRead, listCandidates, listCandidatesNow, trackedIndex, type CandidateFile, type ReadBound } from './selectFiles.js';
import { sinkStaging, sinkStagingFolders, stageSink } from './stageSink.js';

export interface OpenSessionOptions {
  job: string;
  store: BookmarkStore;
  /** `enable` or `pause` (a disabled run needs no session). */
  settings: BookmarkSettings;
}

/** What one bookmarked source listed and chose to read. */
interface SourceRead {
  ctx: string;
  candidates: CandidateFile[];
  selected: CandidateFile[];
  /** Unread files a bounded read left for the next run. */
  left: CandidateFile[];
  listedAtMs: number;
  maxBandMs: number;
  frame: DataFrame;
}

/** One sink's staged files, to publish at commit. */
interface StagedSink {
  root: string;
  mode: SaveMode;
  staging: string;
  /** Staged file → final file (the final paths as the deferred write reported them). */
  renames: { from: string; to: string }[];
}

/**
 * One bookmarked run of a job, from `open` (lock, recovery, run record) to `commit` or `abort`.
 *
 * Sources read only what the bookmark has not seen; sinks stage their files without publishing.
 * `commit` then writes one document — the new bookmark, the run's record and the renames that
 * publish every sink — atomically: that write is the commit point. Before it, the run never
 * happened (the next run removes its staging); after it, the run happened, and whoever gets there
 * first (this run, or the next one after a crash) moves the files into place.
 */
export class BookmarkSession {
  private readonly reads = new Map<string, SourceRead>();
  /** Listings made ahead by `listSource`, by transformationCtx. */
  private readonly listings = new Map<string, { paths: string[]; listedAtMs: number; candidates: CandidateFile[] }>();
  private readonly sinks: StagedSink[] = [];
  /** The output roots this run holds (io/partitioning/outputCommit.ts), until its commit is applied. */
  private readonly claims: OutputClaim[] = [];
  private stagingCount = 0;
  private committing?: Promise<RunRecord>;
  /** Set once the commit document is written: the run has happened, whatever follows. */
  private committed = false;
  private finished = false;

  private constructor(
    readonly job: string,
    private readonly store: BookmarkStore,
    readonly settings: BookmarkSettings,
    private readonly lock: BookmarkLock,
    private state: BookmarkState,
    private storedRevision: number | undefined,
    private run: RunRecord,
    /** What sources filter against: the last commit, or pause's `from` run. */
    private readonly fromSources: Record<string, SourceBookmark>,
    /** pause's `to` run: only files it had read are read. */
    private readonly toSources: Record<string, SourceBookmark> | undefined,
  ) {}

  /** Takes the job's lock, finishes or undoes what an earlier run left, and records this run as running. */
  static async open(options: OpenSessionOptions): Promise<BookmarkSession> {
    const { job, store, settings } = options;
    if (settings.mode === 'disable') throw new SluiceError(`job '${job}': bookmarks are disabled; no bookmark session to open`);
    const runId = newRunId();
    const startedAt = new Date().toISOString();
    const lock = await store.lock(job, { pid: process.pid, host: currentHost(), runId, startedAt });
    try {
      const { state, stored } = await recoverJob(store, job);
      const { from, to } = await baseline(store, job, state, settings);
      const previous = state.runs.at(-1);
      const run: RunRecord = {
        runId, attempt: previous?.status === 'failed' ? previous.attempt + 1 : 1, option: settings.mode,
        startedAt, status: 'running', version: state.version, pid: process.pid, staging: [],
      };
      const session = new BookmarkSession(job, store, settings, lock, state, stored ? state.revision : undefined, run, from, to);
      await session.save({ runs: [...state.runs, run].slice(-MAX_RUNS) });
      openSessions().add(session);
      crashPoint('after-init');
      return session;
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  get runId(): string {
    return this.run.runId;
  }

  /** The bookmark version this run started from. */
  get version(): number {
    return this.state.version;
  }

  /**
   * A frame over the files of `spec` the bookmark has not seen (all of them the first time).
   * Sources without a transformationCtx are not bookmarked, as in Glue. `maxBandMs` overrides the
   * run's band for this source (Glue's `maxBand` connection option); `bound` caps the files or
   * bytes one run reads, oldest first (Glue's `boundedFiles` / `boundedSize`): the rest stay
   * unread for the next run.
   */
  source<T extends Row = Row>(spec: ReadSpec, maxBandMs = this.settings.maxBandMs, bound: ReadBound = {}): DataFrame<T> {
    const ctx = spec.transformationCtx;
    if (!ctx) return readFrame<T>(spec);
    this.assertRunning('read a source');
    if (this.reads.has(ctx)) {
      throw new SluiceError(`job '${this.job}': two sources use transformationCtx '${ctx}'; give each bookmarked source its own`);
    }
    const paths = pathsOf(spec);
    const listedAtMs = Date.now();
    const ahead = this.listings.get(ctx);
    const now = ahead ? undefined : listCandidatesNow(paths);
    const listing = ahead ?? (now ? { paths, listedAtMs, candidates: now } : undefined);
    if (!listing || listing.paths.join('\0') !== paths.join('\0')) {
      // A remote source not listed ahead (a Glue script's createDynamicFrame on s3://): list it
      // when the plan is first prepared, once, and record the read then.
      return this.deferredSource<T>(spec, maxBandMs, bound);
    }
    return this.selectSource<T>(spec, ctx, listing, maxBandMs, bound);
  }

  /** A frame whose scan lists its files when first run (see ScanNode.resolve). */
  private deferredSource<T extends Row>(spec: ReadSpec, maxBandMs: number, bound: ReadBound): DataFrame<T> {
    let resolved: Promise<PlanNode> | undefined;
    const resolve = () =>
      (resolved ??= this.listSource(spec).then(() => this.source<T>(spec, maxBandMs, bound).plan));
    const lazy = readFrame<T>(spec);
    return new DataFrame<T>({ ...(lazy.plan as ScanNode), resolve });
  }

  private selectSource<T extends Row>(spec: ReadSpec, ctx: string, listing: { candidates: CandidateFile[]; listedAtMs: number }, maxBandMs: number, bound: ReadBound): DataFrame<T> {
    return this.chosenSource<T>(ctx, listing.candidates, listing.listedAtMs, (selected) => bookmarkedScan<T>(spec, selected, this.state.sources[ctx]?.schema), maxBandMs, bound);
  }

  /**
   * A bookmarked source whose files the caller listed (a catalog table's kept partitions): the
   * files the bookmark has not seen (at most `bound` of them, oldest first) go to `frameOf`, and
   * the read is recorded for the commit.
   */
  chosenSource<T extends Row = Row>(
    ctx: string,
    candidates: CandidateFile[],
    listedAtMs: number,
    frameOf: (selected: CandidateFile[]) => DataFrame<T>,
    maxBandMs = this.settings.maxBandMs,
    bound: ReadBound = {},
  ): DataFrame<T> {
    this.assertRunning('read a source');
    if (this.reads.has(ctx)) {
      throw new SluiceError(`job '${this.job}': two sources use transformationCtx '${ctx}'; give each bookmarked source its own`);
    }
    const from = this.fromSources[ctx];
    const fromIndex = trackedIndex(from);
    const to = this.toSources?.[ctx];
    const toIndex = trackedIndex(to);
    const unread = candidates.filter((f) => !isRead(from, f, fromIndex) && (this.toSources === undefined || isRead(to, f, toIndex)));
    const { taken: selected, left } = boundSelection(unread, bound);
    const frame = frameOf(selected);
    this.reads.set(ctx, { ctx, candidates, selected, left, listedAtMs, maxBandMs, frame: frame as DataFrame });
    return frame;
  }

  /**
   * Lists a bookmarked source's files now, for `source` to choose from: needed for remote
   * (s3://) paths, which cannot be listed synchronously; local ones `source` lists itself.
   */
  async listSource(spec: ReadSpec): Promise<void> {
    const ctx = spec.transformationCtx;
    if (!ctx) return;
    this.assertRunning('list a source');
    const paths = pathsOf(spec);
    const listedAtMs = Date.now(); // before listing: a file landing meanwhile stays newer than the mark
    this.listings.set(ctx, { paths, listedAtMs, candidates: await listCandidates(paths) });
  }

  /**
   * Writes a frame into its sink's staging folder without publishing it. The folder is recorded
   * in the run first, so a crash mid-write leaves nothing the next run does not remove. The files
   * wait in the root's own store (stageSink.ts), so the next run can finish the commit anywhere.
   */
  async write(frame: DataFrame<Row>, spec: WriteSpec): Promise<WriteSummary> {
    this.assertRunning('write');
    const jobRunId = `${this.runId}-${this.stagingCount++}`;
    const root = absolutePath(spec.path);
    const staging = sinkStaging(root, jobRunId);
    // Recorded before the claim: a run killed holding the output's lock is known to its recovery (recoverJob).
    this.run = { ...this.run, staging: [...this.run.staging, ...(await sinkStagingFolders(root, jobRunId))] };
    await this.saveRun();
    if (!this.claims.some((claim) => claim.root === root)) this.claims.push(await claimOutput(root, this.runId));
    const summary = await frame.write.to({ ...spec, jobRunId, deferCommit: true });
    const renames = await stageSink(root, jobRunId, summary.files);
    this.sinks.push({ root, mode: saveMode(spec.mode), staging, renames });
    crashPoint(`after-stage-sink-${this.sinks.length}`);
    return summary;
  }

  /** The staging folder of the sink written last (a catalog sink records it with its pending update). */
  lastSinkStaging(): string | undefined {
    return this.sinks[this.sinks.length - 1]?.staging;
  }

  /**
   * Commits the run: the sources' new bookmark (pause keeps the old one), the run record and
   * the staged files' renames in one atomic write, then publishes the files. Returns the run.
   */
  commit(rows: number): Promise<RunRecord> {
    this.assertRunning('commit');
    if (this.committing) throw new SluiceError(`job '${this.job}': run ${this.runId} is already committing`);
    this.committing = this.commitRun(rows).catch(async (e: unknown) => {
      await this.abort(e);
      throw e;
    });
    return this.committing;
  }

  /**
   * Ends a run left open by its script: a commit under way is waited for; otherwise the run is
   * aborted. True when it had to be aborted.
   */
  async settle(reason: unknown): Promise<boolean> {
    if (this.committing) {
      await this.committing.catch(() => undefined);
      return false;
    }
    await this.abort(reason);
    return true;
  }

  private async commitRun(rows: number): Promise<RunRecord> {
    // Fail early and clearly if the state moved: a run that took a broken lock may have removed our staging.
    const stored = await this.store.read(this.job);
    if (stored?.revision !== this.storedRevision) {
      throw new BookmarkConflictError(
        `the bookmark of job '${this.job}' changed under this run (revision ${this.storedRevision ?? 'none'} expected, ${stored?.revision ?? 'none'} found in ${this.store.location}): ` +
        'another run, reset or rewind committed first; run the job again',
      );
    }
    const advance = this.settings.mode === 'enable';
    const sources = { ...this.state.sources };
    let files = 0;
    for (const read of this.reads.values()) {
      files += read.selected.length;
      if (!advance) continue;
      const next = advanceBookmark(sources[read.ctx], read.candidates, read.listedAtMs, read.maxBandMs, read.left);
      const schema = (read.selected.length > 0 ? await schemaOf(read.frame) : undefined) ?? sources[read.ctx]?.schema;
      sources[read.ctx] = schema ? { ...next, schema } : next;
    }
    const version = advance ? this.state.version + 1 : this.state.version;
    const pending: PendingCommit = {
      runId: this.runId,
      outputs: this.sinks.map(({ root, mode, staging, renames }) => ({ root, mode, staging, renames })),
    };
    await checkInsideRoots(pending); // no file may land outside its output through a link
    // The staged bytes must be durable before a commit that points at them (S3's are, once uploaded),
    // and so must the run's snapshot: neither waits on the other. Both are let finish before a
    // failure is thrown, so that abort's removal of the snapshot comes after its write.
    await settleAll([syncStaged(pending), this.store.writeSnapshot(this.job, { runId: this.runId, version, sources })]);
    crashPoint('before-manifest');
    this.run = { ...this.run, status: 'succeeded', endedAt: new Date().toISOString(), rows, files, version };
    await this.save({ version, sources, pending, runs: this.runsWith(this.run) });
    this.committed = true;
    crashPoint('after-manifest');
    await applyPending(pending);
    crashPoint('before-state-write');
    await this.save({ pending: undefined });
    crashPoint('after-state-write');
    this.finished = true;
    openSessions().delete(this);
    await releaseAll(this.claims);
    await this.lock.release();
    return this.run;
  }

  /**
   * Ends a run that failed: its staged files are removed and it is recorded as failed. After the
   * commit point there is nothing to undo: the next run finishes publishing.
   */
  async abort(error: unknown): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    openSessions().delete(this);
    try {
      if (this.committed) return;
      for (const staging of this.run.staging) await removeStaging(staging);
      await this.store.deleteSnapshot(this.job, this.runId);
      const message = error instanceof Error ? error.message : String(error);
      this.run = { ...this.run, status: 'failed', endedAt: new Date().toISOString(), error: message };
      // If the state moved under us (a conflict), leave it: the other writer's record stands.
      await this.saveRun().catch(() => undefined);
    } finally {
      await releaseAll(this.claims);
      await this.lock.release();
    }
  }

  private assertRunning(what: string): void {
    if (this.finished) throw new SluiceError(`job '${this.job}': cannot ${what}: run ${this.runId} has already ${this.committed ? 'committed' : 'ended'}`);
  }

  private runsWith(run: RunRecord): RunRecord[] {
    return this.state.runs.map((r) => (r.runId === run.runId ? run : r));
  }

  private saveRun(): Promise<void> {
    return this.save({ runs: this.runsWith(this.run) });
  }

  /** Writes the state with `patch` applied, if no one else wrote it since this run last did. */
  private async save(patch: Partial<BookmarkState>): Promise<void> {
    const next: BookmarkState = { ...this.state, ...patch, revision: (this.storedRevision ?? 0) + 1 };
    if (next.pending === undefined) delete next.pending;
    await this.store.writeIfRevision(this.job, next, this.storedRevision);
    this.state = next;
    this.storedRevision = next.revision;
  }
}

/** Waits for every promise to settle, then throws the first failure. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** The bookmarks sources filter against: the last commit, or pause's from/to runs. */
async function baseline(store: BookmarkStore, job: string, state: BookmarkState, settings: BookmarkSettings): Promise<{ from: Record<string, SourceBookmark>; to?: Record<string, SourceBookmark> }> {
  if (settings.mode !== 'pause' || (settings.fromRunId === undefined && settings.toRunId === undefined)) return { from: state.sources };
  const sourcesAfter = async (runId: string, flag: string) => {
    const run = state.runs.find((r) => r.runId === runId);
    const snapshot = run?.status === 'succeeded' ? await store.readSnapshot(job, runId) : undefined;
    if (!snapshot) {
      const known = state.runs.filter((r) => r.status === 'succeeded').map((r) => r.runId);
      throw new SluiceError(`${flag} ${runId}: no committed run of job '${job}' has that id; committed runs: ${known.join(', ') || '(none)'}`);
    }
    return snapshot.sources;
  };
  return {
    from: settings.fromRunId !== undefined ? await sourcesAfter(settings.fromRunId, '--job-bookmark-from') : {},
    ...(settings.toRunId !== undefined ? { to: await sourcesAfter(settings.toRunId, '--job-bookmark-to') } : {}),
  };
}

/** The schema of a source's frame (its first file's, or the given one), or undefined when it cannot be read now. */
async function schemaOf(frame: DataFrame): Promise<Record<string, string> | undefined> {
  try {
    return schemaToSpec(await frame.schema());
  } catch {
    return undefined;
  }
}

const pathsOf = (spec: ReadSpec): string[] => (Array.isArray(spec.paths) ? [...spec.paths] : [spec.paths]);

function saveMode(mode: WriteSpec['mode']): SaveMode {
  return mode === 'error' ? 'errorIfExists' : mode ?? 'append';
}

/** Glue-style run ids that sort by start time: `jr_20240601T101112_3fa9c2d1`. */
function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `jr_${stamp}_${randomBytes(4).toString('hex')}`;
}

/**
 * Sessions opened and not yet ended, so `sluice run` can end those of a job script that threw or
 * forgot `job.commit()` (kept on globalThis: the script may import another copy of sluice).
 */
const OPEN = Symbol.for('sluice/open-bookmark-sessions');
type Holder = { [OPEN]?: Set<BookmarkSession> };

function openSessions(): Set<BookmarkSession> {
  const holder = globalThis as Holder;
  return (holder[OPEN] ??= new Set());
}

/** Ends every session still open (see settle); returns how many had to be aborted. */
export async function abortOpenSessions(reason: unknown): Promise<number> {
  let aborted = 0;
  for (const session of [...openSessions()]) if (await session.settle(reason)) aborted++;
  return aborted;
}
