import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { stagingRootOf } from '../store/stagingFolder.js';
import { storeFor } from '../store/storeFor.js';
import { joinPath, relativePath } from '../store/storePath.js';
import { forEachInParallel, MOVES_IN_FLIGHT } from './inParallel.js';


/**
 * Where a write's part files wait for the commit: `<parent>/.<name>.sluice-staging/<jobRunId>` (stagingFolder.ts), in the
 * root's own store, so whichever run gets there first — this one, or the next on any machine
 * after a crash — can publish or remove them.
 */
export const sinkStaging = (root: string, jobRunId: string): string => joinPath(stagingRootOf(root), jobRunId);

/** The folders a deferred write to `root` stages in: the sink's, and the writer's own when that is elsewhere (S3's local temp folder). */
export async function sinkStagingFolders(root: string, jobRunId: string): Promise<string[]> {
  const writer = (await storeFor(root)).stagingFolder(root, jobRunId);
  const sink = sinkStaging(root, jobRunId);
  return writer === sink ? [sink] : [sink, writer];
}

/**
 * Brings the part files a deferred write staged (`finals` are the paths it reported) into
 * `sinkStaging`, and returns the staged → final renames the bookmark commit will make. On a local
 * disk the writer staged there already; for S3 they are uploaded from the local temp folder,
 * which is then removed. Run before the commit point.
 */
export async function stageSink(root: string, jobRunId: string, finals: readonly string[]): Promise<{ from: string; to: string }[]> {
  const store = await storeFor(root);
  const writer = store.stagingFolder(root, jobRunId);
  const staging = sinkStaging(root, jobRunId);
  const renames = finals.map((to) => ({ to, relative: relativePath(root, to) }));
  if (writer !== staging) {
    try {
      await forEachInParallel(renames, MOVES_IN_FLIGHT, ({ relative }) => store.publish(join(writer, ...relative.split('/')), joinPath(staging, relative)));
    } finally {
      // What was moved goes with the run's staging (abort or recovery).
      await rm(writer, { recursive: true, force: true });
    }
  }
  return renames.map(({ to, relative }) => ({ from: joinPath(staging, relative), to }));
}
