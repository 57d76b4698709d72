import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { SluiceError } from '../../types/ErrorRecord.js';
import { folderPrefix, parseS3Path, s3Uri } from './s3Path.js';
import { DEFAULT_PART_SIZE, type S3Settings } from './s3Settings.js';
import { StorePreconditionError, type FolderLevel, type PathKind, type PutConditions, type Store, type StoredObject, type UploadResult } from './Store.js';

/** What the SDK's service errors carry besides a message. */
interface ServiceError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const statusOf = (error: unknown): number | undefined => (error as ServiceError)?.$metadata?.httpStatusCode;
const isNotFound = (error: unknown): boolean => statusOf(error) === 404 || ['NotFound', 'NoSuchKey'].includes((error as ServiceError)?.name ?? '');

/** An SDK failure as a SluiceError naming the operation and the path, with a hint for the usual causes. */
function s3Error(operation: string, path: string, error: unknown): SluiceError {
  const e = error as ServiceError;
  const status = statusOf(error);
  let hint = '';
  if (e?.name === 'CredentialsProviderError' || status === 403) {
    hint = ': credentials come from the AWS SDK default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, container or instance role); check they allow this';
  } else if (e?.name === 'NoSuchBucket') {
    hint = ': the bucket does not exist (or the endpoint is not the one meant: SLUICE_S3_ENDPOINT)';
  }
  const failure = new SluiceError(`S3 ${operation} ${path} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${hint}`, { file: path });
  (failure as { cause?: unknown }).cause = error;
  return failure;
}

/** Gathers a stream's chunks into chunks of about `size` bytes: parsers pay per call, HTTP gives ~16 KiB. */
async function* rechunk(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    pending.push(chunk);
    bytes += chunk.length;
    if (bytes >= size) {
      yield pending.length === 1 ? pending[0] : Buffer.concat(pending, bytes);
      pending = [];
      bytes = 0;
    }
  }
  if (bytes > 0) yield pending.length === 1 ? pending[0] : Buffer.concat(pending, bytes);
}

/** S3 (or an S3-compatible store) through the official AWS SDK v3. */
export class S3Store implements Store {
  private readonly partSize: number;

  constructor(readonly client: S3Client, readonly settings: S3Settings = {}) {
    this.partSize = settings.partSize ?? DEFAULT_PART_SIZE;
  }

  static create(settings: S3Settings): S3Store {
    const custom = settings.endpoint !== undefined;
    const region = settings.region ?? (custom ? process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1' : undefined);
    const config: S3ClientConfig = {
      ...(region ? { region } : {}),
      ...(custom ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle ?? custom,
      followRegionRedirects: true,
      // S3-compatible stores often reject or mis-answer the SDK's default CRC checksums.
      ...(custom ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {}),
    };
    return new S3Store(new S3Client(config), settings);
  }

  async *list(folder: string): AsyncIterable<StoredObject> {
    yield* this.listPrefix(folder, folderPrefix(parseS3Path(folder).key));
  }

  /** Objects whose keys start with `prefix` (no '/' added), following continuation tokens. */
  async *listPrefix(path: string, prefix: string): AsyncIterable<StoredObject> {
    const { bucket } = parseS3Path(path);
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: this.settings.maxKeys }))
        .catch((e: unknown) => {
          throw s3Error('list', s3Uri(bucket, prefix), e);
        });
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue; // "folder" markers of consoles
        yield { path: s3Uri(bucket, object.Key), size: object.Size ?? 0, mtimeMs: object.LastModified?.getTime() ?? 0, etag: object.ETag };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** One level of a prefix: ListObjectsV2 with `Delimiter: '/'` (objects and CommonPrefixes), following continuation tokens. */
  async listLevel(folder: string): Promise<FolderLevel> {
    const { bucket, key } = parseS3Path(folder);
    const prefix = folderPrefix(key);
    const files: StoredObject[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client
        .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token, MaxKeys: this.settings.maxKeys }))
        .catch((e: unknown) => {
          throw s3Error('list', s3Uri(bucket, prefix), e);
        });
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue; // "folder" markers of consoles
        files.push({ path: s3Uri(bucket, object.Key), size: object.Size ?? 0, mtimeMs: object.LastModified?.getTime() ?? 0, etag: object.ETag });
      }
      for (const common of page.CommonPrefixes ?? []) {
        const name = common.Prefix?.slice(prefix.length).replace(/\/$/, '');
        if (name) folders.push(name);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return { files, folders: folders.sort() };
  }

  async stat(path: string): Promise<StoredObject | undefined> {
    const { bucket, key } = parseS3Path(path);
    if (key === '' || key.endsWith('/')) return undefined;
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { path: s3Uri(bucket, key), size: head.ContentLength ?? 0, mtimeMs: head.LastModified?.getTime() ?? 0, etag: head.ETag };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw s3Error('stat', path, e);
    }
  }

  async kind(path: string): Promise<PathKind> {
    if (await this.stat(path)) return 'file';
    // One key answers it: a whole page (1,000 keys) would cost a large response for nothing.
    const { bucket, key } = parseS3Path(path);
    const prefix = folderPrefix(key);
    const page = await this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 })).catch((e: unknown) => {
      throw s3Error('list', s3Uri(bucket, prefix), e);
    });
    const first = page.Contents?.[0]?.Key;
    if (first === undefined) return 'missing';
    if (!first.endsWith('/')) return 'folder';
    for await (const _ of this.list(path)) return 'folder'; // a console's folder marker: look past it
    return 'missing';
  }

  async get(path: string): Promise<{ bytes: Uint8Array; etag?: string } | undefined> {
    const { bucket, key } = parseS3Path(path);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { bytes: await object.Body!.transformToByteArray(), etag: object.ETag };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw s3Error('read', path, e);
    }
  }

  /** Always an explicit `bytes=a-b` range: some S3-compatible stores answer suffix ranges wrongly. */
  async readRange(path: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const { bucket, key } = parseS3Path(path);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }));
      return await object.Body!.transformToByteArray();
    } catch (e) {
      throw s3Error(`read of bytes ${start}-${end - 1} of`, path, e);
    }
  }

  async *stream(path: string, options: { chunkSize?: number } = {}): AsyncIterable<Uint8Array> {
    const { bucket, key } = parseS3Path(path);
    const object = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((e: unknown) => {
      throw s3Error('read', path, e);
    });
    // In Node the Body is an http.IncomingMessage: leaving the loop early destroys it (and the socket).
    yield* rechunk(object.Body as Readable & AsyncIterable<Uint8Array>, options.chunkSize ?? 1 << 20);
  }

  async put(path: string, body: Uint8Array | string, conditions: PutConditions = {}): Promise<{ etag?: string }> {
    const { bucket, key } = parseS3Path(path);
    try {
      const result = await this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          // Explicit, so an empty body (`_SUCCESS`) is not taken for a stream of unknown length.
          ContentLength: typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
          IfNoneMatch: conditions.ifNoneMatch,
          IfMatch: conditions.ifMatch,
        }),
      );
      return { etag: result.ETag };
    } catch (e) {
      // 412: the condition failed; 409: a concurrent conditional write to the same key won.
      if (statusOf(e) === 412 || statusOf(e) === 409) {
        throw new StorePreconditionError(`${path} changed under this write (${conditions.ifMatch ? `ETag ${conditions.ifMatch} expected` : 'it already exists'})`, path);
      }
      throw s3Error('write', path, e);
    }
  }

  /** One PUT up to the part size, else a multipart upload (lib-storage) that aborts itself on failure. */
  async uploadFile(localFile: string, path: string): Promise<UploadResult> {
    const { bucket, key } = parseS3Path(path);
    const { size } = await stat(localFile);
    if (size <= this.partSize) return { ...(await this.put(path, await readFile(localFile))), parts: 1 };
    const parts = new Set<number>();
    const upload = new Upload({
      client: this.client,
      params: { Bucket: bucket, Key: key, Body: createReadStream(localFile, { highWaterMark: 1 << 20 }) },
      partSize: this.partSize,
      queueSize: this.settings.queueSize ?? 4,
      leavePartsOnError: false,
    });
    upload.on('httpUploadProgress', (progress) => {
      if (progress.part !== undefined) parts.add(progress.part);
    });
    try {
      const result = await upload.done();
      return { etag: result.ETag, parts: parts.size };
    } catch (e) {
      throw s3Error(`multipart upload of ${localFile} to`, path, e);
    }
  }

  async copy(from: string, to: string): Promise<void> {
    const source = parseS3Path(from);
    const target = parseS3Path(to);
    const copySource = `${source.bucket}/${source.key.split('/').map(copySourceSegment).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: copySource })).catch((e: unknown) => {
      throw s3Error(`copy to ${to} from`, from, e);
    });
  }

  async rename(from: string, to: string): Promise<void> {
    await this.copy(from, to);
    await this.delete([from]);
  }

  /** DeleteObjects in batches of 1,000 keys per bucket; a key that failed fails the call. */
  async delete(paths: string[]): Promise<void> {
    const byBucket = new Map<string, string[]>();
    for (const path of paths) {
      const { bucket, key } = parseS3Path(path);
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), key]);
    }
    for (const [bucket, keys] of byBucket) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const result = await this.client
          .send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }))
          .catch((e: unknown) => {
            throw s3Error('delete', s3Uri(bucket, batch[0]), e);
          });
        const failed = result.Errors ?? [];
        if (failed.length) {
          const first = failed[0];
          throw new SluiceError(
            `S3 delete failed for ${failed.length} key(s) in ${bucket}, first ${s3Uri(bucket, first.Key ?? '')}: ${first.Code} ${first.Message}`,
            { file: s3Uri(bucket, first.Key ?? '') },
          );
        }
      }
    }
  }

  async deleteFolder(folder: string): Promise<void> {
    const paths: string[] = [];
    for await (const object of this.list(folder)) paths.push(object.path);
    await this.delete(paths);
  }

  async removeEmptyFolder(): Promise<void> {
    // A prefix exists only while objects are under it.
  }

  async sync(): Promise<void> {
    // An object S3 has acknowledged is durable.
  }

  /** A local temp folder: S3 has no rename, so staging under the bucket would cost a copy per file at commit. */
  stagingFolder(_root: string, jobRunId: string): string {
    return join(tmpdir(), 'sluice-s3-staging', jobRunId);
  }

  async publish(stagedFile: string, path: string): Promise<void> {
    await this.uploadFile(stagedFile, path);
  }
}

/**
 * A key segment in x-amz-copy-source: percent-encoded, except the path-safe `=:@,;$` that Hive
 * partition folders (`status=paid`) use. AWS decodes either form; servers that decode the header
 * with decodeURI only (s3rver) would look for a key with `%3D` in it.
 */
const copySourceSegment = (segment: string): string => encodeURIComponent(segment).replace(/%(3D|3A|40|2C|3B|24)/g, (escaped) => decodeURIComponent(escaped));
