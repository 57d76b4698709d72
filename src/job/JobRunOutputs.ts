import { randomUUID } from 'node:crypto';
import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import type { PendingOutput } from '../io/partitioning/applyPending.js';
import { crashPoint } from '../io/partitioning/crashPoint.js';
import { abortOutputs, claimOutput, CommittedError, commitOutputs, releaseAll, type OutputClaim } from '../io/partitioning/outputCommit.js';
import { sinkStaging, stageSink } from '../io/partitioning/stageInStore.js';
import { absolutePath } from '../io/store/storePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { PreparedCatalogSink } from './catalogSink.js';
import { CatalogUpdates } from './CatalogUpdates.js';

/**
 * The sinks of a Glue script's run without bookmarks (`job.init` … `job.commit()`), published
 * together as a job spec's are: each `writeDynamicFrame` claims its output and stages its files;
 * `commit` publishes every sink in one atomic step (io/partitioning/outputCommit.ts). A script
 * that throws before publishes nothing, so a retry cannot double what an earlier sink wrote.
 * A catalog sink's update (its table created or changed, its partitions added) is part of the
 * same commit: pending before the commit point, applied after it (CatalogUpdates); a run that
 * does not commit changes no table.
 *
 * A script that ends without `job.commit()` still gets its output, as in Glue (where a sink is
 * written when its write runs): `sluice run` commits the run once the script has run to its end,
 * and a script run by plain `node` is committed when the event loop empties (`beforeExit`). A
 * script that throws, or a process that dies, publishes nothing (the next write to an output
 * removes the staged files).
 */
export class JobRunOutputs {
  private readonly runId = randomUUID();
  private readonly outputs: PendingOutput[] = [];
  /** Output roots held from their first write to the end of the commit or abort. */
  private readonly claims: OutputClaim[] = [];
  private readonly catalogUpdates = new CatalogUpdates();
  private committing?: Promise<void>;
  private finished = false;

  constructor(readonly job: string) {
    openRuns().add(this);
    commitOnExit();
  }

  /**
   * Stages a frame's files under its output's staging folder, without publishing them; with a
   * catalog sink (prepareCatalogSink), its catalog update is made when the run commits.
   */
  async write(frame: DataFrame<Row>, spec: WriteSpec, catalogSink?: PreparedCatalogSink): Promise<WriteSummary> {
    if (this.finished || this.committing) throw new SluiceError(`job '${this.job}': cannot write to ${spec.path}: the run has already ${this.committing ? 'committed' : 'ended'}`);
    const root = absolutePath(spec.path);
    if (!this.claims.some((claim) => claim.root === root)) this.claims.push(await claimOutput(root, this.runId));
    const jobRunId = `${this.runId}-${this.outputs.length}`;
    const output: PendingOutput = { root, mode: saveModeOf(spec.mode), staging: sinkStaging(root, jobRunId), renames: [] };
    this.outputs.push(output); // before writing: an abort removes what it staged
    const summary = await frame.write.to({ ...spec, jobRunId, deferCommit: true });
    output.renames = await stageSink(root, jobRunId, summary.files);
    if (catalogSink) this.catalogUpdates.add(catalogSink, jobRunId, output.staging, summary.files);
    crashPoint(`after-stage-sink-${this.outputs.length}`);
    return summary;
  }

  /** Publishes every staged sink in one commit (once; later calls return the same promise). */
  commit(): Promise<void> {
    if (this.finished && !this.committing) return Promise.reject(new SluiceError(`job '${this.job}': cannot commit: the run was aborted`));
    this.committing ??= this.publish();
    return this.committing;
  }

  /** Removes what the run staged (a script that threw); a commit under way is waited for instead. */
  async abort(): Promise<void> {
    if (this.committing) return void (await this.committing.catch(() => undefined));
    if (this.finished) return;
    this.finished = true;
    openRuns().delete(this);
    try {
      await abortOutputs({ runId: this.runId, outputs: this.outputs });
      await this.catalogUpdates.forget();
    } finally {
      await releaseAll(this.claims);
    }
  }

  private async publish(): Promise<void> {
    let committed = false;
    try {
      await this.catalogUpdates.putIntents();
      if (this.outputs.length > 0) await commitOutputs({ runId: this.runId, outputs: this.outputs });
      committed = true; // from here a failure leaves the catalog updates pending, for the table's next reader or writer
      await this.catalogUpdates.apply();
    } catch (e) {
      if (!committed && !(e instanceof CommittedError)) {
        await abortOutputs({ runId: this.runId, outputs: this.outputs }).catch(() => undefined);
        await this.catalogUpdates.forget();
      }
      throw e;
    } finally {
      this.finished = true;
      openRuns().delete(this);
      await releaseAll(this.claims);
    }
  }
}

const saveModeOf = (mode: WriteSpec['mode']) => (mode === 'error' ? 'errorIfExists' : mode ?? 'append');

/**
 * Runs begun and not yet ended, kept on globalThis (a script may import another copy of sluice)
 * so that `sluice run` can commit or abort what a script left open.
 */
const OPEN = Symbol.for('sluice/open-job-runs');
const HOOKED = Symbol.for('sluice/open-job-runs-hooked');
type Holder = { [OPEN]?: Set<JobRunOutputs>; [HOOKED]?: boolean };

function openRuns(): Set<JobRunOutputs> {
  const holder = globalThis as Holder;
  return (holder[OPEN] ??= new Set());
}

/** Commits every run still open (a script that ended without `job.commit()`); the first failure is thrown after all were tried. */
export async function commitOpenRuns(): Promise<number> {
  const runs = [...openRuns()];
  const results = await Promise.allSettled(runs.map((run) => run.commit()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return runs.length;
}

/** Aborts every run still open (a script that threw): nothing it staged is published. */
export async function abortOpenRuns(): Promise<void> {
  for (const run of [...openRuns()]) await run.abort().catch(() => undefined);
}

/** Once per process: a plain `node script.js` that never called job.commit() publishes when it runs out of work. */
function commitOnExit(): void {
  const holder = globalThis as Holder;
  if (holder[HOOKED]) return;
  holder[HOOKED] = true;
  process.on('beforeExit', () => {
    if (openRuns().size === 0) return;
    commitOpenRuns().catch((e: unknown) => {
      process.stderr.write(`sluice: the job's output could not be published: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
  });
}
