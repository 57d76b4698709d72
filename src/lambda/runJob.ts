import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import type { BookmarkSession } from '../job/bookmarks/BookmarkSession.js';
import { GlueContext } from '../job/GlueContext.js';
import { prepareCatalogSinks, stageBookmarkedSink } from '../job/catalogSink.js';
import { CatalogUpdates } from '../job/CatalogUpdates.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import type { S3JobContext, S3JobFunction } from './handlerTypes.js';
import { fillSpecInputs, inputParams } from './specInputs.js';

/** What a spec's module references may name (loadJobSpec's options of the same names). */
export interface ModuleOptions {
  allowModuleDirs?: readonly string[];
  allowModulePackages?: readonly string[];
}

/** What a job run wrote into the session's staging (published by the session's commit). */
export interface JobOutcome {
  rows: number;
  files: string[];
  errors: number;
  result?: unknown;
  /** The catalog sinks' updates, made in the session's commit (commitWithCatalogUpdates). */
  catalogUpdates?: CatalogUpdates;
}

/** A job spec, read from its file or given as an object. */
export interface LoadedSpec {
  raw: object;
  source: string;
  baseDir: string;
}

/**
 * Runs a JSON job spec over `inputs`: `${INPUT}`/`${INPUTS}` become the objects' paths, other
 * placeholders come from `params`, and every write node writes into the session's staging; a write
 * node's catalog update is made in the session's commit.
 */
export async function runSpecJob(session: BookmarkSession, spec: LoadedSpec, inputs: string[], params: Readonly<Record<string, string>>, modules: ModuleOptions = {}): Promise<JobOutcome> {
  const filled = fillSpecInputs(spec.raw, inputs, spec.source);
  // Imported here: the spec loader brings ajv (~100 ms of cold start) that function jobs never use.
  const { loadJobSpec } = await import('../job/spec/loadJobSpec.js');
  // Event objects are read literally: a key is a key, not a glob or a prefix.
  const plan = await loadJobSpec(filled, { ...params, ...inputParams(inputs) }, { baseDir: spec.baseDir, literalPaths: new Set(inputs), ...modules });
  const catalogUpdates = new CatalogUpdates();
  const outcome: JobOutcome = { rows: 0, files: [], errors: 0, catalogUpdates };
  const errors = new DistinctErrors();
  const catalogSinks = await prepareCatalogSinks(plan.sinks);
  for (const sink of plan.sinks) {
    const summary = await stageBookmarkedSink(session, sink.frame, catalogSinks.get(sink.write) ?? sink.write, catalogUpdates);
    outcome.rows += summary.rows;
    outcome.files.push(...summary.files);
    errors.add(summary.errors);
  }
  outcome.errors = errors.count;
  return outcome;
}

/** Runs a job function; its writes through `ctx.write` or `ctx.glueContext` are staged in the session. */
export async function runFunctionJob(session: BookmarkSession, job: S3JobFunction, base: Omit<S3JobContext, 'glueContext' | 'write' | 'runId'>): Promise<JobOutcome> {
  const glueContext = new GlueContext();
  const bound = Promise.resolve(session);
  glueContext.useBookmarks(bound);
  await bound; // useBookmarks takes the session on a microtask: let it land before the job writes
  const direct: WriteSummary[] = [];
  const write = async (frame: DataFrame<Row>, spec: WriteSpec): Promise<WriteSummary> => {
    const summary = await stagedWrite(session, frame, spec);
    direct.push(summary);
    return summary;
  };
  const result = await job({ ...base, runId: session.runId, glueContext, write });
  const errors = new DistinctErrors();
  for (const summary of direct) errors.add(summary.errors);
  const recorded = glueContext.writes;
  return {
    catalogUpdates: glueContext.takeBookmarkedCatalogUpdates(),
    rows: direct.reduce((n, s) => n + s.rows, 0) + recorded.reduce((n, w) => n + w.rows, 0),
    files: [...direct.flatMap((s) => s.files), ...recorded.flatMap((w) => w.files)],
    errors: errors.count + recorded.reduce((n, w) => n + w.errors, 0),
    ...(result !== undefined ? { result } : {}),
  };
}

/** Writes into the run's staging (local, or in the bucket for s3:// outputs); the session's commit publishes it. */
export function stagedWrite(session: BookmarkSession, frame: DataFrame<Row>, spec: WriteSpec): Promise<WriteSummary> {
  return session.write(frame, spec);
}

/**
 * Error records across sinks: sinks re-run their shared upstream, so a bad input line can reach
 * several; a record naming a place in a file is counted once.
 */
class DistinctErrors {
  private readonly located = new Set<string>();
  private unlocated = 0;

  add(errors: readonly ErrorRecord[]): void {
    for (const e of errors) {
      if (e.file !== undefined && e.line !== undefined) this.located.add(`${e.node ?? ''}\0${e.file}\0${e.line}\0${e.column ?? ''}\0${e.message}`);
      else this.unlocated++;
    }
  }

  get count(): number {
    return this.located.size + this.unlocated;
  }
}
