import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { s3StagingFolder } from '../../io/partitioning/publishToS3.js';
import { s3Join, s3Relative } from '../../io/store/s3Path.js';
import { storeFor } from '../../io/store/storeFor.js';

/** Uploads at once (S3 PUTs are latency bound; see publishToS3.ts). */
const UPLOADS_IN_FLIGHT = 8;

/** Where a bookmarked sink on an s3:// root stages its part files: in the bucket, so any machine can finish the commit. */
export const s3SinkStaging = (root: string, jobRunId: string): string => s3Join(root, `_temporary/${jobRunId}`);

/** Where the writer itself stages a write to an s3:// root before upload (a local temp folder: publishToS3.ts). */
export const localSinkStaging = (jobRunId: string): string => s3StagingFolder(jobRunId);

/**
 * Moves the part files a deferred write to an s3:// root left in its local staging folder
 * (`finals` are the paths it reported) up to `s3://root/_temporary/<jobRunId>/…`, then removes
 * the local folder. Returns the staged → final renames the bookmark commit will make. Run before
 * the commit point: a run on another machine (the next Lambda) can then publish or remove them.
 */
export async function stageOnS3(root: string, jobRunId: string, finals: readonly string[]): Promise<{ from: string; to: string }[]> {
  const local = localSinkStaging(jobRunId);
  const staging = s3SinkStaging(root, jobRunId);
  const renames = finals.map((to) => ({ to, relative: s3Relative(root, to) }));
  const store = await storeFor(root);
  let next = 0;
  const worker = async () => {
    while (next < renames.length) {
      const { relative } = renames[next++];
      await store.uploadFile(join(local, ...relative.split('/')), s3Join(staging, relative));
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, renames.length) }, worker));
  await rm(local, { recursive: true, force: true });
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason; // what was uploaded goes with the run's staging (abort or recovery)
  return renames.map(({ to, relative }) => ({ from: s3Join(staging, relative), to }));
}

/** Deletes every object under an s3:// staging prefix (nothing there is not an error). */
export async function removeS3Staging(staging: string): Promise<void> {
  const store = await storeFor(staging);
  const keys: string[] = [];
  for await (const object of store.list(staging)) keys.push(object.path);
  await store.delete(keys);
}
