import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fg from 'fast-glob';
import { SluiceError } from '../types/ErrorRecord.js';

export type FileFormat = 'csv' | 'json' | 'parquet';
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'json', 'parquet'];

/** A format and the options its file name implies (a .tsv is a CSV separated by tabs). */
export interface InferredFormat {
  format: FileFormat;
  formatOptions: Record<string, unknown>;
}

const BY_EXTENSION: Record<string, InferredFormat> = {
  csv: { format: 'csv', formatOptions: {} },
  tsv: { format: 'csv', formatOptions: { separator: '\t' } },
  json: { format: 'json', formatOptions: {} },
  jsonl: { format: 'json', formatOptions: {} },
  ndjson: { format: 'json', formatOptions: {} },
  parquet: { format: 'parquet', formatOptions: {} },
  pq: { format: 'parquet', formatOptions: {} },
};

/** The format a file name implies: `.csv`, `.csv.gz`, `.tsv`, `.json`, `.jsonl`, `.parquet`… */
export function formatOfName(name: string): InferredFormat | undefined {
  const m = /\.([A-Za-z0-9]+)(?:\.gz)?$/i.exec(name);
  const known = m ? BY_EXTENSION[m[1].toLowerCase()] : undefined;
  return known && { format: known.format, formatOptions: { ...known.formatOptions } };
}

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
  const cannot = (why: string) => new SluiceError(`${path}: ${why}; pass --format ${FILE_FORMATS.join('|')}`, { file: path });
  if (isRemote(path)) throw cannot('cannot tell the format from the name');
  if (isGlob(path)) {
    const first = (await fg(path, { onlyFiles: true, dot: false })).map(formatOfName).find(Boolean);
    if (first) return first;
    throw cannot('no file with a known extension matches');
  }
  await assertExists(path);
  if (!(await stat(path)).isDirectory()) throw cannot('cannot tell the format from the name');
  const found = await firstKnownFileIn(path);
  if (found) return found;
  throw cannot('no .csv, .tsv, .json, .jsonl or .parquet file inside');
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
