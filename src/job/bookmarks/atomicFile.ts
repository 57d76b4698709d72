import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file all or nothing: a temp file beside it, fsynced, renamed over the target, then the
 * folder fsynced so the rename itself survives a power cut. A crash leaves the old file or the
 * new one, never a mix (at worst a `.tmp` beside it, which readers ignore).
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(temp, path);
  await syncFolder(dirname(path));
}

/** fsyncs a folder, so entries created or renamed in it are durable. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a file that someone else wrote (a staged part file), before it is committed. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file's JSON, or undefined when there is no such file. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(await handle.readFile('utf8')) as T;
  } finally {
    await handle.close();
  }
}
