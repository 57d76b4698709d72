import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** True when a path names a gzip-compressed file (by extension, as Glue and Spark decide). */
export const isGzip = (path: string): boolean => /\.gz$/i.test(path);

/**
 * Streams a file's bytes, gunzipping `.gz` files on the way. Chunks are Buffers (Uint8Arrays).
 * `highWaterMark` is large because the parsers work per chunk and small chunks cost per-call overhead.
 */
export async function* openBytes(path: string, highWaterMark = 1 << 20): AsyncIterable<Uint8Array> {
  const raw = createReadStream(path, { highWaterMark });
  const stream = isGzip(path) ? raw.pipe(createGunzip({ chunkSize: highWaterMark })) : raw;
  for await (const chunk of stream) yield chunk as Uint8Array;
}
