import { isDynamicPattern } from './fastGlob.js';
import { LocalStore } from './LocalStore.js';
import { isS3Path } from './s3Path.js';
import { currentS3Settings } from './s3Settings.js';
import type { Store } from './Store.js';

const local = new LocalStore();
let s3: { key: string; store: Promise<Store> } | undefined;

/**
 * The store a path lives in. The AWS SDK is imported on the first s3:// path only, so jobs on
 * local files (and Lambda cold starts) never load it. One S3 client per settings in force.
 */
export function storeFor(path: string): Promise<Store> {
  if (!isS3Path(path)) return Promise.resolve(local);
  const settings = currentS3Settings();
  const key = JSON.stringify(settings);
  if (s3?.key !== key) {
    const store = import('./S3Store.js').then(({ S3Store }) => S3Store.create(settings));
    s3 = { key, store };
    store.catch(() => {
      if (s3?.store === store) s3 = undefined; // let the next call try again
    });
  }
  return s3.store;
}

/** The local store for a local path, at once; undefined for a path in a remote store (s3://). */
export function localStoreFor(path: string): LocalStore | undefined {
  return isS3Path(path) ? undefined : local;
}

/** True when a path names a folder (an S3 prefix holding objects); false for files, globs and nothing. */
export async function isFolderPath(path: string): Promise<boolean> {
  if (isS3Path(path) && isDynamicPattern(path)) return false;
  return (await (await storeFor(path)).kind(path)) === 'folder';
}
