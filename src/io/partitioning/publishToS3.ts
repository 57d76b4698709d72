import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { parseS3Path, s3Join, s3Relative } from '../store/s3Path.js';
import { storeFor } from '../store/storeFor.js';
import type { SaveMode } from './commit.js'; // type only: no import cycle at run time
import { isHiddenSegment } from './listInputs.js';

/**
 * Files uploaded at once; each large one also sends its parts 4 at a time (S3Settings.queueSize).
 * S3 PUTs are latency bound (tens of ms each), so several go at once; against s3rver on loopback
 * (CPU bound, 2 cores) 590 small objects took 1.8 s more than a local write with 4, 2.4 s with 16.
 */
const UPLOADS_IN_FLIGHT = 8;

/**
 * Where a write to an s3:// root stages its part files: a local temp folder (S3 has no rename, so
 * staging under the bucket would cost a copy per file at commit).
 */
export const s3StagingFolder = (jobRunId: string): string => join(tmpdir(), 'sluice-s3-staging', jobRunId);

/** The visible objects under an s3:// root (none under `_`/`.`-prefixed segments), as full paths; at most `limit`. */
export async function visibleS3Objects(root: string, limit = Infinity): Promise<string[]> {
  const store = await storeFor(root);
  const visible: string[] = [];
  for await (const object of store.list(root)) {
    if (!s3Relative(root, object.path).split('/').some(isHiddenSegment)) visible.push(object.path);
    if (visible.length >= limit) break;
  }
  return visible;
}

/** The s3:// path a staged file is published to: its path under the staging folder, under `root`. */
export function s3TargetOf(root: string, staging: string, staged: string): string {
  return s3Join(root, relative(staging, staged).split(sep).join('/'));
}

/**
 * Publishes staged local part files under an s3:// root: every file is uploaded to its final key
 * (multipart above the part size), then — with `overwrite` — the objects the root showed before
 * are deleted, then `_SUCCESS` is written. Deleting after the uploads (not before, as a local
 * commit does) means a failed run leaves the old data whole. On failure every key of this run is
 * deleted (part files carry the run id, so none belonged to anyone else) and the error rethrown.
 * S3 has no multi-object rename: readers listing during the commit may see part of it.
 */
export async function publishToS3(root: string, staging: string, stagedFiles: string[], mode: SaveMode): Promise<string[]> {
  parseS3Path(root);
  const store = await storeFor(root);
  const targets = stagedFiles.map((staged) => s3TargetOf(root, staging, staged));
  const before = mode === 'overwrite' ? await visibleS3Objects(root) : [];
  try {
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (next < stagedFiles.length && !failed) {
        const i = next++;
        await store.uploadFile(stagedFiles[i], targets[i]).catch((e: unknown) => {
          failed = true; // the other workers stop taking files: all of them are deleted anyway
          throw e;
        });
      }
    };
    const results = await Promise.allSettled(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, stagedFiles.length) }, worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
    if (mode === 'overwrite') {
      const kept = new Set(targets);
      await store.delete(before.filter((path) => !kept.has(path)));
    }
    await store.put(s3Join(root, '_SUCCESS'), '');
  } catch (error) {
    await store.delete(targets).catch((cleanup: unknown) => {
      throw new SluiceError(
        `Publishing to ${root} failed (${String(error)}) and so did removing this run's files (${String(cleanup)}): ` +
          `delete the keys ${targets.slice(0, 3).join(', ')}${targets.length > 3 ? ` and ${targets.length - 3} more` : ''} by hand`,
        { file: root },
      );
    });
    throw error;
  }
  return targets;
}
