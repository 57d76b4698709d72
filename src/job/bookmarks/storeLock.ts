import type { Store } from '../../io/store/Store.js';
import { takeStoreLock as takeLock, type LockOwner, type StoreLock, type StoreLockOptions } from '../../io/store/storeLock.js';
import { BookmarkLockedError } from './BookmarkStore.js';

export { currentHost, releaseIfHeldBy, type StoreLockOptions } from '../../io/store/storeLock.js';

/** The store's lock (io/store/storeLock.ts), refusing a second holder with a BookmarkLockedError. */
export function takeStoreLock(store: Store, path: string, owner: LockOwner, what: string, options: StoreLockOptions = {}): Promise<StoreLock> {
  return takeLock(store, path, owner, what, { ...options, locked: (message, holder) => new BookmarkLockedError(message, holder) });
}
