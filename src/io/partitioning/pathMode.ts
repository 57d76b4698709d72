import { stat } from 'node:fs/promises';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { PathMode } from '../../types/PathMode.js';

export type { PathMode };
import { isS3Path } from '../store/s3Path.js';
import type { StoredObject } from '../store/Store.js';
import { storeFor } from '../store/storeFor.js';


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
