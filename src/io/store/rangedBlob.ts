import { SluiceError } from '../../types/ErrorRecord.js';
import { storeFor } from './storeFor.js';
import type { Store } from './Store.js';

/**
 * A read-only Blob look-alike over a stored file whose bytes are fetched by explicit ranged reads
 * when asked: `slice(start, end).arrayBuffer()`. parquet-wasm's `ParquetFile.fromFile` only uses
 * `size`, `slice` and `arrayBuffer` (0.8.0, checked in test/s3), so it reads an S3 object's footer
 * and only the column chunks a read needs — with the SDK's credentials and explicit `bytes=a-b`
 * ranges. (`fromUrl` would need a presigned URL and asks for suffix ranges, `bytes=-8`, which
 * some S3-compatible stores answer wrongly.)
 */
class RangedBlob {
  readonly type = '';

  constructor(private readonly store: Store, private readonly path: string, private readonly start: number, readonly size: number) {}

  slice(start = 0, end = this.size): RangedBlob {
    const from = Math.min(Math.max(0, start < 0 ? this.size + start : start), this.size);
    const to = Math.min(Math.max(from, end < 0 ? this.size + end : end), this.size);
    return new RangedBlob(this.store, this.path, this.start + from, to - from);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.store.readRange(this.path, this.start, this.start + this.size);
    if (bytes.length !== this.size) {
      throw new SluiceError(`Read ${bytes.length} bytes of ${this.path} at ${this.start} where ${this.size} were expected: did the object change during the read?`, { file: this.path });
    }
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
}

/** A stored file as a lazily read Blob (see RangedBlob); throws naming the path when there is none. */
export async function openRangedBlob(path: string): Promise<Blob> {
  const store = await storeFor(path);
  const info = await store.stat(path);
  if (!info) throw new SluiceError(`No such file: ${path}`, { file: path });
  return new RangedBlob(store, info.path, 0, info.size) as unknown as Blob;
}
