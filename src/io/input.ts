import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SluiceError } from '../types/ErrorRecord.js';
import { compressionOfPath } from './compressionEndings.js';
import { storeFor } from './store/storeFor.js';

/** True when a path names a gzip-compressed file (by extension, as Glue and Spark decide). */
export const isGzip = (path: string): boolean => compressionOfPath(path) === 'gzip';

/** True when a path names a compressed file: its bytes are a stream that cannot be entered in the middle. */
export const isCompressed = (path: string): boolean => compressionOfPath(path) !== undefined;

/**
 * Streams a file's bytes (local, or an `s3://` object), decompressing `.gz`, `.bz2` and `.zst`
 * files on the way. Chunks are Buffers (Uint8Arrays).
 * `highWaterMark` is large because the parsers work per chunk and small chunks cost per-call overhead.
 */
export async function* openBytes(path: string, highWaterMark = 1 << 20): AsyncIterable<Uint8Array> {
  const raw = Readable.from((await storeFor(path)).stream(path, { chunkSize: highWaterMark }), { objectMode: false });
  const compression = compressionOfPath(path);
  if (compression === 'zstd') {
    yield* decodeZstdWhole(raw, path);
    return;
  }
  const decoder = compression === undefined ? undefined : await decoderFor(compression, highWaterMark);
  const stream = decoder ? raw.pipe(decoder.input) && decoder.output : raw;
  // pipe() does not forward a source's error: a failed read must fail the decoded stream too, not hang it.
  if (decoder) raw.on('error', (error) => decoder.output.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (error) {
    if (!decoder || error instanceof SluiceError) throw error;
    throw new SluiceError(`${path}: cannot decode ${compression}: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  } finally {
    raw.destroy(); // a reader that stops early (schema inference) must not leave the file or connection open
    decoder?.output.destroy();
  }
}

/** A streaming decoder: bytes are piped into `input` and read from `output` (the crawler samples through it too). */
export async function decoderFor(compression: 'gzip' | 'bzip2', highWaterMark: number): Promise<{ input: NodeJS.WritableStream; output: Readable }> {
  if (compression === 'gzip') {
    const gunzip = createGunzip({ chunkSize: highWaterMark });
    return { input: gunzip, output: gunzip };
  }
  const { Bzip2Decoder } = await import('./bzip2Decoder.js'); // loaded only when a bzip2 file is read
  const bunzip = new Bzip2Decoder(highWaterMark);
  return { input: bunzip, output: bunzip };
}

/** Node 20 has no streaming zstd decoder: the installed one decodes whole buffers, so a .zst file is read whole first. */
async function* decodeZstdWhole(raw: Readable, path: string): AsyncIterable<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const chunk of raw) parts.push(chunk as Buffer);
  const zstd = await import('@mongodb-js/zstd');
  try {
    yield new Uint8Array(await zstd.decompress(Buffer.concat(parts)));
  } catch (error) {
    throw new SluiceError(`${path}: cannot decode zstd: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
}
