import { dirname } from 'node:path';
import { storeFor } from '../store/storeFor.js';
import { joinPath } from '../store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { SaveMode } from './commit.js';
import { crashPoint } from './crashPoint.js';
import { forEachInParallel, MOVES_IN_FLIGHT } from './inParallel.js';
import { syncAll } from './syncAll.js';
import { deleteUnder, visibleFiles } from './visibleFiles.js';

/**
 * The renames a committed run still has to make (idempotent: see applyPending). A bookmarked run
 * keeps it in its bookmark state; a plain write in a manifest under its output (outputCommit.ts).
 */
export interface PendingCommit {
  runId: string;
  outputs: PendingOutput[];
}

export interface PendingOutput {
  root: string;
  mode: SaveMode;
  staging: string;
  /** Staged file → final file. */
  renames: { from: string; to: string }[];
}

/**
 * Publishes a committed run's staged files, on any store: each staged file is renamed into place
 * (on S3: copied, then deleted; up to MOVES_IN_FLIGHT at once, every output's files in one pool),
 * the renamed files are made durable, then — with overwrite — the
 * files the root showed that this commit does not publish are deleted (after the renames, so a
 * failure leaves the old data whole), then `_SUCCESS`, then the staging folders go. Idempotent,
 * so the next run (on any machine) can finish it after a crash at any step: a rename whose staged
 * file is gone but whose final file exists was done already.
 */
export async function applyPending(pending: PendingCommit): Promise<void> {
  const keepByRoot = new Map<string, Set<string>>();
  for (const output of pending.outputs) {
    const keep = keepByRoot.get(output.root) ?? new Set<string>();
    for (const r of output.renames) keep.add(r.to);
    keepByRoot.set(output.root, keep);
  }
  const folders = new Set<string>();
  const moves = pending.outputs.flatMap((output) => output.renames.map((rename) => ({ output, ...rename })));
  await forEachInParallel(moves, MOVES_IN_FLIGHT, async ({ output, from, to }) => {
    const store = await storeFor(output.root);
    if (await store.stat(from)) {
      await store.rename(from, to);
      crashPoint('mid-rename');
    } else if (!(await store.stat(to))) {
      throw missingFile(pending.runId, output, from, to);
    }
    folders.add(dirname(to));
  });
  await syncAll(folders);
  crashPoint('after-renames');
  const overwritten = new Set(pending.outputs.filter((o) => o.mode === 'overwrite').map((o) => o.root));
  for (const [root, keep] of keepByRoot) {
    if (overwritten.has(root)) await deleteUnder(root, (await visibleFiles(root)).filter((path) => !keep.has(path)));
  }
  // Each root's marker waits on its own fsyncs: put them at once.
  await Promise.all([...keepByRoot.keys()].map(async (root) => (await storeFor(root)).put(joinPath(root, '_SUCCESS'), '')));
  for (const output of pending.outputs) await removeStaging(output.staging);
}

/**
 * Removes a staging folder with everything in it, and the output's staging folder above it when nothing else
 * is staged there (a no-op on S3, where folders exist only while they hold objects).
 */
export async function removeStaging(staging: string): Promise<void> {
  const store = await storeFor(staging);
  await store.deleteFolder(staging);
  await store.removeEmptyFolder(dirname(staging));
}

function missingFile(runId: string, output: PendingOutput, from: string, to: string): SluiceError {
  return new SluiceError(
    `cannot finish the commit of run ${runId}: the staged file ${from} is gone and ${to} was never published, ` +
    `so the output under ${output.root} is incomplete. Remove that run's files (part files named with ${runId}) from ${output.root} ` +
    `and run the job again (with bookmarks: 'sluice bookmarks rewind' to the run before it, or 'sluice bookmarks reset')`,
    { file: from },
  );
}
