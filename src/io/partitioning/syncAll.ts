import { storeFor } from '../store/storeFor.js';
import type { PendingCommit } from './applyPending.js';
import { forEachInParallel } from './inParallel.js';

/**
 * fsyncs in flight at once: each one waits on the disk, not the CPU, and a journaling file system
 * (ext4, xfs) folds flushes that wait together into one journal commit. One at a time, a commit of
 * twelve partitions waited on twenty-six flushes in a row.
 */
export const SYNCS_IN_FLIGHT = 8;

/**
 * Makes every path durable (Store.sync: a file's bytes, or a folder's entries), several at once;
 * on S3 a write is durable once acknowledged. Every sync is let finish before a failure is thrown.
 */
export async function syncAll(paths: Iterable<string>): Promise<void> {
  await forEachInParallel([...new Set(paths)], SYNCS_IN_FLIGHT, async (path) => (await storeFor(path)).sync(path));
}

/** Makes a run's staged files durable: a commit point must not name bytes a crash could lose. */
export function syncStaged(pending: PendingCommit): Promise<void> {
  return syncAll(pending.outputs.flatMap((output) => output.renames.map((r) => r.from)));
}
