import type { DataFrame } from '../../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../../frame/DataFrameWriter.js';
import { readFrame, type ReadSpec } from '../../frame/read.js';
import { SluiceError, type ErrorRecord } from '../../types/ErrorRecord.js';
import { configureS3 } from '../../io/store/s3Settings.js';
import { randomUUID } from 'node:crypto';
import type { PendingOutput } from '../../io/partitioning/applyPending.js';
import type { SaveMode } from '../../io/partitioning/commit.js';
import { crashPoint } from '../../io/partitioning/crashPoint.js';
import { abortOutputs, claimOutputs, CommittedError, commitOutputs, releaseAll } from '../../io/partitioning/outputCommit.js';
import { sinkStaging, stageSink } from '../../io/partitioning/stageInStore.js';
import { absolutePath } from '../../io/store/storePath.js';
import { checkSinkPaths } from './checkSinkPaths.js';
import type { RunRecord } from '../bookmarks/BookmarkState.js';
import { loadJobSpec, rebuildPlan, type JobPlan, type LoadOptions } from './loadJobSpec.js';
import { specS3Settings } from './s3EndpointPolicy.js';
import { tooManyErrors } from './errorLimit.js';
import { openSpecBookmarks, type BookmarkFlags } from './specBookmarks.js';
import { readTable } from '../../frame/readTable.js';
import { prepareCatalogSinks, stageBookmarkedSink } from '../catalogSink.js';
import { CatalogUpdates, commitWithCatalogUpdates } from '../CatalogUpdates.js';

/** What one write node produced. */
export interface SinkSummary {
  id: string;
  format: string;
  path: string;
  rows: number;
  files: string[];
  bytes: number;
  /** Distinct error records that reached this sink (raised anywhere upstream). */
  errors: number;
  ms: number;
}

export interface JobRunSummary {
  name: string;
  sinks: SinkSummary[];
  /** Error records raised per node id (nodes without errors are left out). */
  nodeErrors: Record<string, number>;
  /** All error records of the run, each counted once. */
  errors: number;
  /** The first few error records, to show a user what went wrong. */
  sampleErrors: ErrorRecord[];
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  /** With bookmarks (enable or pause): the run as recorded in the job's history. */
  bookmark?: RunRecord;
}

export type JobProgress =
  | { kind: 'sink-start'; sink: string; index: number; of: number }
  | { kind: 'sink-done'; sink: string; index: number; of: number; summary: SinkSummary };

export interface RunOptions extends LoadOptions {
  onProgress?: (event: JobProgress) => void;
  /** Job bookmarks: override the spec's `bookmarks` (docs/bookmarks.md). */
  bookmarks?: BookmarkFlags;
  /**
   * Fail the run, publishing nothing, when it makes more than this many error records
   * (`--max-errors`; overrides the spec's top-level `maxErrors`). Default: no limit (Glue's).
   */
  maxErrors?: number;
  /** The S3 endpoint the user allows (`--s3-endpoint`; default env SLUICE_S3_ENDPOINT); a spec's must equal it. */
  s3Endpoint?: string;
}

const SAMPLE_ERRORS = 5;

/**
 * Loads (unless given a loaded plan) and runs a job spec: each write node in spec order, one
 * after the other (each write runs its own plan; the machine's cores go to that plan's splits).
 * With bookmarks, read nodes read only new files, and the output and the bookmark are committed
 * together once every sink is written; a failed run publishes nothing.
 */
export async function runJobSpec(spec: string | object | JobPlan, params: Readonly<Record<string, string>> = {}, options: RunOptions = {}): Promise<JobRunSummary> {
  const started = Date.now();
  const loaded = isJobPlan(spec) ? spec : await loadJobSpec(spec, params, options);
  const s3 = specS3Settings(loaded.spec.s3, options.s3Endpoint, loaded.source);
  if (s3) configureS3(s3);
  checkSinkPaths(loaded);
  const maxErrors = options.maxErrors ?? loaded.spec.maxErrors;
  const session = await openSpecBookmarks(loaded, options.bookmarks);
  if (!session) {
    const bounded = loaded.spec.nodes.find((node) => node.type === 'read' && !('catalog' in node) && (node.boundedFiles !== undefined || node.boundedSize !== undefined));
    if (bounded) throw new SluiceError(`${loaded.source}: read node '${bounded.id}' sets boundedFiles / boundedSize, which need job bookmarks (the spec's bookmarks, or --job-bookmark-option job-bookmark-enable): without them every run would read the same first files`, { file: loaded.source });
    return runAndCommitSinks(loaded, options, started, maxErrors);
  }
  try {
    // s3:// sources are listed ahead: the plan is rebuilt synchronously.
    const reads: ReadSpec[] = [];
    rebuildPlan(loaded, (read) => (reads.push(read), readFrame(read)));
    for (const read of reads) await session.listSource(read);
    const plan = rebuildPlan(loaded, (read, bound) => session.source(read, undefined, bound), (table, read) => readTable(table, {
      ...read,
      chooseFiles: (files, listedAtMs, frameOf) => session.chosenSource(read.transformationCtx!, files, listedAtMs, frameOf),
    }));
    // After the session's recovery published what a killed run committed: settling the tables then applies its updates.
    const catalogSinks = await prepareCatalogSinks(plan.sinks);
    const catalogUpdates = new CatalogUpdates();
    const summary = await runSinks(plan, options, started, (frame, write) => stageBookmarkedSink(session, frame, catalogSinks.get(write) ?? write, catalogUpdates));
    // Before the commit point: a refused run publishes nothing, and its bookmark stays.
    if (maxErrors !== undefined && summary.errors > maxErrors) throw tooManyErrors(summary, maxErrors);
    const bookmark = await commitWithCatalogUpdates(session, summary.sinks.reduce((n, s) => n + s.rows, 0), catalogUpdates);
    const finished = Date.now();
    return { ...summary, bookmark, finishedAt: new Date(finished).toISOString(), wallMs: finished - started };
  } catch (e) {
    await session.abort(e);
    throw e;
  }
}

/**
 * Runs the sinks of a job without bookmarks as one commit: every output is claimed (locked, and
 * what a killed run left there finished or undone), each sink is staged, and only when all are
 * staged does one manifest publish them all (io/partitioning/outputCommit.ts). A failed sink
 * publishes nothing, so a retry cannot double what an earlier sink had published.
 */
async function runAndCommitSinks(plan: JobPlan, options: RunOptions, started: number, maxErrors: number | undefined): Promise<JobRunSummary> {
  const runId = randomUUID();
  const outputs: PendingOutput[] = [];
  // Catalog sinks are checked (and what an earlier run left pending settled) before any output is claimed.
  const catalogSinks = await prepareCatalogSinks(plan.sinks);
  const catalogUpdates = new CatalogUpdates();
  const claims = await claimOutputs(plan.sinks.map((sink) => sink.write.path), runId);
  let committed = false;
  try {
    const summary = await runSinks(plan, options, started, async (frame, write) => {
      const jobRunId = `${runId}-${outputs.length}`;
      const root = absolutePath(write.path);
      const output: PendingOutput = { root, mode: saveModeOf(write.mode), staging: sinkStaging(root, jobRunId), renames: [] };
      outputs.push(output); // before writing: a failure removes what it staged
      const catalogSink = catalogSinks.get(write);
      const result = await frame.write.to({ ...(catalogSink?.spec ?? write), jobRunId, deferCommit: true });
      output.renames = await stageSink(root, jobRunId, result.files);
      if (catalogSink) catalogUpdates.add(catalogSink, jobRunId, output.staging, result.files);
      crashPoint(`after-stage-sink-${outputs.length}`);
      return result;
    });
    // maxErrors: every sink is staged; over the limit nothing is published (the catch aborts them).
    if (maxErrors !== undefined && summary.errors > maxErrors) throw tooManyErrors(summary, maxErrors);
    await catalogUpdates.putIntents();
    await commitOutputs({ runId, outputs });
    committed = true; // from here a failure leaves the updates pending, for the next reader or writer
    await catalogUpdates.apply();
    return summary;
  } catch (e) {
    if (!committed && !(e instanceof CommittedError)) {
      await abortOutputs({ runId, outputs }).catch(() => undefined);
      await catalogUpdates.forget();
    }
    throw e;
  } finally {
    await releaseAll(claims);
  }
}

const saveModeOf = (mode: WriteSpec['mode']): SaveMode => (mode === 'error' ? 'errorIfExists' : mode ?? 'append');

type SinkWriter = (frame: DataFrame, write: WriteSpec) => Promise<WriteSummary>;

async function runSinks(plan: JobPlan, options: RunOptions, started: number, writeSink: SinkWriter = (frame, write) => frame.write.to(write)): Promise<JobRunSummary> {
  const sinks: SinkSummary[] = [];
  const tally = new ErrorTally(plan);
  for (const [index, sink] of plan.sinks.entries()) {
    const of = plan.sinks.length;
    options.onProgress?.({ kind: 'sink-start', sink: sink.id, index, of });
    const t0 = Date.now();
    const result = await writeSink(sink.frame, sink.write);
    const errors = tally.add(result.errors);
    const summary: SinkSummary = {
      id: sink.id, format: sink.write.format, path: sink.write.path,
      rows: result.rows, files: result.files, bytes: result.bytes, errors, ms: Date.now() - t0,
    };
    sinks.push(summary);
    options.onProgress?.({ kind: 'sink-done', sink: sink.id, index, of, summary });
  }
  const nodeErrors = tally.perNode();
  const finished = Date.now();
  return {
    name: plan.name, sinks, nodeErrors,
    errors: Object.values(nodeErrors).reduce((a, b) => a + b, 0),
    sampleErrors: tally.samples,
    startedAt: new Date(started).toISOString(), finishedAt: new Date(finished).toISOString(), wallMs: finished - started,
  };
}

/**
 * Counts error records per node across sinks. A plan re-runs its upstream for every consumer
 * (each sink, each Union or Join input that shares a node), so one bad input row can arrive
 * several times: records that name a place in a file (file + line) are counted once per place;
 * the others, per node, as the most any one sink saw.
 */
class ErrorTally {
  private readonly located = new Map<string, Set<string>>();
  private readonly unlocated = new Map<string, number>();
  readonly samples: ErrorRecord[] = [];

  constructor(private readonly plan: JobPlan) {}

  /** Adds one sink's records; returns how many distinct records reached that sink. */
  add(errors: readonly ErrorRecord[]): number {
    const seen = new Set<string>();
    const unlocated: Record<string, number> = {};
    for (const e of errors) {
      const node = this.nodeOf(e);
      if (e.file !== undefined && e.line !== undefined) {
        const key = `${e.file}\0${e.line}\0${e.column ?? ''}\0${e.message}`;
        if (seen.has(`${node}\0${key}`)) continue;
        seen.add(`${node}\0${key}`);
        const keys = this.located.get(node) ?? new Set<string>();
        this.located.set(node, keys.add(key));
      } else {
        unlocated[node] = (unlocated[node] ?? 0) + 1;
      }
      if (this.samples.length < SAMPLE_ERRORS && !this.samples.some((s) => sameError(s, e))) this.samples.push(e);
    }
    for (const [node, n] of Object.entries(unlocated)) this.unlocated.set(node, Math.max(this.unlocated.get(node) ?? 0, n));
    return seen.size + Object.values(unlocated).reduce((a, b) => a + b, 0);
  }

  perNode(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [node, keys] of this.located) out[node] = keys.size;
    for (const [node, n] of this.unlocated) out[node] = (out[node] ?? 0) + n;
    return out;
  }

  private nodeOf(e: ErrorRecord): string {
    const label = e.node ?? '(unknown)';
    return this.plan.labels.get(label) ?? label;
  }
}

function sameError(a: ErrorRecord, b: ErrorRecord): boolean {
  return a.message === b.message && a.file === b.file && a.line === b.line && a.node === b.node;
}

function isJobPlan(value: unknown): value is JobPlan {
  return typeof value === 'object' && value !== null && 'sinks' in value && 'frames' in value && 'labels' in value;
}
