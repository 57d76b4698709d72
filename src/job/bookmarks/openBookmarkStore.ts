import { isS3Path } from '../../io/store/s3Path.js';
import type { BookmarkStore } from './BookmarkStore.js';
import { LocalBookmarkStore } from './LocalBookmarkStore.js';
import { S3BookmarkStore, type S3BookmarkStoreOptions } from './S3BookmarkStore.js';

/** The bookmark store of a state location: `s3://bucket/prefix` (S3BookmarkStore) or a local folder. */
export function openBookmarkStore(location: string, s3Options: S3BookmarkStoreOptions = {}): BookmarkStore {
  return isS3Path(location) ? new S3BookmarkStore(location, s3Options) : new LocalBookmarkStore(location);
}
