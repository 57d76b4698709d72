import { mkdir, readdir, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isHiddenSegment } from '../../io/partitioning/listInputs.js';
import { isS3Path } from '../../io/store/s3Path.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { PendingCommit, PendingOutput } from './BookmarkState.js';
import { syncFolder } from './atomicFile.js';
import { applyS3Outputs } from './applyPendingS3.js';
import { crashPoint } from './crashPoint.js';
import { removeS3Staging } from './stageOnS3.js';

/**
 * Publishes a committed run's staged files: overwrite clears the old files, each staged file is
 * renamed into place, `_SUCCESS` is written and the staging folders go. Idempotent, so the next
 * run can finish it after a crash at any step: a rename whose staged file is gone but whose final
 * file exists was done already; overwrite keeps the files this commit publishes. Outputs on
 * s3:// roots are published by copy (applyPendingS3.ts).
 */
export async function applyPending(pending: PendingCommit): Promise<void> {
  const remote = pending.outputs.filter((o) => isS3Path(o.root));
  if (remote.length > 0) await applyS3Outputs(pending.runId, remote);
  const local = pending.outputs.filter((o) => !isS3Path(o.root));
  if (local.length > 0) await applyLocalOutputs(pending.runId, local);
}

async function applyLocalOutputs(runId: string, outputs: readonly PendingOutput[]): Promise<void> {
  const keepByRoot = new Map<string, Set<string>>();
  for (const output of outputs) {
    const keep = keepByRoot.get(output.root) ?? new Set<string>();
    for (const r of output.renames) keep.add(r.to);
    keepByRoot.set(output.root, keep);
  }
  for (const output of outputs) {
    if (output.mode === 'overwrite') await removeVisibleExcept(output.root, keepByRoot.get(output.root)!);
  }
  const folders = new Set<string>();
  for (const output of outputs) {
    for (const { from, to } of output.renames) {
      if (await exists(from)) {
        await mkdir(dirname(to), { recursive: true });
        await rename(from, to);
        crashPoint('mid-rename');
      } else if (!(await exists(to))) {
        throw missingFile(runId, output, from, to);
      }
      folders.add(dirname(to));
    }
  }
  for (const folder of folders) await syncFolder(folder);
  crashPoint('after-renames');
  for (const root of keepByRoot.keys()) {
    await mkdir(root, { recursive: true });
    await writeFile(join(root, '_SUCCESS'), '');
  }
  for (const output of outputs) await removeStaging(output.staging);
}

/**
 * Removes a staging folder, and `_temporary` above it when nothing else is staged there; an
 * s3:// staging prefix loses all its objects.
 */
export async function removeStaging(staging: string): Promise<void> {
  if (isS3Path(staging)) return removeS3Staging(staging);
  await rm(staging, { recursive: true, force: true });
  await rmdir(dirname(staging)).catch(() => undefined);
}

export function missingFile(runId: string, output: PendingOutput, from: string, to: string): SluiceError {
  return new SluiceError(
    `cannot finish the commit of run ${runId}: the staged file ${from} is gone and ${to} was never published, ` +
    `so the output under ${output.root} is incomplete. Remove that run's files from ${output.root} and ` +
    `run 'sluice bookmarks rewind' to the run before it (or 'sluice bookmarks reset')`,
    { file: from },
  );
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** Deletes the data files readers would see under `root`, except `keep`, and the folders left empty. */
async function removeVisibleExcept(root: string, keep: Set<string>): Promise<void> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  const folders: string[] = [];
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (relative(root, path).split(sep).some(isHiddenSegment)) continue;
    if (entry.isDirectory()) folders.push(path);
    else if (!keep.has(path)) await unlink(path);
  }
  folders.sort((a, b) => b.length - a.length); // deepest first
  for (const folder of folders) await rmdir(folder).catch(() => undefined);
}
