import type { Schema } from 'apache-arrow';
import type { FormatReader, ReadOptions } from '../Format.js';
import type { CsvOptions } from './CsvOptions.js';
import { inferCsvSchema } from './inferCsvSchema.js';
import { parseCsvBytes, type CsvReadChunk } from './parseCsvBytes.js';
import { readFileChunks } from './readFileChunks.js';

/** Infers the schema of a CSV file (gzip by the `.gz` extension) from its first records. */
export function inferCsvFileSchema(path: string, options: CsvOptions = {}): Promise<Schema> {
  return inferCsvSchema(readFileChunks(path), { file: path, csv: options });
}

/** Reads a CSV file (gzip by the `.gz` extension) into Arrow record batches and error records. */
export function readCsvFile(path: string, options: CsvOptions, read: ReadOptions): AsyncGenerator<CsvReadChunk> {
  return parseCsvBytes(readFileChunks(path), { file: path, csv: options, read });
}

/** The CSV format's reader (Glue's `format="csv"`). */
export const csvReader: FormatReader<CsvOptions> = {
  inferSchema: inferCsvFileSchema,
  read: readCsvFile,
};
