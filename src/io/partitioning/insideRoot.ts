import { realpath } from 'node:fs/promises';
import { dirname, relative, isAbsolute, sep } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { isS3Path } from '../store/s3Path.js';
import type { PendingCommit } from './applyPending.js';

/**
 * Refuses a commit whose files would land outside their output root through a symbolic link
 * (`out/year=2024 -> /etc`): every final path's nearest existing folder, with links resolved,
 * must be the root or inside it. Checked before the commit point, so a refused write publishes
 * nothing. S3 has no links; its keys are checked when they are built (hivePath.ts).
 */
export async function checkInsideRoots(pending: PendingCommit): Promise<void> {
  for (const output of pending.outputs) {
    if (isS3Path(output.root)) continue;
    const root = await resolvedFolder(output.root);
    const checked = new Set<string>();
    for (const { to } of output.renames) {
      const folder = dirname(to);
      if (checked.has(folder)) continue;
      checked.add(folder);
      const real = await resolvedFolder(folder);
      const rel = relative(root, real);
      if (rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))) continue;
      throw new SluiceError(
        `refusing to write ${to}: ${folder} resolves to ${real}, outside the output ${output.root} (a symbolic link inside the output points out of it)`,
        { file: to },
      );
    }
  }
}

/** The real path of a folder, or of its nearest existing ancestor with the missing rest appended. */
async function resolvedFolder(folder: string): Promise<string> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      const real = await realpath(current);
      return missing.length ? [real, ...missing.reverse()].join(sep) : real;
    } catch {
      const parent = dirname(current);
      if (parent === current) return folder;
      missing.push(current.slice(parent.length).replace(/^[\\/]+/, ''));
      current = parent;
    }
  }
}
