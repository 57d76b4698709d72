import { SluiceError } from '../../types/ErrorRecord.js';
import type { StoredObject } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';

/**
 * Reads one input file (or a part of it) as of one snapshot: its size, mtime and (S3) ETag are
 * taken before the read and compared after it. A file truncated, appended to, replaced or deleted
 * meanwhile fails the read, naming the file, instead of handing on a cut last line as a row or
 * rows from two versions. `atLeast`: the part's end, which a file shorter than that cannot hold.
 */
export async function* readUnchanged<T>(path: string, read: () => AsyncIterable<T>, options: { atLeast?: number } = {}): AsyncIterable<T> {
  const store = await storeFor(path);
  const before = await store.stat(path);
  if (before && options.atLeast !== undefined && before.size < options.atLeast) {
    throw changed(path, `it is ${before.size} bytes now, shorter than the ${options.atLeast} it had when the job listed it`);
  }
  yield* read();
  if (!before) return; // not a stored file (nothing to compare)
  const after = await store.stat(path);
  const what = describeChange(before, after);
  if (what) throw changed(path, what);
}

function describeChange(before: StoredObject, after: StoredObject | undefined): string | undefined {
  if (!after) return 'it was deleted';
  if (after.size !== before.size) return `its size went from ${before.size} to ${after.size} bytes`;
  if (after.mtimeMs !== before.mtimeMs || after.etag !== before.etag) return 'it was rewritten (new modification time or ETag)';
  return undefined;
}

function changed(path: string, what: string): SluiceError {
  return new SluiceError(`Input ${path} changed while it was read: ${what}. Run the job again once the file is complete`, { file: path });
}
