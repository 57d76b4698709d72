import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { openBookmarkStore } from '../job/bookmarks/openBookmarkStore.js';
import { joinPath } from '../io/store/storePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { LambdaContext, S3EventHandler, S3EventHandlerOptions, S3EventSummary, S3JobFunction } from './handlerTypes.js';
import { ObjectLedger } from './objectLedger.js';
import { DEFAULT_STALE_LOCK_MS, openRun, stateDirOf } from './openRun.js';
import { runFunctionJob, runSpecJob, type JobOutcome, type LoadedSpec } from './runJob.js';
import { CatalogUpdates, commitWithCatalogUpdates } from '../job/CatalogUpdates.js';
import { s3ObjectsOf, type S3ObjectRef } from './s3Events.js';
import { screenObjects, sourcesOf } from './eventObjectPolicy.js';

/**
 * A Lambda handler that runs `job` over the objects an S3 event names (S3 → Lambda, via SQS or
 * SNS, or EventBridge). `job` is a job function, or a JSON job spec (object or file path) whose
 * read node takes the objects through `"${INPUTS}"` (or `"${INPUT}"`) in its paths.
 *
 * Each invocation is one bookmarked run of the job (src/job/bookmarks), keyed by the job name in
 * the state folder: the job's sinks stage their files, and the run's commit publishes them in one
 * atomic step together with the record of the objects processed (objectLedger.ts). So an event
 * delivered again is skipped, not written twice; and a failed run publishes nothing, removes its
 * staging and rethrows, so Lambda retries it.
 */
export function createS3EventHandler(job: S3JobFunction | object | string, options: S3EventHandlerOptions = {}): S3EventHandler {
  if (job === null || (typeof job !== 'function' && typeof job !== 'object' && typeof job !== 'string')) {
    throw new SluiceError('createS3EventHandler(job): job must be a job function, a job spec object, or the path of a job spec file');
  }
  // A spec file is read once per instance, on the first event (nothing is read at import).
  let spec: Promise<LoadedSpec> | undefined;
  const loadSpec = () => (spec ??= specOf(job as object | string, options.baseDir));

  return async (event: unknown, context?: LambdaContext): Promise<S3EventSummary> => {
    const started = Date.now();
    const sources = sourcesOf(options.sources);
    const { objects: named, ignored } = s3ObjectsOf(event);
    const { accepted: objects, refused } = screenObjects(named, sources);
    ignored.push(...refused);
    const loaded = typeof job === 'function' ? undefined : await loadSpec();
    const name = jobNameOf(job, loaded, options, context);
    const summary: S3EventSummary = {
      job: name,
      objects: { received: named.length, processed: 0, skipped: 0, ignored: ignored.length },
      processed: [], skipped: [], ignored, rows: 0, files: [], errors: 0, ms: 0,
    };
    if (objects.length === 0) return { ...summary, ms: Date.now() - started };
    const run = (batch: S3ObjectRef[]) => runObjects(job, loaded, name, batch, event, options, context);
    let outcome: RunResult;
    try {
      outcome = await run(objects);
    } catch (e) {
      // In an SQS batch, one bad message (a deleted object) must not hold back the others on
      // every redelivery: run each message on its own and report the failed ones to SQS.
      const messages = byMessage(objects);
      if (options.reportBatchItemFailures === false || !messages || messages.size < 2) throw e;
      outcome = await runEachMessage(messages, run, e);
    }
    return {
      ...summary,
      ...(outcome.runId !== undefined ? { runId: outcome.runId } : {}),
      objects: { ...summary.objects, processed: outcome.processed.length, skipped: outcome.skipped.length },
      processed: outcome.processed, skipped: outcome.skipped,
      rows: outcome.rows, files: outcome.files, errors: outcome.errors,
      ms: Date.now() - started,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.batchItemFailures ? { batchItemFailures: outcome.batchItemFailures } : {}),
    };
  };
}

interface RunResult {
  runId?: string;
  processed: string[];
  skipped: { uri: string; reason: string }[];
  rows: number;
  files: string[];
  errors: number;
  result?: unknown;
  batchItemFailures?: { itemIdentifier: string }[];
}

/** One bookmarked run over `objects`: skips those a committed run processed, runs the job on the rest, commits. */
async function runObjects(
  job: S3JobFunction | object | string, loaded: LoadedSpec | undefined, name: string, objects: S3ObjectRef[],
  event: unknown, options: S3EventHandlerOptions, context?: LambdaContext,
): Promise<RunResult> {
  const store = openBookmarkStore(stateDirOf(options.stateDir), { staleLockMs: options.staleLockMs ?? DEFAULT_STALE_LOCK_MS });
  const jobFolder = store.jobFolder(name);
  const ledger = new ObjectLedger(joinPath(jobFolder, 'objects'));
  // Opening the run also finishes (or undoes) what a run that died left: check the record after.
  const session = await openRun(name, store, options.lockWaitMs, context, options.staleLockMs);
  try {
    const fresh: S3ObjectRef[] = [];
    const skipped: RunResult['skipped'] = [];
    for (const object of objects) {
      if (await ledger.has(object)) skipped.push({ uri: object.uri, reason: 'already processed by a committed run' });
      else fresh.push(object);
    }
    let outcome: JobOutcome = { rows: 0, files: [], errors: 0 };
    if (fresh.length > 0) {
      const inputs = fresh.map((o) => (options.resolveObject ? options.resolveObject(o.bucket, o.key) : o.uri));
      const params = options.params ?? {};
      const modules = { ...(options.allowModuleDirs ? { allowModuleDirs: options.allowModuleDirs } : {}), ...(options.allowModulePackages ? { allowModulePackages: options.allowModulePackages } : {}) };
      outcome = loaded
        ? await runSpecJob(session, loaded, inputs, params, modules)
        : await runFunctionJob(session, job as S3JobFunction, { inputs, objects: fresh, event, ...(context ? { lambdaContext: context } : {}), params });
      await session.write(ledger.entries(fresh, session.runId), ledger.writeSpec());
    }
    await commitWithCatalogUpdates(session, outcome.rows, outcome.catalogUpdates ?? new CatalogUpdates());
    return {
      runId: session.runId, processed: fresh.map((o) => o.uri), skipped,
      rows: outcome.rows, files: outcome.files, errors: outcome.errors,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
    };
  } catch (e) {
    await session.abort(e); // removes the staged files; a no-op once the commit point is passed
    throw e;
  }
}

/** The objects per SQS message id, or undefined when some object did not come through SQS. */
function byMessage(objects: readonly S3ObjectRef[]): Map<string, S3ObjectRef[]> | undefined {
  const groups = new Map<string, S3ObjectRef[]>();
  for (const object of objects) {
    if (object.messageId === undefined) return undefined;
    groups.set(object.messageId, [...(groups.get(object.messageId) ?? []), object]);
  }
  return groups;
}

/** One run per message; rethrows when every message failed (nothing to report as partial). */
async function runEachMessage(messages: Map<string, S3ObjectRef[]>, run: (objects: S3ObjectRef[]) => Promise<RunResult>, first: unknown): Promise<RunResult> {
  const total: RunResult = { processed: [], skipped: [], rows: 0, files: [], errors: 0, batchItemFailures: [] };
  for (const [messageId, objects] of messages) {
    try {
      const one = await run(objects);
      total.runId = one.runId;
      total.processed.push(...one.processed);
      total.skipped.push(...one.skipped);
      total.rows += one.rows;
      total.files.push(...one.files);
      total.errors += one.errors;
    } catch (e) {
      total.batchItemFailures!.push({ itemIdentifier: messageId });
      console.error(`sluice: SQS message ${messageId} failed and is left for redelivery: ${(e as Error).message}`);
    }
  }
  if (total.batchItemFailures!.length === messages.size) throw first;
  return total;
}

async function specOf(job: object | string, baseDir: string | undefined): Promise<LoadedSpec> {
  if (typeof job !== 'string') return { raw: job, source: '(object)', baseDir: resolve(baseDir ?? process.cwd()) };
  let text: string;
  try {
    text = await readFile(job, 'utf8');
  } catch (e) {
    throw new SluiceError(`${job}: cannot read the job spec: ${(e as Error).message}`, { file: job });
  }
  try {
    return { raw: JSON.parse(text) as object, source: job, baseDir: baseDir ?? dirname(resolve(job)) };
  } catch (e) {
    throw new SluiceError(`${job}: the job spec is not valid JSON: ${(e as Error).message}`, { file: job });
  }
}

/** The option, the spec's name (or file name), the Lambda function's name, the function's own name. */
function jobNameOf(job: S3JobFunction | object | string, spec: LoadedSpec | undefined, options: S3EventHandlerOptions, context?: LambdaContext): string {
  const specName = spec && 'name' in spec.raw && typeof spec.raw.name === 'string' ? spec.raw.name : undefined;
  const fileName = typeof job === 'string' ? basename(job, extname(job)) : undefined;
  const functionName = typeof job === 'function' && job.name !== '' ? job.name : undefined;
  const name = options.jobName ?? specName ?? fileName ?? context?.functionName ?? functionName;
  if (!name) throw new SluiceError('createS3EventHandler: the job has no name: pass options.jobName (it keys the job\'s state)');
  return name;
}
