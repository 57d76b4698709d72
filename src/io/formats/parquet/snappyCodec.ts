import { SluiceError } from '../../../types/ErrorRecord.js';
import { SnappyCompressor } from '../../compress/snappyCompressor.js';
import { uncompressSnappy } from '../../compress/snappyUncompress.js';
import type { ReusedBuffer } from '../../compress/snappyUncompress.js';

/**
 * Raw snappy for Parquet pages, shared by the encoder (encode/compress.ts) and the flat decoder
 * (decode/decompress.ts): sluice's own JS codec (io/compress/), which also bundles into Lambda.
 * `SLUICE_SNAPPY=native` uses the native `snappy` addon instead, to compare.
 */
export interface SnappyCodec {
  /** A compressor with buffers of its own (one per file writer): compress runs on the calling thread. */
  compressor(): (page: Uint8Array) => Promise<Uint8Array>;
  /** `page` uncompressed; `size` is what the page header announces; `into` a buffer to reuse (see ReusedBuffer). */
  uncompress(page: Uint8Array, size: number, into?: ReusedBuffer): Uint8Array;
}

const IMPLEMENTATIONS = ['js', 'native'] as const;

/** SLUICE_SNAPPY's value, checked: an unknown value is an error, not a quiet default. */
export function snappyImplementation(): (typeof IMPLEMENTATIONS)[number] {
  const chosen = process.env.SLUICE_SNAPPY || 'js';
  if (!(IMPLEMENTATIONS as readonly string[]).includes(chosen)) {
    throw new SluiceError(`SLUICE_SNAPPY must be ${IMPLEMENTATIONS.join(' or ')}, got '${chosen}'`);
  }
  return chosen as (typeof IMPLEMENTATIONS)[number];
}

const JS_CODEC: SnappyCodec = {
  compressor: () => {
    const compressor = new SnappyCompressor();
    return async (page) => compressor.compress(page);
  },
  uncompress: uncompressSnappy,
};

let native: Promise<SnappyCodec> | undefined;

export function snappyCodec(): Promise<SnappyCodec> {
  if (snappyImplementation() === 'js') return Promise.resolve(JS_CODEC);
  return (native ??= loadNative());
}

async function loadNative(): Promise<SnappyCodec> {
  const snappy = await import('snappy');
  return {
    compressor: () => (page) => snappy.compress(page as Buffer),
    uncompress: (page) => snappy.uncompressSync(page, { asBuffer: true }) as Buffer,
  };
}
