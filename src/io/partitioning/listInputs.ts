import { isDynamicPattern } from '../store/fastGlob.js';
import { createRequire } from 'node:module';
import type Picomatch from 'picomatch';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { LocalStore } from '../store/LocalStore.js';
import type { StoredObject } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';
import { absolutePath, relativePath } from '../store/storePath.js';
import { literalInput, type PathMode } from './pathMode.js';

// picomatch is CommonJS: required where a glob first needs it, so a plain path never loads it.
const picomatch = (pattern: string, options: Parameters<typeof Picomatch>[1]) => (createRequire(import.meta.url)('picomatch') as typeof Picomatch)(pattern, options);

/**
 * Paths readers skip, as Spark and Glue do: names starting with `.` or `_` (`_SUCCESS`,
 * `_temporary/`, `.crc`), except `_`-prefixed partition folders such as `_col=1`.
 */
export const isHiddenSegment = (segment: string): boolean =>
  segment.startsWith('.') || (segment.startsWith('_') && !segment.includes('='));

/** True when no segment of a '/'-separated relative path is hidden. */
export const isVisible = (relative: string): boolean => !relative.split('/').some(isHiddenSegment);

/** The files a path names, as `findInputs` found them. */
export interface FoundInputs {
  files: StoredObject[];
  /** Set when the path named a folder: the files were found under it (their partition base). */
  folder?: string;
}

/**
 * A glob as the folder to list and the test its files must pass: the folder is its segments
 * before the first with a wildcard; the rest is matched by picomatch, the matcher fast-glob
 * itself uses, so local paths and S3 keys match as fast-glob would match them. Undefined for a
 * path without wildcards.
 */
function globQuery(pattern: string): { root: string; accepts: (object: StoredObject) => boolean } | undefined {
  if (!isDynamicPattern(pattern)) return undefined;
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((segment) => segment !== '' && isDynamicPattern(segment));
  const root = absolutePath(segments.slice(0, firstDynamic).join('/') || '.');
  const matches = picomatch(segments.slice(firstDynamic).join('/'), { dot: false });
  return {
    root,
    accepts: (object) => {
      const relative = relativePath(root, object.path);
      return matches(relative) && isVisible(relative);
    },
  };
}

const visibleUnder = (folder: string) => (object: StoredObject): boolean => isVisible(relativePath(folder, object.path));

/**
 * The input files a path names — local or `s3://` alike: the file itself, every visible file
 * under a folder (recursively), or the visible matches of a glob (`data/*.json.gz`,
 * `s3://b/logs/**\/2024-*.csv`), in path order, with size, mtime and (S3) ETag. Undefined when
 * the path is neither a file nor a folder; an empty folder or a glob that matches nothing gives
 * no files. `mode` (pathMode.ts): `literal` takes exactly the one file or object named, `glob`
 * matches even when a file has the pattern's name.
 */
export async function findInputs(pathOrGlob: string, mode: PathMode = 'auto'): Promise<FoundInputs | undefined> {
  if (mode === 'literal') return { files: [await literalInput(pathOrGlob)] };
  const store = await storeFor(pathOrGlob);
  // A path naming an existing file or object is that file, glob characters or not (`data[1].csv`).
  const named = mode === 'auto' && isDynamicPattern(pathOrGlob) ? await store.stat(pathOrGlob) : undefined;
  if (named) return { files: [named] };
  const glob = globQuery(pathOrGlob);
  if (glob) return { files: await collect(store.list(glob.root), glob.accepts) };
  const file = await store.stat(pathOrGlob);
  if (file) return { files: [file] };
  const folder = absolutePath(pathOrGlob);
  const files = await collect(store.list(folder), visibleUnder(folder));
  if (files.length === 0 && (await store.kind(folder)) === 'missing') return undefined;
  return { files, folder };
}

/** `findInputs` on a local disk, synchronously (see LocalStore.listSync). */
export function findInputsSync(pathOrGlob: string, store: LocalStore): FoundInputs | undefined {
  const named = isDynamicPattern(pathOrGlob) ? store.statSync(pathOrGlob) : undefined;
  if (named) return { files: [named] };
  const glob = globQuery(pathOrGlob);
  if (glob) return { files: store.listSync(glob.root).filter(glob.accepts) };
  const file = store.statSync(pathOrGlob);
  if (file) return { files: [file] };
  const folder = absolutePath(pathOrGlob);
  const files = store.listSync(folder).filter(visibleUnder(folder));
  if (files.length === 0 && store.kindSync(folder) === 'missing') return undefined;
  return { files, folder };
}

async function collect(objects: AsyncIterable<StoredObject>, keep: (object: StoredObject) => boolean): Promise<StoredObject[]> {
  const kept: StoredObject[] = [];
  for await (const object of objects) if (keep(object)) kept.push(object);
  return kept;
}

/**
 * The paths of the input files a path or glob names (see findInputs), sorted and absolute.
 * Throws a SluiceError naming the path when nothing matches.
 */
export async function listInputs(pathOrGlob: string, mode: PathMode = 'auto'): Promise<string[]> {
  const found = await findInputs(pathOrGlob, mode);
  if (!found || found.files.length === 0) {
    throw new SluiceError(`No input files at ${pathOrGlob}: check the path (or glob) exists and holds visible files`, { file: pathOrGlob });
  }
  return found.files.map((file) => file.path).sort();
}
