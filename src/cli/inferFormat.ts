import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fastGlob } from '../io/store/fastGlob.js';
import { formatNames, formatOfFileName, knownExtensions, type FormatName, type FormatOfName } from '../io/formats/registry.js';
import { SluiceError } from '../types/ErrorRecord.js';

export type FileFormat = FormatName;
/** The formats the CLI reads, from the registry. */
export const FILE_FORMATS = formatNames('read') as readonly FileFormat[];

/** A format and the options its file name implies (a .tsv is a CSV separated by tabs). */
export type InferredFormat = FormatOfName;

/** The format a file name implies: `.csv`, `.csv.gz`, `.tsv`, `.json`, `.jsonl`, `.parquet`, `.avro`, `.xml`… */
export const formatOfName = (name: string): InferredFormat | undefined => formatOfFileName(name);

const isGlob = (path: string) => /[*?[\]{}]/.test(path);
const isRemote = (path: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(path);
/** Files a reader skips in a folder: Spark's `_SUCCESS`, hidden files, staging leftovers. */
const isHidden = (name: string) => name.startsWith('.') || name.startsWith('_');

/**
 * The format of a file, folder (from the first data file found inside, breadth first) or glob.
 * Throws a SluiceError that says to pass --format when the format cannot be told.
 */
export async function inferFormat(path: string): Promise<InferredFormat> {
  const fromName = formatOfName(path);
  if (fromName) return fromName;
  const cannot = (why: string, more = '') => new SluiceError(`${path}: ${why}; pass --format ${FILE_FORMATS.join('|')}${more}`, { file: path });
  if (isRemote(path)) throw cannot('cannot tell the format from the name');
  if (isGlob(path)) {
    const first = (await fastGlob()(path, { onlyFiles: true, dot: false })).map(formatOfName).find(Boolean);
    if (first) return first;
    throw cannot('no file with a known extension matches');
  }
  await assertExists(path);
  if (!(await stat(path)).isDirectory()) throw cannot('cannot tell the format from the name');
  const found = await firstKnownFileIn(path);
  if (found) return found;
  // The first clause is the wording scripts and tests already match on; every known ending follows.
  throw cannot('no .csv, .tsv, .json, .jsonl or .parquet file inside', ` (known endings: .${knownExtensions().join(' .')})`);
}

/** Breadth first, so `table/part-0.parquet` is found before anything in deep partitions. */
async function firstKnownFileIn(root: string, limit = 10_000): Promise<InferredFormat | undefined> {
  const queue = [root];
  let seen = 0;
  while (queue.length > 0 && seen < limit) {
    const dir = queue.shift() as string;
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      seen++;
      if (isHidden(entry.name)) continue;
      if (entry.isDirectory()) queue.push(join(dir, entry.name));
      else {
        const format = formatOfName(entry.name);
        if (format) return format;
      }
    }
  }
  return undefined;
}

/** A local path that must exist (globs and remote paths are checked by the reader). */
export async function assertExists(path: string): Promise<void> {
  if (isGlob(path) || isRemote(path)) return;
  try {
    await stat(path);
  } catch {
    throw new SluiceError(`${path}: no such file or directory`, { file: path });
  }
}
