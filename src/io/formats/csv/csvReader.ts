import type { Schema } from 'apache-arrow';
import type { FormatReader, ReadOptions } from '../Format.js';
import type { CsvOptions } from './CsvOptions.js';
import { inferCsvSchema } from './inferCsvSchema.js';
import { parseCsvBytes, type CsvReadChunk } from './parseCsvBytes.js';
import { readFileChunks } from './readFileChunks.js';
import { resolveCsvDialect } from './sniffCsv.js';
import { canonicalEncoding, toUtf8 } from './transcode.js';
import { repeatingCsvColumns } from './repeatingColumns.js';

/** Whether bytes in this (resolved) encoding are decoded to UTF-8 before the scanner. */
export const isTranscoded = (options: CsvOptions): boolean => (canonicalEncoding(options.encoding) ?? 'utf-8') !== 'utf-8';

/** A file's bytes as UTF-8 (gzip by the `.gz` extension), decoded from its encoding. */
export const csvFileBytes = (path: string, options: CsvOptions, chunkSize?: number): AsyncGenerator<Uint8Array> =>
  toUtf8(readFileChunks(path, chunkSize), options.encoding);

const HEADER_CHUNK_BYTES = 64 << 10;

/** Infers the schema of a CSV file from its first records, its dialect sniffed where not given. */
export async function inferCsvFileSchema(path: string, options: CsvOptions = {}): Promise<Schema> {
  const csv = await resolveCsvDialect(path, options);
  return inferCsvSchema(csvFileBytes(path, csv), { file: path, csv });
}

/**
 * The column names of a CSV file: its header (or col0, col1, …) from the first record alone, read
 * in small chunks (the scanner would otherwise cut a whole 1 MiB chunk into records for one).
 */
export async function csvFileColumnNames(path: string, options: CsvOptions = {}): Promise<string[]> {
  const csv = await resolveCsvDialect(path, options);
  return (await inferCsvSchema(csvFileBytes(path, csv, HEADER_CHUNK_BYTES), { file: path, csv, sampleRows: 1 })).names as string[];
}

/** Reads a CSV file into Arrow record batches and error records, its dialect sniffed where not given. */
export async function* readCsvFile(path: string, options: CsvOptions, read: ReadOptions): AsyncGenerator<CsvReadChunk> {
  const csv = await resolveCsvDialect(path, options);
  yield* parseCsvBytes(csvFileBytes(path, csv), { file: path, csv, read, transcoded: isTranscoded(csv) });
}

/** The CSV format's reader (Glue's `format="csv"`). */
export const csvReader: FormatReader<CsvOptions> = {
  inferSchema: inferCsvFileSchema,
  columnNames: csvFileColumnNames,
  repeatingColumns: repeatingCsvColumns,
  read: readCsvFile,
};
