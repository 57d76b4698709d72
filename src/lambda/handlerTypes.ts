import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import type { GlueContext } from '../job/GlueContext.js';
import type { IgnoredRecord, S3ObjectRef } from './s3Events.js';

/** The parts of Lambda's context object the handler uses. */
export interface LambdaContext {
  functionName?: string;
  awsRequestId?: string;
  getRemainingTimeInMillis?: () => number;
}

/** What a job function is given: the new objects of the event, and where to write. */
export interface S3JobContext {
  /**
   * The paths to read, one per new object: `s3://bucket/key`, or the local path
   * `resolveObject` gave. Objects processed by an earlier run are not among them.
   */
  inputs: string[];
  /** The same objects as the event described them (bucket, decoded key, etag…). */
  objects: S3ObjectRef[];
  /** The event as Lambda passed it. */
  event: unknown;
  lambdaContext?: LambdaContext;
  /** The handler's `params` option. */
  params: Readonly<Record<string, string>>;
  /** The run's id in the job's bookmark history. */
  runId: string;
  /**
   * A GlueContext bound to this run: `writeDynamicFrame.fromOptions` stages its files, which are
   * published with the run's commit. Give its sources no transformationCtx: the handler has
   * already chosen the objects to read.
   */
  glueContext: GlueContext;
  /** Writes a frame into the run's staged output (published at commit, removed on failure). */
  write(frame: DataFrame<Row>, spec: WriteSpec): Promise<WriteSummary>;
}

/** A job as a function. Its writes must go through `ctx.write` or `ctx.glueContext` to be committed with the run. */
export type S3JobFunction = (ctx: S3JobContext) => Promise<unknown>;

export interface S3EventHandlerOptions {
  /** The job's name in the state folder (default: the spec's name, else the Lambda function's name). */
  jobName?: string;
  /**
   * Where the job's bookmark and processed-object record live (default env SLUICE_STATE_DIR).
   * It must outlive the function's instances (`s3://bucket/prefix`, or an EFS mount): a folder under /tmp is
   * forgotten with its instance, and a re-delivered event would be processed again.
   */
  stateDir?: string;
  /** Parameters of the job: `${NAME}` placeholders of a spec, `ctx.params` of a function. */
  params?: Readonly<Record<string, string>>;
  /** Maps an object to the path the job reads (default `s3://bucket/key`); e.g. a local folder in tests. */
  resolveObject?: (bucket: string, key: string) => string;
  /**
   * How long to wait for another invocation of the same job to finish (runs of a job take turns).
   * Default 30 s, and never more than half of the invocation's remaining time.
   */
  lockWaitMs?: number;
  /**
   * A lock held longer than this was left by an invocation that was killed, and is taken over
   * (default 16 minutes: Lambda's longest timeout is 15).
   */
  staleLockMs?: number;
  /** For a spec given as an object: the folder its relative module paths resolve from (default the cwd). */
  baseDir?: string;
  /**
   * The buckets and prefixes the function may read, as `s3://bucket/` or `s3://bucket/prefix/`
   * (default env SLUICE_SOURCES, comma-separated; one is required). Objects elsewhere, folder
   * markers and keys with `.`/`..` segments are ignored (docs/security.md).
   */
  sources?: readonly string[];
  /**
   * In an SQS batch whose run fails, run each message on its own and return the failed ones as
   * `batchItemFailures` (default true). The event source mapping must have ReportBatchItemFailures
   * on, or SQS deletes the failed messages too.
   */
  reportBatchItemFailures?: boolean;
  /** More folders whose module files a spec may name (loadJobSpec's allowModuleDirs). */
  allowModuleDirs?: readonly string[];
  /** Packages a spec may import by name. */
  allowModulePackages?: readonly string[];
}

export interface S3EventSummary {
  job: string;
  /** The bookmark run (absent when the event named no created object). */
  runId?: string;
  objects: { received: number; processed: number; skipped: number; ignored: number };
  /** URIs of the objects this run processed. */
  processed: string[];
  /** Objects a committed run had already processed (a re-delivered event). */
  skipped: { uri: string; reason: string }[];
  /** Records that were not created objects: removals, test events, other messages. */
  ignored: IgnoredRecord[];
  /** Rows written by the job's sinks (the processed-object record not counted). */
  rows: number;
  files: string[];
  /** Error records of the job's sinks (bad rows the job's thresholds let through). */
  errors: number;
  ms: number;
  /** What a job function returned. */
  result?: unknown;
  /** SQS messages to deliver again (their runs failed; the others' were committed). */
  batchItemFailures?: { itemIdentifier: string }[];
}

/** The Lambda handler: resolves to the run's summary, or rejects so that Lambda retries. */
export type S3EventHandler = (event: unknown, context?: LambdaContext) => Promise<S3EventSummary>;
