import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { SluiceError } from '../../../../types/ErrorRecord.js';
import { SnappyCompressor } from '../../../compress/snappyCompressor.js';

export type Codec = 'snappy' | 'zstd' | 'gzip' | 'none';

/** CompressionCodec of parquet.thrift. */
export const CODEC_IDS: Record<Codec, number> = { none: 0, snappy: 1, gzip: 2, zstd: 6 };

/** Compresses one page body. Async: the native codecs (zstd, gzip) run on libuv's thread pool, beside the JS encoder. */
export type Compressor = (page: Uint8Array) => Promise<Uint8Array>;

const gzipAsync = promisify(gzip);
/** arrow-rs's default levels, so files match parquet-wasm's in size and speed. */
const ZSTD_LEVEL = 1;
const GZIP_LEVEL = 6;

const asBuffer = (page: Uint8Array) => Buffer.from(page.buffer, page.byteOffset, page.byteLength);

const loaded = new Map<Codec, Promise<(() => Compressor) | undefined>>();

/**
 * A compressor of the codec (one per file writer: snappy's keeps its buffers), or undefined when
 * the codec cannot load here (a Lambda bundle leaves the native zstd out: esbuild cannot bundle
 * .node files); parquet-wasm then writes the file. Snappy always loads: it is sluice's own JS codec.
 */
export async function availableCompressor(codec: Codec): Promise<Compressor | undefined> {
  let factory = loaded.get(codec);
  if (!factory) {
    factory = compressorFactory(codec).catch(() => undefined);
    loaded.set(codec, factory);
  }
  return (await factory)?.();
}

/** The codec's compressor; the native packages load on first use, off the cold start of other jobs. */
export async function compressorFor(codec: Codec): Promise<Compressor> {
  return (await compressorFactory(codec))();
}

async function compressorFactory(codec: Codec): Promise<() => Compressor> {
  switch (codec) {
    case 'none':
      return () => async (page) => page;
    case 'snappy':
      // Sluice's own, on the calling thread (the native addon's outputs, in mimalloc's huge-page
      // arenas, cost W1 0.3 s of system time and 40 MB of RSS: see io/compress/snappyCompressor.ts).
      return () => {
        const snappy = new SnappyCompressor();
        return async (page) => snappy.compress(page);
      };
    case 'zstd': {
      const zstd = await import('@mongodb-js/zstd');
      return () => (page) => zstd.compress(asBuffer(page), ZSTD_LEVEL);
    }
    case 'gzip':
      return () => (page) => gzipAsync(page, { level: GZIP_LEVEL });
    default:
      throw new SluiceError(`Unknown Parquet compression '${String(codec)}': use snappy, zstd, gzip or none`);
  }
}
