import { mkdir } from 'node:fs/promises';
import { SluiceError } from '../../types/ErrorRecord.js';

/** What an operating-system refusal means for a write, in words that name what to change. */
const WHY: Record<string, string> = {
  ENAMETOOLONG: 'a name in it is too long for the file system (a long partition value? Hive paths hold each value in a folder name)',
  ENOTDIR: 'a part of it is a file, not a folder',
  EEXIST: 'a part of it is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

/**
 * `mkdir -p` for writers, whose failures name the folder and the reason instead of a bare
 * `ENAMETOOLONG` or `ENOTDIR`: the output path, a partition value or the disk is what to fix.
 */
export async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = WHY[code];
    if (!why) throw e;
    throw new SluiceError(`cannot create the folder ${folder}: ${why} (${code})`, { file: folder });
  }
}
