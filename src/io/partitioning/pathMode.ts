import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { isS3Path } from '../store/s3Path.js';
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
export async function literalInput(path: string): Promise<string> {
  if (isS3Path(path)) {
    if (path.endsWith('/')) throw new SluiceError(`${path} names a folder marker, not an object: a literal read takes one object`, { file: path });
    const object = await (await storeFor(path)).stat(path);
    if (!object) throw new SluiceError(`No input object at ${path} (read literally: no prefix or glob matching)`, { file: path });
    return path;
  }
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new SluiceError(`No input file at ${path} (read literally: no folder or glob matching)`, { file: path });
  return resolve(path);
}

/** True when a local path with glob characters names an existing file, which `auto` reads as is. */
export async function isLiteralFile(path: string, mode: PathMode): Promise<boolean> {
  if (mode === 'glob' || isS3Path(path)) return false;
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
