import { createHash } from 'node:crypto';
import { storeFor } from '../io/store/storeFor.js';
import { baseName, joinPath } from '../io/store/storePath.js';
import { DataFrame } from '../frame/DataFrame.js';
import type { WriteSpec } from '../frame/DataFrameWriter.js';
import type { S3ObjectRef } from './s3Events.js';

/**
 * The objects a job has processed, kept as a tiny dataset beside the job's bookmark state:
 *
 *     <stateDir>/<job>/objects/object=<sha256>/part-….json    one JSON line per processed object
 *
 * It is written as one more sink of the run, so the bookmark commit publishes it in the same
 * atomic step as the job's output: an object is marked processed exactly when its output is
 * published. A check is one folder listing, whatever the number of objects processed before.
 */
export class ObjectLedger {
  constructor(readonly root: string) {}

  /** True when a committed run has processed this object (same bucket, key and version). */
  async has(object: S3ObjectRef): Promise<boolean> {
    const partition = `object=${objectId(object)}`;
    const folder = joinPath(this.root, partition);
    for await (const file of (await storeFor(folder)).list(folder)) {
      const name = baseName(file.path);
      if (!name.startsWith('_') && !name.startsWith('.')) return true;
    }
    return false;
  }

  /** The rows recording `objects` as processed by run `runId`. */
  entries(objects: readonly S3ObjectRef[], runId: string): DataFrame {
    const at = new Date().toISOString();
    return DataFrame.fromRows(objects.map((o) => ({
      object: objectId(o), bucket: o.bucket, key: o.key, version: objectVersion(o),
      etag: o.etag ?? null, sequencer: o.sequencer ?? null, size: o.size ?? null, run_id: runId, processed_at: at,
    })), LEDGER_SCHEMA);
  }

  /** Where `entries` go: JSON lines, partitioned by object id (the write stages; the commit publishes). */
  writeSpec(): WriteSpec {
    return { format: 'json', path: this.root, partitionKeys: ['object'] };
  }
}

const LEDGER_SCHEMA = {
  object: 'string', bucket: 'string', key: 'string', version: 'string', etag: 'string',
  sequencer: 'string', size: 'int64', run_id: 'string', processed_at: 'string',
};

/**
 * What tells one upload of a key from another. The version id (versioned buckets) or the ETag
 * (the content's hash) stay the same when S3 delivers an event again, so a re-delivery is
 * recognised; an overwrite with new content is a new object. The sequencer is the fallback.
 */
export function objectVersion(object: S3ObjectRef): string {
  if (object.versionId) return `version:${object.versionId}`;
  if (object.etag) return `etag:${object.etag.replace(/^"|"$/g, '')}`;
  if (object.sequencer) return `sequencer:${object.sequencer}`;
  return 'unversioned';
}

/** A fixed-length, path-safe id for an object version (keys may be 1 KiB of any characters). */
export function objectId(object: S3ObjectRef): string {
  return createHash('sha256').update(`${object.bucket}\0${object.key}\0${objectVersion(object)}`).digest('hex');
}
