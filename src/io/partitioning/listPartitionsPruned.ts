import type { Store, StoredObject } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';
import { absolutePath, joinPath } from '../store/storePath.js';
import { forEachInParallel } from './inParallel.js';
import { parsePartitionSegment } from './hivePath.js';
import { isHiddenSegment } from './listInputs.js';

/**
 * Which partition folders of one level to descend into: given the keys from the root down to
 * this level and, for each folder, its values for them (null: the default partition), one flag
 * per folder. Handed down by exec/ (the scan's predicate); io/ evaluates nothing itself.
 */
export type PartitionFolderFilter = (keys: string[], values: (string | null)[][]) => boolean[];

/** What a pruned listing found, and what it spared. */
export interface PrunedListing {
  /** The visible files under the kept partitions, in path order. */
  files: StoredObject[];
  /** Partition folders ruled out before they were listed (a pruned year counts once, whatever it holds). */
  foldersPruned: number;
  /** Folders listed (one `readdir` or one delimited ListObjectsV2 walk each). */
  foldersListed: number;
  /** With every partition pruned: one file of the first pruned folder holding one, so the scan still knows its columns and keys. */
  sample?: StoredObject;
}

/** Folders listed at once (S3 round trips overlap; a local disk barely notices). */
const LIST_CONCURRENCY = 8;

/**
 * Lists a Hive-partitioned folder level by level (Store.listLevel), descending only into the
 * `k=v` folders `keep` accepts, so a filter on `year = 2024` over ten years never lists the other
 * years. A level that is not a clean partition level (files beside the folders, folders that are
 * not `k=v`, or keys that differ) is listed whole below it, as an unpruned read would be, so the
 * usual checks (discoverPartitions) see the same files and report the same errors. Hidden
 * (`_`/`.`) entries are skipped as everywhere.
 */
export async function listPartitionsPruned(root: string, keep: PartitionFolderFilter): Promise<PrunedListing> {
  const base = absolutePath(root);
  const store = await storeFor(base);
  const found: StoredObject[] = [];
  const pruned: string[] = [];
  let foldersListed = 0;

  const walk = async (folder: string, keys: string[], values: (string | null)[]): Promise<void> => {
    const level = await store.listLevel(folder);
    foldersListed++;
    const files = level.files.filter((file) => !isHiddenSegment(file.path.slice(file.path.lastIndexOf('/') + 1)));
    const folders = level.folders.filter((name) => !isHiddenSegment(name));
    found.push(...files);
    const segments = folders.map(parsePartitionSegment);
    const key = segments[0]?.key;
    const clean = folders.length > 0 && files.length === 0 && segments.every((segment) => segment !== undefined && segment.key === key);
    if (!clean) {
      await forEachInParallel(folders, LIST_CONCURRENCY, async (name) => {
        found.push(...(await listVisible(store, joinPath(folder, name))));
      });
      return;
    }
    const levelKeys = [...keys, key!];
    const mask = keep(levelKeys, segments.map((segment) => [...values, segment!.value]));
    const kept = folders.flatMap((name, i) => {
      if (mask[i]) return [{ name, value: segments[i]!.value }];
      pruned.push(joinPath(folder, name));
      return [];
    });
    await forEachInParallel(kept, LIST_CONCURRENCY, ({ name, value }) => walk(joinPath(folder, name), levelKeys, [...values, value]));
  };

  await walk(base, [], []);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const sample = found.length === 0 ? await firstVisibleUnderAny(store, pruned.sort()) : undefined;
  return { files: found, foldersPruned: pruned.length, foldersListed, ...(sample ? { sample } : {}) };
}

async function listVisible(store: Store, folder: string): Promise<StoredObject[]> {
  const visible: StoredObject[] = [];
  for await (const object of store.list(folder)) if (isVisibleUnder(folder, object.path)) visible.push(object);
  return visible;
}

/** The first visible file under the first of `folders` that holds one (a pruned folder may be empty). */
async function firstVisibleUnderAny(store: Store, folders: readonly string[]): Promise<StoredObject | undefined> {
  for (const folder of folders) {
    const file = await firstVisible(store, folder);
    if (file) return file;
  }
  return undefined;
}

/** The first visible file under a folder: one page of a listing, not the whole subtree (S3). */
async function firstVisible(store: Store, folder: string): Promise<StoredObject | undefined> {
  for await (const object of store.list(folder)) if (isVisibleUnder(folder, object.path)) return object;
  return undefined;
}

const isVisibleUnder = (folder: string, path: string): boolean => !path.slice(folder.length + 1).split('/').some(isHiddenSegment);
