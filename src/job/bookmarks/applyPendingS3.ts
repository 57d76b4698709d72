import { visibleS3Objects } from '../../io/partitioning/publishToS3.js';
import { s3Join } from '../../io/store/s3Path.js';
import { storeFor } from '../../io/store/storeFor.js';
import type { PendingOutput } from './BookmarkState.js';
import { missingFile } from './applyPending.js';
import { crashPoint } from './crashPoint.js';
import { removeS3Staging } from './stageOnS3.js';

/**
 * Publishes a committed run's outputs on s3:// roots, whose files are staged in the bucket
 * (stageOnS3.ts): each staged object is copied to its final key, then deleted (S3 has no
 * rename); with overwrite, the objects the root showed that this commit does not publish are
 * deleted after the copies, so a failure leaves the old data whole; then `_SUCCESS`, then the
 * staging prefixes go. Idempotent, as the local commit: a staged object that is gone while its
 * final key exists was published already, so the next run (on any machine) can finish it.
 */
export async function applyS3Outputs(runId: string, outputs: readonly PendingOutput[]): Promise<void> {
  const keepByRoot = new Map<string, Set<string>>();
  for (const output of outputs) {
    const keep = keepByRoot.get(output.root) ?? new Set<string>();
    for (const r of output.renames) keep.add(r.to);
    keepByRoot.set(output.root, keep);
  }
  for (const output of outputs) {
    const store = await storeFor(output.root);
    for (const { from, to } of output.renames) {
      if (await store.stat(from)) {
        await store.copy(from, to);
        await store.delete([from]);
        crashPoint('mid-rename');
      } else if (!(await store.stat(to))) {
        throw missingFile(runId, output, from, to);
      }
    }
  }
  crashPoint('after-renames');
  const overwritten = new Set(outputs.filter((o) => o.mode === 'overwrite').map((o) => o.root));
  for (const [root, keep] of keepByRoot) {
    const store = await storeFor(root);
    if (overwritten.has(root)) await store.delete((await visibleS3Objects(root)).filter((path) => !keep.has(path)));
    await store.put(s3Join(root, '_SUCCESS'), '');
  }
  for (const output of outputs) await removeS3Staging(output.staging);
}
