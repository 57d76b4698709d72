import { createHash, randomBytes } from 'node:crypto';
import { makeFolder } from './makeFolder.js';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { copyFile, link, open, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { stagingRootOf } from './stagingFolder.js';
import { StorePreconditionError, type FolderLevel, type PathKind, type PutConditions, type Store, type StoredObject, type UploadResult } from './Store.js';

const toObject = (path: string, info: { size: number; mtimeMs: number }): StoredObject => ({ path, size: info.size, mtimeMs: info.mtimeMs });

/** The ETag a local file's bytes get: `put`'s `ifMatch` compares it with the file found then. */
const etagOf = (bytes: Uint8Array): string => `"${createHash('sha256').update(bytes).digest('hex')}"`;

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException).code;

/** The local file system as a Store: paths are made absolute; folders are created on write. */
export class LocalStore implements Store {
  /**
   * Every regular file under a folder, in path order. Symbolic links are not followed: one
   * pointing out of the folder would read files from elsewhere, and one pointing up the tree
   * (`loop -> .`) would list the same files again at every depth.
   */
  async *list(folder: string): AsyncIterable<StoredObject> {
    yield* this.listSync(folder);
  }

  /**
   * `list`, synchronously: Glue's `createDynamicFrame.fromOptions` hands back a bookmarked frame
   * at once, so its local files are listed on the spot (a listing is cheap next to reading).
   */
  listSync(folder: string): StoredObject[] {
    const files: string[] = [];
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // gone meanwhile, or not a folder: nothing under it
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) files.push(path);
      }
    };
    walk(resolve(folder));
    files.sort();
    return files.flatMap((path) => {
      const info = statSync(path, { throwIfNoEntry: false });
      return info ? [toObject(path, info)] : [];
    });
  }

  /** One level of a folder; symbolic links are skipped, as `list` skips them. */
  async listLevel(folder: string): Promise<FolderLevel> {
    const dir = resolve(folder);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return { files: [], folders: [] };
      throw new SluiceError(`cannot list the folder ${dir}: ${(e as Error).message}`, { file: dir });
    }
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    const files = entries.filter((entry) => entry.isFile()).map((entry) => join(dir, entry.name)).sort().flatMap((path) => {
      const info = statSync(path, { throwIfNoEntry: false });
      return info ? [toObject(path, info)] : [];
    });
    return { files, folders };
  }

  statSync(path: string): StoredObject | undefined {
    const info = statSync(path, { throwIfNoEntry: false });
    return info?.isFile() ? toObject(resolve(path), info) : undefined;
  }

  kindSync(path: string): PathKind {
    const info = statSync(path, { throwIfNoEntry: false });
    return info?.isFile() ? 'file' : info?.isDirectory() ? 'folder' : 'missing';
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    return this.statSync(path);
  }

  async kind(path: string): Promise<PathKind> {
    return this.kindSync(path);
  }

  async get(path: string): Promise<{ bytes: Uint8Array; etag: string } | undefined> {
    try {
      const bytes = await readFile(path);
      return { bytes, etag: etagOf(bytes) };
    } catch (e) {
      // ENOTDIR: a part of the path is a file, so nothing is stored there (a write will say why).
      if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async readRange(path: string, start: number, end: number): Promise<Uint8Array> {
    const handle = await open(path, 'r');
    try {
      const buffer = new Uint8Array(Math.max(0, end - start));
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  }

  async *stream(path: string, options: { chunkSize?: number } = {}): AsyncIterable<Uint8Array> {
    for await (const chunk of createReadStream(path, { highWaterMark: options.chunkSize ?? 1 << 20 })) yield chunk as Uint8Array;
  }

  /**
   * Writes a temp file beside the target, fsyncs it, then moves it into place — by rename, or
   * for `ifNoneMatch` by link, which fails when the target exists — and fsyncs the folder. A
   * crash leaves the old file or the new one (at worst a `.tmp` beside it, which readers skip).
   * `ifMatch` is checked by reading first: not atomic with the rename, so callers that race
   * (bookmark state) hold a lock as well.
   */
  async put(path: string, body: Uint8Array | string, conditions: PutConditions = {}): Promise<{ etag: string }> {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const folder = dirname(path);
    await makeFolder(folder);
    if (conditions.ifMatch !== undefined) {
      const current = await this.get(path);
      if (current?.etag !== conditions.ifMatch) throw new StorePreconditionError(`${path} changed under this write (ETag ${conditions.ifMatch} expected)`, path);
    }
    const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (e) {
      await handle.close();
      await rm(temp, { force: true });
      throw e;
    }
    await handle.close();
    if (conditions.ifNoneMatch) {
      try {
        await link(temp, path);
      } catch (e) {
        if (errno(e) === 'EEXIST') throw new StorePreconditionError(`${path} already exists`, path);
        throw e;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
    } else {
      await rename(temp, path);
    }
    await this.sync(folder);
    return { etag: etagOf(bytes) };
  }

  async uploadFile(localFile: string, path: string): Promise<UploadResult> {
    await this.copy(localFile, path);
    return { parts: 1 };
  }

  async copy(from: string, to: string): Promise<void> {
    await makeFolder(dirname(to));
    await copyFile(from, to);
  }

  async rename(from: string, to: string): Promise<void> {
    await makeFolder(dirname(to));
    await rename(from, to);
  }

  async delete(paths: string[]): Promise<void> {
    for (const path of paths) await rm(path, { force: true });
  }

  async deleteFolder(folder: string): Promise<void> {
    await rm(folder, { recursive: true, force: true });
  }

  async removeEmptyFolder(folder: string): Promise<void> {
    await rmdir(folder).catch(() => undefined); // not empty, or gone: either way nothing to do
  }

  async sync(path: string): Promise<void> {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  stagingFolder(root: string, jobRunId: string): string {
    if (/[\\/]|^\.{0,2}$/.test(jobRunId)) throw new SluiceError(`A job run id names one staging folder: '${jobRunId}' cannot`);
    return join(stagingRootOf(root), jobRunId);
  }

  publish(stagedFile: string, path: string): Promise<void> {
    return this.rename(stagedFile, path);
  }
}
