import fg from 'fast-glob';
// @ts-expect-error: picomatch ships without type declarations (typed as Picomatch below)
import picomatchUntyped from 'picomatch';
import { SluiceError } from '../../types/ErrorRecord.js';
import { folderPrefix, parseS3Path, s3Uri } from '../store/s3Path.js';
import type { S3Store } from '../store/S3Store.js';
import { storeFor } from '../store/storeFor.js';
import { isHiddenSegment } from './listInputs.js';

type Matcher = (input: string) => boolean;
type Picomatch = (glob: string, options?: { dot?: boolean }) => Matcher;

/**
 * picomatch is the matcher fast-glob itself uses (through micromatch), so `s3://b/logs/*.csv`
 * matches keys exactly as `logs/*.csv` matches local paths. Imported statically, not through
 * createRequire, so that bundlers (esbuild, for a Lambda) see and include it.
 */
const picomatch = picomatchUntyped as Picomatch;

const visibleUnder = (base: string, key: string) => !key.slice(base.length).split('/').some(isHiddenSegment);

/** The key prefix a glob's matches share: its segments before the first one with a wildcard. */
function globPrefix(keyPattern: string): string {
  const segments = keyPattern.split('/');
  const firstDynamic = segments.findIndex((segment) => fg.isDynamicPattern(segment));
  return folderPrefix(segments.slice(0, firstDynamic).join('/'));
}

/**
 * The input objects an s3:// path names, as `listInputs` does for local paths: the object itself,
 * every visible object under a prefix taken as a folder, or the keys a glob matches. Sorted.
 */
export async function listS3Inputs(pathOrGlob: string): Promise<string[]> {
  const { bucket, key } = parseS3Path(pathOrGlob);
  const store = (await storeFor(pathOrGlob)) as S3Store;
  const keys: string[] = [];
  if (fg.isDynamicPattern(key)) {
    const base = globPrefix(key);
    const matches = picomatch(key, { dot: false });
    for await (const object of store.listPrefix(pathOrGlob, base)) {
      const objectKey = parseS3Path(object.path).key;
      if (matches(objectKey) && visibleUnder(base, objectKey)) keys.push(objectKey);
    }
  } else if (await store.stat(pathOrGlob)) {
    return [s3Uri(bucket, key)];
  } else {
    const base = folderPrefix(key);
    for await (const object of store.listPrefix(pathOrGlob, base)) {
      const objectKey = parseS3Path(object.path).key;
      if (visibleUnder(base, objectKey)) keys.push(objectKey);
    }
  }
  keys.sort();
  if (keys.length === 0) {
    throw new SluiceError(`No input files at ${pathOrGlob}: check the bucket, prefix (or glob) and that it holds visible objects`, { file: pathOrGlob });
  }
  return keys.map((k) => s3Uri(bucket, k));
}
