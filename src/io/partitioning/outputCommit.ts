import { randomUUID } from 'node:crypto';
import { checkInsideRoots } from './insideRoot.js';
import type { Store } from '../store/Store.js';
import { dirname } from 'node:path';
import { STAGING_SUFFIX, stagingRootOf } from '../store/stagingFolder.js';
import { storeFor } from '../store/storeFor.js';
import { currentHost, releaseIfHeldBy, takeStoreLock, type StoreLock } from '../store/storeLock.js';
import { absolutePath, joinPath, relativePath } from '../store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { applyPending, removeStaging, type PendingCommit } from './applyPending.js';
import { crashPoint } from './crashPoint.js';
import { syncStaged } from './syncAll.js';

/**
 * The commit of plain (not bookmarked) writes, with the roll-forward bookmarks use
 * (applyPending): a write stages its files in `<parent>/.<name>.sluice-staging/<run>/` (beside the root:
 * io/store/stagingFolder.ts), then puts a manifest
 * — the renames to make and, with overwrite, that the rest goes — atomically through the Store.
 * That put is the commit point: before it the run never happened (the next write to the root
 * removes its staging), after it the run happened (whoever gets there first, this run or the
 * next write after a crash, applies it; applying twice is harmless).
 *
 * A run writing several roots (a job spec's sinks) first puts a `prepared` copy of the manifest
 * in every root but the first, naming the first root's manifest as the commit point, so the
 * recovery of any of its roots can tell whether the run committed.
 */

const LOCK = 'lock.json';
const manifestPath = (root: string, runId: string) => joinPath(stagingRootOf(root), `${runId}.commit.json`);
const preparedPath = (root: string, runId: string) => joinPath(stagingRootOf(root), `${runId}.prepared.json`);

interface Prepared {
  commitPoint: string;
  pending: PendingCommit;
}

/**
 * Staging folders of bookmarked runs are named after the run (`jr_…`): the job's bookmark state
 * lists them and its recovery finishes or removes them, so a plain write leaves them alone.
 */
const isBookmarkStaging = (name: string): boolean => name.startsWith('jr_');

/** A write's hold on its output root, from before it stages to after it has published. */
export interface OutputClaim {
  root: string;
  release(): Promise<void>;
}

/**
 * Takes the lock of an output root (`lock.json` in its staging folder, created only if absent) and
 * then finishes or undoes what an earlier write that died left there. A second write to the root
 * while this one runs is refused: two overwrites would otherwise both publish (doubling the rows),
 * and one's recovery could take the other's staging for a dead run's.
 */
export async function claimOutput(root: string, runId: string = randomUUID()): Promise<OutputClaim> {
  const base = absolutePath(root);
  const store = await storeFor(base);
  const lock: StoreLock = await takeStoreLock(
    store, joinPath(stagingRootOf(base), LOCK),
    { pid: process.pid, host: currentHost(), runId, startedAt: new Date().toISOString() },
    `A write to ${base}`,
    { rule: 'one write to an output path runs at a time (two would mix or double their rows)' },
  );
  try {
    await recoverOutput(base);
  } catch (e) {
    await lock.release();
    throw e;
  }
  return {
    root: base,
    release: async () => {
      await lock.release();
      await store.removeEmptyFolder(stagingRootOf(base));
    },
  };
}

/** Claims several roots (sorted, so two runs never wait on each other's); all or none. */
export async function claimOutputs(roots: readonly string[], runId: string): Promise<OutputClaim[]> {
  const claims: OutputClaim[] = [];
  try {
    for (const root of [...new Set(roots.map((r) => absolutePath(r)))].sort()) claims.push(await claimOutput(root, runId));
    return claims;
  } catch (e) {
    await releaseAll(claims);
    throw e;
  }
}

/**
 * Releases the output locks a run that died still holds: the lock of each output whose staging
 * folder is among `stagingFolders`, when its holder is `runId`. A bookmarked run's recovery calls
 * it (it knows, holding the job's lock, that the run is gone): without it, a run killed after its
 * commit left its outputs locked, and on another host (a Lambda, a container) the lock's pid
 * cannot be checked, so the next write to them was refused for good.
 */
export async function releaseClaimsOf(runId: string, stagingFolders: readonly string[]): Promise<void> {
  const folders = new Set(stagingFolders.map((staging) => dirname(staging)).filter((folder) => folder.endsWith(STAGING_SUFFIX)));
  for (const folder of folders) {
    const store = await storeFor(folder);
    await releaseIfHeldBy(store, joinPath(folder, LOCK), (held) => lockRunId(held) === runId);
    await store.removeEmptyFolder(folder);
  }
}

function lockRunId(held: string): string | undefined {
  try {
    return (JSON.parse(held) as { runId?: string }).runId;
  } catch {
    return undefined;
  }
}

export async function releaseAll(claims: readonly OutputClaim[]): Promise<void> {
  for (const claim of claims) await claim.release().catch(() => undefined);
}

/**
 * Brings an output root to rest; call it holding the root's lock. Committed runs are rolled
 * forward; prepared ones whose commit point is missing never committed and are undone; staging
 * folders with no manifest belong to runs that died before their commit point and are removed.
 */
export async function recoverOutput(root: string): Promise<void> {
  const base = absolutePath(root);
  const store = await storeFor(base);
  const folder = stagingRootOf(base);
  const names = new Set<string>();
  for await (const object of store.list(folder)) names.add(relativePath(folder, object.path).split('/')[0]);
  for (const name of names) {
    if (name.endsWith('.commit.json')) {
      const pending = await readJson<PendingCommit>(store, joinPath(folder, name));
      if (pending) await finish(pending);
    }
  }
  for (const name of names) {
    if (!name.endsWith('.prepared.json')) continue;
    const prepared = await readJson<Prepared>(store, joinPath(folder, name));
    if (!prepared) continue;
    const committed = await (await storeFor(prepared.commitPoint)).stat(prepared.commitPoint);
    if (committed) {
      await finish(prepared.pending);
    } else {
      for (const output of prepared.pending.outputs) if (output.root === base) await removeStaging(output.staging);
      await store.delete([joinPath(folder, name)]);
    }
  }
  for (const name of names) {
    if (name === LOCK || name.endsWith('.json') || isBookmarkStaging(name)) continue;
    await store.deleteFolder(joinPath(folder, name));
  }
}

/** Applies a committed run, then removes its manifests: the prepared ones, the commit point last. */
async function finish(pending: PendingCommit): Promise<void> {
  await applyPending(pending);
  const [primary, ...others] = rootsOf(pending);
  for (const root of others) await (await storeFor(root)).delete([preparedPath(root, pending.runId)]);
  await (await storeFor(primary)).delete([manifestPath(primary, pending.runId)]);
}

const rootsOf = (pending: PendingCommit): string[] => [...new Set(pending.outputs.map((o) => o.root))].sort();

/**
 * Commits a run's staged outputs (call it holding every root's claim): the staged bytes are made
 * durable, the prepared manifests and then the commit point are put, and the renames applied.
 * A failure before the commit point removes the run's staging; after it, the error says the
 * next write to the output finishes the commit.
 */
export async function commitOutputs(pending: PendingCommit): Promise<void> {
  const [primary, ...others] = rootsOf(pending);
  const commitPoint = manifestPath(primary, pending.runId);
  let committed = false;
  try {
    await checkInsideRoots(pending);
    await syncStaged(pending);
    for (const root of others) {
      await (await storeFor(root)).put(preparedPath(root, pending.runId), JSON.stringify({ commitPoint, pending } satisfies Prepared));
    }
    crashPoint('before-manifest');
    await (await storeFor(primary)).put(commitPoint, JSON.stringify(pending));
    committed = true;
    crashPoint('after-manifest');
    await finish(pending);
  } catch (error) {
    if (committed) {
      throw new CommittedError(
        `The write to ${primary} committed but could not finish publishing (${error instanceof Error ? error.message : String(error)}); ` +
        `the next write to ${primary} finishes it`,
        { file: primary },
      );
    }
    await abortOutputs(pending).catch(() => undefined);
    throw error;
  }
}

/** A run that passed its commit point but did not finish publishing: the next write to the output does. */
export class CommittedError extends SluiceError {
  constructor(message: string, options: { file: string }) {
    super(message, options);
    this.name = 'CommittedError';
  }
}

/** Removes an uncommitted run's staging and prepared manifests. */
export async function abortOutputs(pending: PendingCommit): Promise<void> {
  for (const output of pending.outputs) await removeStaging(output.staging);
  for (const root of rootsOf(pending)) await (await storeFor(root)).delete([preparedPath(root, pending.runId)]);
}

async function readJson<T>(store: Store, path: string): Promise<T | undefined> {
  const held = await store.get(path);
  if (!held) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(held.bytes)) as T;
  } catch (e) {
    throw new SluiceError(`The commit manifest ${path} is unreadable (${String(e)}): the store did not write it whole; inspect and remove it by hand`, { file: path });
  }
}
