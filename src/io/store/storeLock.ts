import { hostname } from 'node:os';
import { SluiceError } from '../../types/ErrorRecord.js';
import { StorePreconditionError, type Store } from './Store.js';

/** Who holds a lock: written into the lock so a reader can tell a live holder from a dead one. */
export interface LockOwner {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
}

export interface StoreLock {
  readonly owner: LockOwner;
  /** Releases the lock if it is still this owner's (a lock broken as stale is left alone). */
  release(): Promise<void>;
}

/** Someone else holds the lock. */
export class StoreLockedError extends SluiceError {
  constructor(message: string, readonly holder?: LockOwner) {
    super(message);
    this.name = 'StoreLockedError';
  }
}

/** A lock with no readable owner this old is taken as left by a crash (a store that wrote part of it). */
const UNREADABLE_LOCK_GRACE_MS = 10_000;

const decoder = new TextDecoder();

export interface StoreLockOptions {
  /**
   * A lock older than this is taken as left by a run that died (a Lambda or container that is
   * gone cannot be asked). Default: never — remove the lock by hand.
   */
  staleLockMs?: number;
  /** Why a second holder is refused, for the message (default: a job runs once at a time). */
  rule?: string;
  /** The error to throw when the lock is held (default StoreLockedError). */
  locked?: (message: string, holder?: LockOwner) => Error;
}

/**
 * Takes an exclusive lock: a small file holding its owner, created only if absent (`put` with
 * `ifNoneMatch`: a hard link on a local disk, If-None-Match on S3). A lock whose owner process
 * is gone (same host, pid not alive) is stale: it is removed and taken. Where a store ignores
 * If-None-Match (older S3-compatible servers), the last PUT wins: the lock is read back to see
 * whose stands. Two runs breaking the same stale lock at once could both succeed; the revision
 * check at commit still lets only one of them commit.
 */
export async function takeStoreLock(store: Store, path: string, owner: LockOwner, what: string, options: StoreLockOptions = {}): Promise<StoreLock> {
  const text = JSON.stringify(owner);
  for (let attempt = 0; attempt < 3; attempt++) {
    const held = await store.get(path);
    if (held) {
      const holder = parseOwner(held.bytes);
      if (await isStale(store, path, holder, options)) {
        await store.delete([path]);
        continue;
      }
      throw lockedError(what, path, holder, options);
    }
    try {
      await store.put(path, text, { ifNoneMatch: '*' });
    } catch (e) {
      if (e instanceof StorePreconditionError) continue; // another run created it first
      throw e;
    }
    const standing = await store.get(path);
    if (standing && decoder.decode(standing.bytes) !== text) throw lockedError(what, path, parseOwner(standing.bytes), options);
    return {
      owner,
      release: async () => {
        await releaseIfHeldBy(store, path, text);
      },
    };
  }
  throw (options.locked ?? ((m: string) => new StoreLockedError(m)))(`${what}: could not take the lock ${path} after 3 attempts; another process keeps taking it`);
}

/** Removes the lock if it still holds `text` (a lock broken as stale and taken by another is left alone). */
export async function releaseIfHeldBy(store: Store, path: string, text: string | ((held: string) => boolean)): Promise<boolean> {
  const current = await store.get(path).catch(() => undefined);
  if (!current) return false;
  const held = decoder.decode(current.bytes);
  if (typeof text === 'string' ? held !== text : !text(held)) return false;
  await store.delete([path]).catch(() => undefined);
  return true;
}

export function currentHost(): string {
  return hostname();
}

async function isStale(store: Store, path: string, holder: LockOwner | undefined, options: StoreLockOptions): Promise<boolean> {
  if (holder && holder.host === currentHost() && !isAlive(holder.pid)) return true;
  const limit = holder ? options.staleLockMs : Math.min(options.staleLockMs ?? Infinity, UNREADABLE_LOCK_GRACE_MS);
  if (limit === undefined) return false;
  const info = await store.stat(path);
  return info !== undefined && Date.now() - info.mtimeMs > limit;
}

function parseOwner(bytes: Uint8Array): LockOwner | undefined {
  try {
    const owner = JSON.parse(decoder.decode(bytes)) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

function lockedError(what: string, path: string, holder: LockOwner | undefined, options: StoreLockOptions): Error {
  const who = holder ? `run ${holder.runId} (pid ${holder.pid} on ${holder.host}, started ${holder.startedAt})` : 'an unreadable lock';
  const rule = options.rule ?? "a job runs once at a time (Glue's max concurrency 1)";
  const message = `${what} is already running: ${who}; ${rule}. If that run is gone, delete ${path}`;
  return options.locked ? options.locked(message, holder) : new StoreLockedError(message, holder);
}

/** A process on this host that no longer exists cannot hold a lock. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
