import type { WriteSummary } from '../frame/DataFrameWriter.js';

/** One write made through GlueContext.writeDynamicFrame. */
export interface RecordedWrite {
  transformationCtx?: string;
  format: string;
  path: string;
  rows: number;
  files: string[];
  bytes: number;
  errors: number;
  ms: number;
}

/**
 * The writes of the job script now running, so `sluice run job.ts` can print what the script
 * wrote. Kept on globalThis under a Symbol.for key: a script importing sluice from another copy
 * (dist/ vs src/) still reports to the CLI that started it.
 */
const KEY = Symbol.for('sluice/job-run-writes');

type Holder = { [KEY]?: RecordedWrite[] };

/** Adds a write to the record, when one is being kept (outside `sluice run` nothing is kept). */
export function recordWrite(write: RecordedWrite): void {
  (globalThis as Holder)[KEY]?.push(write);
}

/** Starts a fresh record and returns a function that stops it and gives the writes made. */
export function startRecordingWrites(): () => RecordedWrite[] {
  const holder = globalThis as Holder;
  const writes: RecordedWrite[] = [];
  holder[KEY] = writes;
  return () => {
    if (holder[KEY] === writes) delete holder[KEY];
    return writes;
  };
}

export function toRecordedWrite(summary: WriteSummary, spec: { format: string; path: string; transformationCtx?: string }, ms: number): RecordedWrite {
  return {
    ...(spec.transformationCtx ? { transformationCtx: spec.transformationCtx } : {}),
    format: spec.format, path: spec.path,
    rows: summary.rows, files: summary.files, bytes: summary.bytes, errors: summary.errors.length, ms,
  };
}
