import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { storeFor } from './store/storeFor.js';

/** True when a path names a gzip-compressed file (by extension, as Glue and Spark decide). */
export const isGzip = (path: string): boolean => /\.gz$/i.test(path);

/**
 * Streams a file's bytes (local, or an `s3://` object), gunzipping `.gz` files on the way.
 * Chunks are Buffers (Uint8Arrays).
 * `highWaterMark` is large because the parsers work per chunk and small chunks cost per-call overhead.
 */
export async function* openBytes(path: string, highWaterMark = 1 << 20): AsyncIterable<Uint8Array> {
  const raw = Readable.from((await storeFor(path)).stream(path, { chunkSize: highWaterMark }), { objectMode: false });
  const stream = isGzip(path) ? raw.pipe(createGunzip({ chunkSize: highWaterMark })) : raw;
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } finally {
    raw.destroy(); // a reader that stops early (schema inference) must not leave the file or connection open
  }
}
