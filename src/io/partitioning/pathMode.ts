import { stat } from 'node:fs/promises';
import { SluiceError } from '../../types/ErrorRecord.js';
import { isS3Path } from '../store/s3Path.js';
import type { StoredObject } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';

/**
 * How a read path is taken:
 * - `auto` (default): a file, a folder, or a glob; a local path that names an existing file is
 *   that file even when it has glob characters (`data[1].csv`);
 * - `glob`: a glob, even when a file has that very name (the CLI's `--glob`);
 * - `literal`: exactly one file or object, never a folder, prefix or glob: what an S3 event
 *   names (`day[1].csv`, `star*.csv` and `h/` would otherwise read other objects).
 */
export type PathMode = 'auto' | 'glob' | 'literal';

/** The one file or object `path` names, or a SluiceError; no listing, no pattern matching. */
export async function literalInput(path: string): Promise<StoredObject> {
  const what = isS3Path(path) ? 'object' : 'file';
  if (path.endsWith('/')) throw new SluiceError(`${path} names a folder marker, not an object: a literal read takes one ${what}`, { file: path });
  const found = await (await storeFor(path)).stat(path);
  if (!found) throw new SluiceError(`No input ${what} at ${path} (read literally: no folder, prefix or glob matching)`, { file: path });
  return found;
}

/** True when a local path with glob characters names an existing file, which `auto` reads as is. */
export async function isLiteralFile(path: string, mode: PathMode): Promise<boolean> {
  if (mode === 'glob' || isS3Path(path)) return false;
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
