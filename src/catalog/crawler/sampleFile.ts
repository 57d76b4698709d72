import { decoderFor } from '../../io/input.js';
import type { Store, StoredObject } from '../../io/store/Store.js';

/** Bytes of a file's start that a crawler reads (Glue: "the first megabyte of each file"). */
export const SAMPLE_BYTES = 1 << 20;
/** A zstd file is decoded whole (no streaming decoder is installed), so only files up to this size are sampled. */
const WHOLE_ZSTD_LIMIT = 16 << 20;

/** Glue's `compressionType` values for the compressions it detects. */
export type Compression = 'none' | 'gzip' | 'bzip2' | 'zstd' | 'lz4' | 'zip' | 'snappy';

/** What a crawler reads of one file: its start, decompressed, and how it is compressed. */
export interface FileSample {
  file: StoredObject;
  compression: Compression;
  /** The raw first bytes (magic numbers: Avro, Parquet). */
  raw: Uint8Array;
  /** The first SAMPLE_BYTES of the content (decompressed); empty when it cannot be decoded here. */
  text: Uint8Array;
  /** `text` is the whole content. */
  complete: boolean;
  /** Why the content could not be sampled (a compression without a decoder here). */
  unreadable?: string;
}

/** The compression a file's first bytes announce, by magic number (not by name: Glue looks inside). */
export function compressionOf(head: Uint8Array): Compression {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  if (at(0, 0x1f, 0x8b)) return 'gzip';
  if (at(0, 0x42, 0x5a, 0x68)) return 'bzip2'; // "BZh"
  if (at(0, 0x28, 0xb5, 0x2f, 0xfd)) return 'zstd';
  if (at(0, 0x04, 0x22, 0x4d, 0x18)) return 'lz4';
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) return 'zip';
  if (at(0, 0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59)) return 'snappy'; // framing format
  return 'none';
}

/** Reads a file's start through its store: a ranged read of at most SAMPLE_BYTES, decompressed where a decoder exists. */
export async function sampleFile(store: Store, file: StoredObject): Promise<FileSample> {
  const raw = file.size === 0 ? new Uint8Array(0) : await store.readRange(file.path, 0, Math.min(file.size, SAMPLE_BYTES));
  const compression = compressionOf(raw);
  const rawComplete = raw.length === file.size;
  switch (compression) {
    case 'none':
      return { file, compression, raw, text: raw, complete: rawComplete };
    case 'gzip':
    case 'bzip2': {
      const { bytes, complete } = await decodeHead(compression, raw, rawComplete);
      return { file, compression, raw, text: bytes, complete };
    }
    case 'zstd': {
      if (file.size > WHOLE_ZSTD_LIMIT) return unreadable(file, compression, raw, `zstd file over ${WHOLE_ZSTD_LIMIT >> 20} MB (sampled only whole)`);
      const whole = rawComplete ? raw : await store.readRange(file.path, 0, file.size);
      try {
        const zstd = await import('@mongodb-js/zstd');
        const bytes = new Uint8Array(await zstd.decompress(Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength)));
        return { file, compression, raw, text: bytes.subarray(0, SAMPLE_BYTES), complete: bytes.length <= SAMPLE_BYTES };
      } catch (error) {
        return unreadable(file, compression, raw, `zstd: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    default:
      return unreadable(file, compression, raw, `no ${compression} decoder is installed`);
  }
}

const unreadable = (file: StoredObject, compression: Compression, raw: Uint8Array, why: string): FileSample =>
  ({ file, compression, raw, text: new Uint8Array(0), complete: false, unreadable: why });

/** Decodes the start of a gzip or bzip2 stream (possibly cut), stopping after SAMPLE_BYTES of output. */
async function decodeHead(compression: 'gzip' | 'bzip2', raw: Uint8Array, rawComplete: boolean): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const { input, output } = await decoderFor(compression, 1 << 16);
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      output.destroy();
      const bytes = Buffer.concat(parts, size);
      resolve({ bytes: bytes.subarray(0, Math.min(size, SAMPLE_BYTES)), complete: complete && size <= SAMPLE_BYTES });
    };
    output.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size > SAMPLE_BYTES) finish(false);
    });
    output.on('end', () => finish(rawComplete));
    // A cut stream ends with an error ("unexpected end of file", a bzip2 block cut short): what was decoded so far is the sample.
    output.on('error', () => finish(false));
    input.end(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  });
}
