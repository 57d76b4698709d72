import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { DataFrame, Row } from '../../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../../frame/DataFrameWriter.js';
import { publishStaged } from '../../io/partitioning/commit.js';
import { storeFor } from '../../io/store/storeFor.js';
import { absolutePath, relativePath } from '../../io/store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { removeStaging } from '../bookmarks/applyPending.js';
import { sinkStagingFolders } from '../bookmarks/stageSink.js';

/** A sink staged but not published, until the run's error count is known. */
interface HeldSink {
  root: string;
  jobRunId: string;
  mode: WriteSpec['mode'];
  files: string[];
}

/**
 * `maxErrors`: every sink stages its files; once all are written and the run's error records are
 * counted, the sinks are published only when the count is within the limit. Over it, the staged
 * files are removed and nothing is published.
 */
export class HeldSinks {
  private readonly held: HeldSink[] = [];
  private readonly runId = `maxerr-${randomUUID()}`;

  constructor(readonly maxErrors: number) {}

  readonly write = async (frame: DataFrame<Row>, spec: WriteSpec): Promise<WriteSummary> => {
    const jobRunId = `${this.runId}-${this.held.length}`;
    const root = absolutePath(spec.path);
    const entry: HeldSink = { root, jobRunId, mode: spec.mode, files: [] };
    this.held.push(entry);
    const summary = await frame.write.to({ ...spec, jobRunId, deferCommit: true });
    entry.files = summary.files;
    return summary;
  };

  /** Publishes every sink, or removes them all and throws when `errors` passes the limit. */
  async settle(errors: number, nodeErrors: Record<string, number>): Promise<void> {
    if (errors > this.maxErrors) {
      await this.discard();
      throw tooManyErrors({ errors, nodeErrors }, this.maxErrors);
    }
    for (const sink of this.held) {
      const store = await storeFor(sink.root);
      const staging = store.stagingFolder(sink.root, sink.jobRunId);
      const staged = sink.files.map((to) => join(staging, ...relativePath(sink.root, to).split('/')));
      await publishStaged(sink.root, staging, staged, sink.mode === 'error' ? 'errorIfExists' : sink.mode ?? 'append');
      for (const folder of await sinkStagingFolders(sink.root, sink.jobRunId)) await removeStaging(folder).catch(() => undefined);
    }
  }

  /** Removes every staged file (a failed or refused run). */
  async discard(): Promise<void> {
    for (const sink of this.held) {
      for (const folder of await sinkStagingFolders(sink.root, sink.jobRunId)) await removeStaging(folder).catch(() => undefined);
    }
  }
}

/** The refusal of a run that passed maxErrors. */
export function tooManyErrors(summary: { errors: number; nodeErrors: Record<string, number> }, maxErrors: number): SluiceError {
  const byNode = Object.entries(summary.nodeErrors).map(([node, n]) => `${node} ${n}`).join(', ');
  const s = summary.errors === 1 ? '' : 's';
  return new SluiceError(`the run made ${summary.errors} error record${s} (${byNode}), more than maxErrors ${maxErrors}: nothing was published`);
}
