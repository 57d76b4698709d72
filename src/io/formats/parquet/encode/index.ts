import type { RecordBatch, Schema } from 'apache-arrow';
import type { WriteResult } from '../../Format.js';
import { canEncode } from './parquetTypes.js';
import { writeParquetFile } from './parquetFileWriter.js';
import type { FileWriterOptions } from './parquetFileWriter.js';

export { canEncode, writeParquetFile };
export type { FileWriterOptions };

/**
 * Whether a file of this schema goes to the built-in encoder: every column flat and of a covered
 * type, unless SLUICE_PARQUET_ENCODER=wasm asks for parquet-wasm (to compare, or as a way out).
 */
export function useBuiltInEncoder(schema: Schema): boolean {
  return process.env.SLUICE_PARQUET_ENCODER !== 'wasm' && canEncode(schema);
}

/** Writes with the built-in encoder. */
export function writeBuiltIn(batches: AsyncIterable<RecordBatch>, path: string, schema: Schema, options: FileWriterOptions): Promise<WriteResult> {
  return writeParquetFile(batches, path, schema, options);
}
