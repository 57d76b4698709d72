import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { uncompressSnappy } from '../../../compress/snappyUncompress.js';
import type { ReusedBuffer } from '../../../compress/snappyUncompress.js';
import { lz4RawDecompress } from './lz4Block.js';
import { lz4HadoopDecompress } from './lz4Hadoop.js';

/**
 * Decompresses one page body of `size` bytes (as its header says); async only where the codec's
 * package is (zstd). A codec that can (snappy) writes into `into`, a buffer the caller reuses page
 * after page: the result is then a view of it, valid until the next page.
 */
export type Decompressor = (page: Uint8Array, size: number, into?: ReusedBuffer) => Uint8Array | Promise<Uint8Array>;

/** CompressionCodec of parquet.thrift the flat reader decodes; others (LZO) go to parquet-wasm. */
const UNCOMPRESSED = 0;
const SNAPPY = 1;
const GZIP = 2;
const BROTLI = 4;
const LZ4 = 5;
const ZSTD = 6;
const LZ4_RAW = 7;

const loaded = new Map<number, Promise<Decompressor | undefined>>();

/** The codec's decompressor, or undefined when it is not one sluice decodes or its package does not load here. */
export function availableDecompressor(codec: number): Promise<Decompressor | undefined> {
  let decompressor = loaded.get(codec);
  if (!decompressor) {
    decompressor = decompressorFor(codec).catch(() => undefined);
    loaded.set(codec, decompressor);
  }
  return decompressor;
}

async function decompressorFor(codec: number): Promise<Decompressor | undefined> {
  switch (codec) {
    case UNCOMPRESSED:
      return (page) => page;
    case SNAPPY:
      return uncompressSnappy; // sluice's own: into the chunk's page buffer
    case GZIP:
      return (page) => gunzipSync(page);
    case BROTLI:
      return (page) => brotliDecompressSync(page);
    case ZSTD: {
      const zstd = await import('@mongodb-js/zstd');
      return (page) => zstd.decompress(Buffer.from(page.buffer, page.byteOffset, page.byteLength));
    }
    case LZ4_RAW:
      return lz4RawDecompress;
    case LZ4:
      return lz4HadoopDecompress;
    default:
      return undefined;
  }
}
