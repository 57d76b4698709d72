import { statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { isHiddenSegment } from '../../io/partitioning/listInputs.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { SourceBookmark, TrackedFile } from './BookmarkState.js';

/** A file a source could read; `root` is the folder it was found under (its partition base). */
export interface CandidateFile extends TrackedFile {
  root?: string;
}

/**
 * The files a source's paths name right now, with size and mtime — the same files the scan would
 * read (listInputs' rules: folders recursively, globs, `_`/`.` paths skipped). Synchronous,
 * because Glue's `createDynamicFrame.fromOptions` hands back a frame at once; a listing is cheap
 * next to reading. An existing empty folder gives no files; a path that does not exist is an error.
 */
export function listCandidates(paths: readonly string[]): CandidateFile[] {
  const out: CandidateFile[] = [];
  for (const path of paths) {
    if (fg.isDynamicPattern(path)) {
      const base = resolve(globBase(path));
      const found = fg.sync(path, { onlyFiles: true, absolute: true, dot: false, ignore: ['**/_temporary/**'] });
      for (const file of found) if (visibleUnder(base, file)) out.push(withStat(file));
      continue;
    }
    const info = statSync(path, { throwIfNoEntry: false });
    if (!info) throw new SluiceError(`No input files at ${path}: check the path (or glob) exists`, { file: path });
    if (info.isFile()) {
      out.push({ path: resolve(path), size: info.size, mtimeMs: info.mtimeMs });
      continue;
    }
    const root = resolve(path);
    const found = fg.sync('**/*', { cwd: root, onlyFiles: true, absolute: true, dot: false, ignore: ['**/_temporary/**'] });
    for (const file of found) if (visibleUnder(root, file)) out.push({ ...withStat(file), root });
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
 * The bookmark after a run that read every candidate not yet read: the high-water mark moves to
 * the listing time minus the band (never back), and the files newer than it are tracked one by
 * one. Files that vanished drop out.
 */
export function advanceBookmark(previous: SourceBookmark | undefined, candidates: readonly TrackedFile[], listedAtMs: number, maxBandMs: number): SourceBookmark {
  const highWaterMs = Math.max(previous?.highWaterMs ?? 0, listedAtMs - maxBandMs);
  const files = candidates.filter((f) => f.mtimeMs > highWaterMs).map(({ path, size, mtimeMs, etag }) => (etag === undefined ? { path, size, mtimeMs } : { path, size, mtimeMs, etag }));
  return { highWaterMs, files };
}

function withStat(file: string): TrackedFile {
  const info = statSync(file);
  return { path: resolve(file), size: info.size, mtimeMs: info.mtimeMs };
}

const visibleUnder = (folder: string, file: string) => !relative(folder, file).split(sep).some(isHiddenSegment);

/** The folder a glob starts from: its segments before the first one with a wildcard. */
function globBase(pattern: string): string {
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((segment) => segment !== '' && fg.isDynamicPattern(segment));
  return segments.slice(0, firstDynamic).join('/') || '.';
}
