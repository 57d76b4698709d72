import type { BookmarkStore } from './BookmarkStore.js';
import { BookmarkFolder, type BookmarkFolderOptions } from './BookmarkFolder.js';

/** The bookmark store of a state location: a local folder or an `s3://bucket/prefix`. */
export function openBookmarkStore(location: string, options: BookmarkFolderOptions = {}): BookmarkStore {
  return new BookmarkFolder(location, options);
}
