import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SluiceError } from '../../types/ErrorRecord.js';
import { StorePreconditionError, type PathKind, type PutConditions, type Store, type StoredObject, type UploadResult } from './Store.js';

const toObject = (path: string, info: { size: number; mtimeMs: number }): StoredObject => ({ path, size: info.size, mtimeMs: info.mtimeMs });

/** The local file system as a Store: paths are made absolute; folders are created on write. */
export class LocalStore implements Store {
  async *list(folder: string): AsyncIterable<StoredObject> {
    const root = resolve(folder);
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
    for (const path of files) {
      const info = await stat(path).catch(() => undefined);
      if (info) yield toObject(path, info);
    }
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? toObject(resolve(path), info) : undefined;
  }

  async kind(path: string): Promise<PathKind> {
    const info = await stat(path).catch(() => undefined);
    return info?.isFile() ? 'file' : info?.isDirectory() ? 'folder' : 'missing';
  }

  async get(path: string): Promise<{ bytes: Uint8Array } | undefined> {
    try {
      return { bytes: await readFile(path) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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

  async put(path: string, body: Uint8Array | string, conditions: PutConditions = {}): Promise<{ etag?: string }> {
    await mkdir(dirname(path), { recursive: true });
    if (conditions.ifMatch !== undefined) {
      throw new SluiceError(`A local file has no ETag to match (${path}); conditional replace is for s3:// paths`, { file: path });
    }
    try {
      await writeFile(path, body, { flag: conditions.ifNoneMatch ? 'wx' : 'w' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new StorePreconditionError(`${path} already exists`, path);
      throw e;
    }
    return {};
  }

  async uploadFile(localFile: string, path: string): Promise<UploadResult> {
    await mkdir(dirname(path), { recursive: true });
    await copyFile(localFile, path);
    return { parts: 1 };
  }

  async copy(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }

  async rename(from: string, to: string): Promise<void> {
    await mkdir(dirname(to), { recursive: true });
    await rename(from, to);
  }

  async delete(paths: string[]): Promise<void> {
    for (const path of paths) await rm(path, { force: true });
  }
}
