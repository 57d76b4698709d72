import { SluiceError } from '../types/ErrorRecord.js';
import type { GlueContext } from './GlueContext.js';
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
}

/**
 * Glue's `Job`: `job.init(args.JOB_NAME, args)` at the start of a script, `job.commit()` at the
 * end. Commit records the run in memory only, for now; with bookmarks it will also publish what
 * this run read, in the same step as the output.
 */
export class Job {
  private started?: number;
  private writesBefore = 0;
  private jobName?: string;
  private jobArgs: Readonly<Record<string, string>> = {};
  private committed?: JobCommitSummary;

  constructor(readonly glueContext: GlueContext) {}

  get name(): string | undefined {
    return this.jobName;
  }

  get args(): Readonly<Record<string, string>> {
    return this.jobArgs;
  }

  init(name: string, args: Readonly<Record<string, string>> = {}): void {
    if (this.started !== undefined) throw new SluiceError(`job '${this.jobName}' is already initialised; call init() once per run`);
    if (typeof name !== 'string' || name === '') throw new SluiceError('job.init(name, args): name must be a non-empty string, e.g. args.JOB_NAME');
    this.jobName = name;
    this.jobArgs = { ...args };
    this.started = Date.now();
    this.writesBefore = this.glueContext.writes.length;
  }

  commit(): JobCommitSummary {
    if (this.started === undefined) throw new SluiceError('job.commit() called before job.init(name, args)');
    if (this.committed) return this.committed;
    const finished = Date.now();
    const writes = this.glueContext.writes.slice(this.writesBefore);
    this.committed = {
      name: this.jobName as string,
      args: this.jobArgs,
      startedAt: new Date(this.started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      wallMs: finished - this.started,
      writes,
      rows: writes.reduce((n, w) => n + w.rows, 0),
    };
    return this.committed;
  }
}
