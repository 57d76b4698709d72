import { findInputs, findInputsSync, type FoundInputs } from '../../io/partitioning/listInputs.js';
import { localStoreFor } from '../../io/store/storeFor.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { SourceBookmark, TrackedFile } from './BookmarkState.js';

/** A file a source could read; `root` is the folder it was found under (its partition base). */
export interface CandidateFile extends TrackedFile {
  root?: string;
}

/**
 * The files a source's paths name right now, local or `s3://` — the same files the scan would
 * read (listInputs' rules: folders recursively, globs, `_`/`.` paths skipped) — with size, mtime
 * and (S3) ETag. An existing empty folder gives no files; a path that does not exist is an error.
 */
export async function listCandidates(paths: readonly string[]): Promise<CandidateFile[]> {
  const found = await Promise.all(paths.map(async (path) => ({ path, found: await findInputs(path) })));
  return candidatesOf(found);
}

/**
 * `listCandidates` at once, when every path is on a local disk (Glue's `createDynamicFrame`
 * hands back a frame synchronously); undefined when one is in a remote store.
 */
export function listCandidatesNow(paths: readonly string[]): CandidateFile[] | undefined {
  const stores = paths.map(localStoreFor);
  if (!stores.every((store) => store !== undefined)) return undefined;
  return candidatesOf(paths.map((path, i) => ({ path, found: findInputsSync(path, stores[i]!) })));
}

function candidatesOf(listed: readonly { path: string; found: FoundInputs | undefined }[]): CandidateFile[] {
  const out: CandidateFile[] = [];
  for (const { path, found } of listed) {
    if (!found) throw new SluiceError(`No input files at ${path}: check the path (or glob) exists`, { file: path });
    for (const { path: file, size, mtimeMs, etag } of found.files) {
      out.push({ path: file, size, mtimeMs, ...(etag === undefined ? {} : { etag }), ...(found.folder === undefined ? {} : { root: found.folder }) });
    }
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return out;
}

/** True when the bookmark counts the file as read: old enough, or tracked with the same size, mtime (and ETag). */
export function isRead(bookmark: SourceBookmark | undefined, file: TrackedFile, tracked = trackedIndex(bookmark)): boolean {
  if (!bookmark) return false;
  if (file.mtimeMs <= bookmark.highWaterMs) return true;
  const seen = tracked.get(file.path);
  return seen !== undefined && seen.size === file.size && seen.mtimeMs === file.mtimeMs && seen.etag === file.etag;
}

export function trackedIndex(bookmark: SourceBookmark | undefined): Map<string, TrackedFile> {
  return new Map((bookmark?.files ?? []).map((f) => [f.path, f]));
}

/**
 * The bookmark after a run that read every candidate not yet read but `left` (what a bounded run
 * leaves for the next): the high-water mark moves to the listing time minus the band (never
 * back), but stays below the oldest file left, and the files newer than it are tracked one by
 * one, the files left excepted. Files that vanished drop out.
 */
export function advanceBookmark(previous: SourceBookmark | undefined, candidates: readonly TrackedFile[], listedAtMs: number, maxBandMs: number, left: readonly TrackedFile[] = []): SourceBookmark {
  const oldestLeft = left.reduce((min, f) => Math.min(min, f.mtimeMs), Infinity);
  // An unread file is newer than the previous mark, so this never moves the mark back.
  const highWaterMs = Math.max(previous?.highWaterMs ?? 0, Math.min(listedAtMs - maxBandMs, oldestLeft - 1));
  const leftPaths = new Set(left.map((f) => f.path));
  const files = candidates
    .filter((f) => f.mtimeMs > highWaterMs && !leftPaths.has(f.path))
    .map(({ path, size, mtimeMs, etag }) => (etag === undefined ? { path, size, mtimeMs } : { path, size, mtimeMs, etag }));
  return { highWaterMs, files };
}

/** Glue's bounded execution: at most `files` files, or `bytes` bytes (at least one file), per run. */
export interface ReadBound {
  files?: number;
  bytes?: number;
}

/**
 * The unread files a bounded run takes, oldest first (then by path), and those it leaves for
 * the next run. Without a bound it takes them all.
 */
export function boundSelection<F extends TrackedFile>(unread: readonly F[], bound: ReadBound = {}): { taken: F[]; left: F[] } {
  if (bound.files === undefined && bound.bytes === undefined) return { taken: [...unread], left: [] };
  const ordered = [...unread].sort((a, b) => a.mtimeMs - b.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let count = 0;
  let bytes = 0;
  for (const file of ordered) {
    if (bound.files !== undefined && count >= bound.files) break;
    if (bound.bytes !== undefined && count > 0 && bytes + file.size > bound.bytes) break;
    count++;
    bytes += file.size;
  }
  const taken = ordered.slice(0, count).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { taken, left: ordered.slice(count) };
}
