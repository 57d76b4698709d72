import { crc32, inflateRaw } from 'node:zlib';
import { SluiceError } from '../../../types/ErrorRecord.js';
import { uncompressSnappy } from '../../compress/snappyUncompress.js';

/** avsc's block codec: decompresses one block, answering through the callback. */
type AvroCodec = (block: Buffer, done: (error: Error | null, data?: Buffer) => void) => void;

/** The codecs of the Avro spec sluice reads; the native one (zstd) loads on first use. */
export const AVRO_CODECS = ['null', 'deflate', 'snappy', 'zstandard'] as const;

/**
 * Avro's snappy blocks are raw snappy data followed by the big-endian CRC32 of the uncompressed
 * bytes (the spec's framing, as Spark and Hive write it): checked, so a damaged block is an error.
 */
function unsnappy(block: Buffer, file: string): Buffer {
  if (block.length < 4) throw new SluiceError(`${file}: Avro snappy block of ${block.length} bytes has no checksum (corrupt or truncated?)`, { file });
  let data: Buffer;
  try {
    const raw = uncompressSnappy(block.subarray(0, block.length - 4));
    data = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  } catch (error) {
    throw new SluiceError(`${file}: an Avro snappy block does not uncompress (the file is corrupt): ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const expected = block.readUInt32BE(block.length - 4);
  const actual = crc32(data) >>> 0;
  if (actual !== expected) {
    throw new SluiceError(`${file}: Avro snappy block fails its CRC32 check (stored ${expected.toString(16)}, computed ${actual.toString(16)}): the file is corrupt`, { file });
  }
  return data;
}

async function unzstd(block: Buffer): Promise<Buffer> {
  const zstd = await import('@mongodb-js/zstd');
  return zstd.decompress(block);
}

const callback = (work: Promise<Buffer>, done: (error: Error | null, data?: Buffer) => void) => {
  work.then((data) => done(null, data), (error: unknown) => done(error instanceof Error ? error : new Error(String(error))));
};

/** The `codecs` option of avsc's BlockDecoder for one file (errors name it). */
export function avroCodecs(file: string): Record<string, AvroCodec> {
  return {
    null: (block, done) => done(null, block),
    deflate: (block, done) => inflateRaw(block, done),
    // Answered asynchronously: avsc's block stream stalled when this codec answered synchronously.
    snappy: (block, done) => callback(Promise.resolve(block).then((b) => unsnappy(b, file)), done),
    zstandard: (block, done) => callback(unzstd(block), done),
  };
}

/** avsc's "unknown codec: x" as a message naming the codec and those sluice reads; undefined for other errors. */
export function unknownCodecError(file: string, error: unknown): SluiceError | undefined {
  const match = error instanceof Error ? /^unknown codec: (.*)$/.exec(error.message) : null;
  if (!match) return undefined;
  return new SluiceError(`${file}: Avro codec '${match[1]}' is not supported (sluice reads ${AVRO_CODECS.join(', ')})`, { file });
}
