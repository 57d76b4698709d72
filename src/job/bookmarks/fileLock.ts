import { hostname } from 'node:os';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import type { BookmarkLock, LockOwner } from './BookmarkStore.js';
import { BookmarkLockedError } from './BookmarkStore.js';

/** A lock file with no readable owner this old is taken as left by a crash mid-creation. */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

/**
 * An exclusive lock file, created with `open(path, 'wx')` (fails if it exists) and holding its
 * owner. A lock whose owner process is gone (same host, pid not alive) is stale: it is removed
 * and taken. Two processes breaking the same stale lock at once could both succeed; the
 * revision check at commit still lets only one of them commit.
 */
export async function acquireFileLock(path: string, owner: LockOwner, what: string): Promise<BookmarkLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const text = JSON.stringify(owner);
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { owner, release: () => releaseIfOwned(path, text) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readOwner(path);
    if (holder === 'gone') continue;
    if (holder === 'unreadable' ? await olderThan(path, UNREADABLE_LOCK_GRACE_MS) : !isAlive(holder)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (holder === 'unreadable') throw new BookmarkLockedError(`${what} is locked by ${path}, which is being created; try again`);
    throw new BookmarkLockedError(
      `${what} is already running: run ${holder.runId} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt}); ` +
      `a job runs once at a time (Glue's max concurrency 1). If that process is gone, remove ${path}`,
      holder,
    );
  }
  throw new BookmarkLockedError(`${what}: could not take the lock ${path} after 3 attempts; another process keeps taking it`);
}

export function currentHost(): string {
  return hostname();
}

async function readOwner(path: string): Promise<LockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    return typeof owner.pid === 'number' ? owner : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** A holder on another host cannot be checked: it counts as alive. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host !== currentHost()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}

async function releaseIfOwned(path: string, text: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === text) await unlink(path).catch(() => undefined);
}
