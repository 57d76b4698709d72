import { SluiceError } from '../types/ErrorRecord.js';
import type { IgnoredRecord, S3ObjectRef } from './s3Events.js';

/**
 * Which objects of an event a handler acts on. An event is input from outside (anyone who can
 * send to the queue, or make a bucket notify the function), so its bucket and key are checked
 * before they go near a read: only buckets and prefixes the handler is configured for, no folder
 * markers (`h/`), and no `.`/`..`/empty segments, which a path-style URL or a local path would
 * resolve to another object (`%2e%2e/other/secret.csv`). Refused objects are ignored (listed in
 * the summary, not retried: a retry would not change them).
 */
export function screenObjects(objects: readonly S3ObjectRef[], sources: readonly string[]): { accepted: S3ObjectRef[]; refused: IgnoredRecord[] } {
  const allowed = sources.map(parseSource);
  const accepted: S3ObjectRef[] = [];
  const refused: IgnoredRecord[] = [];
  for (const object of objects) {
    const why = refusal(object, allowed, sources);
    if (why) refused.push({ reason: why, eventName: object.eventName, bucket: object.bucket, key: object.key });
    else accepted.push(object);
  }
  return { accepted, refused };
}

function refusal(object: S3ObjectRef, allowed: { bucket: string; prefix: string }[], sources: readonly string[]): string | undefined {
  const { bucket, key } = object;
  if (key.endsWith('/')) return 'a folder marker (key ending in /), not an object';
  if (key === '' || key.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) {
    return "the key has an empty, '.' or '..' segment, which would resolve to another object";
  }
  if (/[\u0000-\u001f]/.test(key)) return 'the key has control characters';
  if (!allowed.some((s) => s.bucket === bucket && key.startsWith(s.prefix))) {
    return `s3://${bucket}/${key} is not under the handler's sources (${sources.join(', ')})`;
  }
  return undefined;
}

/** `s3://bucket/` or `s3://bucket/prefix/` (a prefix is matched as given: end it with `/` for a folder). */
function parseSource(source: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(source);
  if (!m) throw new SluiceError(`createS3EventHandler: sources entry '${source}' must be s3://bucket/ or s3://bucket/prefix/`);
  return { bucket: m[1], prefix: m[2] };
}

/** The sources option, else env SLUICE_SOURCES (comma-separated); one is required. */
export function sourcesOf(option: readonly string[] | undefined): readonly string[] {
  const sources = option ?? (process.env.SLUICE_SOURCES ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (sources.length === 0) {
    throw new SluiceError(
      "createS3EventHandler: no sources: set the sources option (or env SLUICE_SOURCES) to the buckets and prefixes the function may read, e.g. ['s3://landing/orders/']; an event naming anything else is ignored",
    );
  }
  sources.forEach(parseSource);
  return sources;
}
