import fg from 'fast-glob';
import { listS3Inputs } from '../../io/partitioning/listS3Inputs.js';
import { folderPrefix, parseS3Path, s3Uri } from '../../io/store/s3Path.js';
import { storeFor } from '../../io/store/storeFor.js';
import type { StoredObject } from '../../io/store/Store.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { CandidateFile } from './selectFiles.js';

/**
 * The objects an s3:// source names right now, as listCandidates does for local files: the same
 * objects the scan would read (listS3Inputs' rules), each with its size, LastModified as mtime,
 * and ETag. An object found under a prefix keeps that prefix as its `root` (its partition base).
 */
export async function listS3Candidates(path: string): Promise<CandidateFile[]> {
  const inputs = await listS3Inputs(path);
  const store = await storeFor(path);
  const { bucket, key } = parseS3Path(path);
  if (fg.isDynamicPattern(key)) {
    const listed = await listedUnder(s3Uri(bucket, staticPrefix(key)));
    return inputs.map((input) => candidate(listed.get(input) ?? missing(input)));
  }
  if (inputs.length === 1 && inputs[0] === s3Uri(bucket, key)) {
    const object = await store.stat(inputs[0]);
    return [candidate(object ?? missing(inputs[0]))];
  }
  const root = s3Uri(bucket, key).replace(/\/+$/, '');
  const listed = await listedUnder(root);
  return inputs.map((input) => ({ ...candidate(listed.get(input) ?? missing(input)), root }));
}

/** One listing of a folder, by path: sizes, times and ETags for the objects listS3Inputs chose. */
async function listedUnder(folder: string): Promise<Map<string, StoredObject>> {
  const listed = new Map<string, StoredObject>();
  for await (const object of (await storeFor(folder)).list(folder)) listed.set(object.path, object);
  return listed;
}

function candidate(object: StoredObject): CandidateFile {
  const { path, size, mtimeMs, etag } = object;
  return etag === undefined ? { path, size, mtimeMs } : { path, size, mtimeMs, etag };
}

/** An object listed by listS3Inputs and gone by the second listing: deleted in between. */
function missing(path: string): never {
  throw new SluiceError(`${path} was deleted while the bookmark listed its source; run the job again`, { file: path });
}

/** The folder a key glob starts from: its segments before the first one with a wildcard. */
function staticPrefix(keyPattern: string): string {
  const segments = keyPattern.split('/');
  const firstDynamic = segments.findIndex((segment) => fg.isDynamicPattern(segment));
  return folderPrefix(segments.slice(0, firstDynamic).join('/')).replace(/\/+$/, '');
}
