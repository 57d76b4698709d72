import type { StoredObject } from '../../io/store/Store.js';
import type { Classification } from './Classification.js';
import type { Compression } from './sampleFile.js';

/** One crawled file: where it is (relative to the include path) and what its classifier said. */
export interface CrawledFile {
  object: StoredObject;
  /** '/'-separated path under the include path. */
  relative: string;
  compression: Compression;
  classification: Classification;
}

/** A folder of the lake under the include path: its files and subfolders. */
export interface LakeFolder {
  /** '/'-separated path under the include path ('' for the include path itself). */
  relative: string;
  name: string;
  files: CrawledFile[];
  folders: Map<string, LakeFolder>;
}

/** The folder tree of the classified files (folders holding none are not in it). */
export function buildTree(files: readonly CrawledFile[], rootName: string): LakeFolder {
  const root: LakeFolder = { relative: '', name: rootName, files: [], folders: new Map() };
  for (const file of files) {
    const segments = file.relative.split('/');
    let folder = root;
    for (const segment of segments.slice(0, -1)) {
      let next = folder.folders.get(segment);
      if (!next) {
        next = { relative: folder.relative ? `${folder.relative}/${segment}` : segment, name: segment, files: [], folders: new Map() };
        folder.folders.set(segment, next);
      }
      folder = next;
    }
    folder.files.push(file);
  }
  return root;
}

/** Every file below a folder, in path order. */
export function filesBelow(folder: LakeFolder): CrawledFile[] {
  const out: CrawledFile[] = [...folder.files];
  for (const sub of folder.folders.values()) out.push(...filesBelow(sub));
  return out.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

/**
 * What must match for files to share a table, whatever their schemas (GDG crawler-configuration.md:
 * "same format, same compression" and, for CSV, the delimiter and header).
 */
export function compatibilityKey(file: CrawledFile): string {
  const { classification, parameters } = file.classification;
  const facts = Object.entries(parameters).filter(([key]) => key !== 'avro.schema.literal').sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([classification, file.compression, facts]);
}
