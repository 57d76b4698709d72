import type { RecordBatch, Schema } from 'apache-arrow';
import type { WriteResult } from '../../Format.js';
import { CODEC_IDS, availableCompressor } from './compress.js';
import type { Codec } from './compress.js';
import { canEncode } from './parquetTypes.js';
import { writeParquetFile } from './parquetFileWriter.js';
import type { FileWriterOptions } from './parquetFileWriter.js';

export { canEncode, writeParquetFile };
export type { FileWriterOptions };

/**
 * Whether a file goes to the built-in encoder: every column flat and of a covered type, and the
 * codec's package loadable, unless SLUICE_PARQUET_ENCODER=wasm asks for parquet-wasm (to compare,
 * or as a way out). An unknown codec says yes, for the writer's own error message.
 */
export async function useBuiltInEncoder(schema: Schema, compression: string = 'snappy'): Promise<boolean> {
  if (process.env.SLUICE_PARQUET_ENCODER === 'wasm' || !canEncode(schema)) return false;
  return !(compression in CODEC_IDS) || (await availableCompressor(compression as Codec)) !== undefined;
}

/** Writes with the built-in encoder. */
export function writeBuiltIn(batches: AsyncIterable<RecordBatch>, path: string, schema: Schema, options: FileWriterOptions): Promise<WriteResult> {
  return writeParquetFile(batches, path, schema, options);
}
