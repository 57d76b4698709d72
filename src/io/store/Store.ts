import { SluiceError } from '../../types/ErrorRecord.js';

/** One stored file or object, as listings and `stat` report it. */
export interface StoredObject {
  /** The full path: a local absolute path, or `s3://bucket/key`. */
  path: string;
  size: number;
  /** Modification time (S3: LastModified, whole seconds). */
  mtimeMs: number;
  /** S3's ETag (quoted, as S3 sends it); undefined for local files. */
  etag?: string;
}

export type PathKind = 'file' | 'folder' | 'missing';

/** What `listLevel` finds directly in a folder. */
export interface FolderLevel {
  files: StoredObject[];
  /** Subfolder names (one segment each, no slash). */
  folders: string[];
}

/** Conditions of a write (S3 conditional PUT); a local store checks them itself. */
export interface PutConditions {
  /** Create only: fail with a StorePreconditionError when something is already stored there. */
  ifNoneMatch?: '*';
  /** Replace only the object with this ETag: fail with a StorePreconditionError otherwise. */
  ifMatch?: string;
}

export interface UploadResult {
  etag?: string;
  /** Parts sent: 1 for a single PUT (or a local copy), more for a multipart upload. */
  parts: number;
}

/**
 * Where files live: a local folder tree or an S3 bucket, behind the operations sluice needs.
 * Every path given is a full path of this store (local, or `s3://bucket/key`).
 */
export interface Store {
  /** Every object under a folder / prefix, recursively, in key order (S3 pages are followed). */
  list(folder: string): AsyncIterable<StoredObject>;
  /**
   * One level of a folder: the files directly in it and the names of its subfolders (S3: the
   * objects and CommonPrefixes of a ListObjectsV2 with `Delimiter: '/'`), each sorted. A missing
   * folder has neither. Partition pruning walks a Hive tree with it, level by level, and never
   * lists the folders it prunes.
   */
  listLevel(folder: string): Promise<FolderLevel>;
  /** Size, mtime and ETag of one file; undefined when there is none. */
  stat(path: string): Promise<StoredObject | undefined>;
  /** A file, a folder (a prefix holding objects), or nothing. */
  kind(path: string): Promise<PathKind>;
  /**
   * A small file whole, with its ETag (one request: the bytes and the ETag belong together);
   * undefined when missing. A local file's ETag is a hash of the bytes read, so `put`'s `ifMatch`
   * works the same on both stores.
   */
  get(path: string): Promise<{ bytes: Uint8Array; etag?: string } | undefined>;
  /** Bytes [start, end) of a file. */
  readRange(path: string, start: number, end: number): Promise<Uint8Array>;
  /** A file's bytes as a stream of chunks of about `chunkSize` bytes. */
  stream(path: string, options?: { chunkSize?: number }): AsyncIterable<Uint8Array>;
  /**
   * Writes a small file whole and durably: readers see the old file or the new one, never a
   * mix, and a crash after it returns keeps it. Returns its ETag on S3.
   */
  put(path: string, body: Uint8Array | string, conditions?: PutConditions): Promise<{ etag?: string }>;
  /** Copies a local file to `path` (multipart on S3 above the part size). */
  uploadFile(localFile: string, path: string): Promise<UploadResult>;
  copy(from: string, to: string): Promise<void>;
  /** Moves a file (S3 has no rename: copy, then delete). */
  rename(from: string, to: string): Promise<void>;
  /** Deletes files; missing ones are not an error. */
  delete(paths: string[]): Promise<void>;
  /** Deletes a folder and everything under it (nothing there is not an error). */
  deleteFolder(folder: string): Promise<void>;
  /** Removes a folder if it is empty (S3 has no empty folders: nothing to do there). */
  removeEmptyFolder(folder: string): Promise<void>;
  /** Makes a written file, or a folder's new entries, durable (fsync); S3 writes are once acknowledged. */
  sync(path: string): Promise<void>;

  /**
   * The local folder where writers stage the part files of a write to `root` before `publish`:
   * `<parent>/.<name>.sluice-staging/<jobRunId>` beside the root on a local disk (stagingFolder.ts;
   * publish is then a rename), a local temp folder
   * for S3 (staging in the bucket would cost a copy per file at commit).
   */
  stagingFolder(root: string, jobRunId: string): string;
  /** Makes a staged local file visible at `path`: a rename on a local disk, an upload to S3. */
  publish(stagedFile: string, path: string): Promise<void>;
}

/** A conditional write found the stored object not as expected (HTTP 412 / 409 on S3). */
export class StorePreconditionError extends SluiceError {
  constructor(message: string, readonly path: string) {
    super(message, { file: path });
    this.name = 'StorePreconditionError';
  }
}
