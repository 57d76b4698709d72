import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { readerFor } from '../../io/formats/registry.js';
import type { ReadChunk, ReadOptions } from '../../io/formats/Format.js';
import { parseCsvBytes } from '../../io/formats/csv/parseCsvBytes.js';
import { resolveCsvOptions, type CsvOptions } from '../../io/formats/csv/CsvOptions.js';
import { CsvScanner } from '../../io/formats/csv/CsvScanner.js';
import { headerNames } from '../../io/formats/csv/csvColumns.js';
import { readFileChunks } from '../../io/formats/csv/readFileChunks.js';
import { parseJsonLinesBytes } from '../../io/formats/json/jsonLinesBytes.js';
import type { JsonOptions } from '../../io/formats/json/jsonReader.js';
import { appendPartitionColumns } from '../../io/partitioning/discoverPartitions.js';
import { SluiceError, type ErrorRecord } from '../../types/ErrorRecord.js';
import type { ChunkStream } from '../Kernel.js';
import { countNewlinesBefore, recordAlignedRange } from './byteRange.js';
import type { Split, SplitPart } from './splits.js';

/** What a worker needs to read the scan's splits: the scan node's format and the bound schemas. */
export interface SplitScan {
  format: string;
  formatOptions: Record<string, unknown>;
  /** The file columns (partition columns excluded). */
  dataSchema: Schema;
  /** The partition columns produced (after projection) and where each is among a part's values. */
  partitionSchema: Schema;
  partitionIndex: number[];
  readColumns?: string[];
  rowsOnly: boolean;
  batchSize?: number;
}

/**
 * Reads a split as the single-threaded scan reads the same bytes: the file columns, then the
 * partition columns of each part's file. `checkCancelled` runs before every batch so a cancelled
 * job stops its workers within one batch.
 */
export async function* readSplit(split: Split, scan: SplitScan, checkCancelled: () => void): ChunkStream {
  const read: ReadOptions = { schema: scan.dataSchema, batchSize: scan.batchSize, ...(scan.readColumns ? { columns: scan.readColumns } : {}) };
  const partitioned = scan.partitionSchema.fields.length > 0;
  for (const part of split.parts) {
    checkCancelled();
    const values = scan.partitionIndex.map((i) => part.partitionValues[i]);
    for await (const chunk of readPart(part, scan, read)) {
      checkCancelled();
      let batch = chunk.batch;
      if (scan.rowsOnly) batch = withoutColumns(batch);
      else if (partitioned) batch = appendPartitionColumns(batch, scan.partitionSchema, values);
      yield { batch, errors: chunk.errors };
    }
  }
}

/** A batch with the same number of rows and no columns: all a count needs (as scan.ts). */
function withoutColumns(batch: RecordBatch): RecordBatch {
  return new RecordBatch(new Schema([]), makeData({ type: new Struct([]), length: batch.numRows, nullCount: 0, children: [] }));
}

function readPart(part: SplitPart, scan: SplitScan, read: ReadOptions): AsyncIterable<ReadChunk> {
  const format = scan.format.toLowerCase();
  if (part.kind === 'rowGroups') return readerFor(format).read(part.file, { ...scan.formatOptions, rowGroups: part.rowGroups }, read);
  if (part.kind === 'file') return readerFor(format).read(part.file, scan.formatOptions, read);
  const start = part.start!;
  const bytes = recordAlignedRange(part.file, start, part.end!);
  if (format === 'csv') {
    const csv = scan.formatOptions as CsvOptions;
    const chunks = (async function* () {
      const header = start > 0 && csv.withHeader ? await readCsvHeader(part.file, csv) : undefined;
      yield* parseCsvBytes(bytes, { file: part.file, csv, read, atFileStart: start === 0, header });
    })();
    return start === 0 ? chunks : withFileLines(chunks, part.file, start);
  }
  if (format === 'json') {
    const chunks = parseJsonLinesBytes(bytes, { file: part.file, options: scan.formatOptions as JsonOptions, read });
    return start === 0 ? chunks : withFileLines(chunks, part.file, start);
  }
  throw new SluiceError(`format '${scan.format}' cannot be read by byte range`);
}

/** The header names of a CSV file: its first record (blank lines skipped, as the reader does). */
async function readCsvHeader(file: string, csv: CsvOptions): Promise<string[]> {
  const scanner = new CsvScanner(resolveCsvOptions(csv), { atFileStart: true });
  for await (const chunk of readFileChunks(file, 1 << 16)) {
    scanner.push(chunk);
    if (scanner.scan(false, 1) === 1) return headerNames(scanner, 0);
  }
  if (scanner.scan(true, 1) === 1) return headerNames(scanner, 0);
  throw new SluiceError(`${file}: withHeader is set but the file has no header line`, { file });
}

/**
 * A range that starts inside a file numbers its lines from 1; its error records (and a failFast
 * error) get the file's line numbers back by adding the newlines before the range, counted only
 * once an error needs them. The range's reader skipped through the first '\n' at or after
 * `start`, so its first line is preceded by the newlines before `start` plus that one.
 */
async function* withFileLines(chunks: AsyncIterable<ReadChunk>, file: string, start: number): AsyncGenerator<ReadChunk> {
  let offset: number | undefined;
  const lineOffset = async () => (offset ??= (await countNewlinesBefore(file, start)) + 1);
  try {
    for await (const chunk of chunks) {
      if (chunk.errors.some((e) => e.file === file && e.line !== undefined)) {
        const shift = await lineOffset();
        for (const e of chunk.errors) shiftLine(e, file, shift);
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof SluiceError && error.details.file === file && error.details.line !== undefined) {
      const details = { ...error.details };
      const before = `${file}:${details.line}`;
      shiftLine(details as ErrorRecord, file, await lineOffset());
      throw new SluiceError(error.message.replace(before, `${file}:${details.line}`), details);
    }
    throw error;
  }
}

function shiftLine(e: ErrorRecord, file: string, shift: number): void {
  if (e.file !== file || e.line === undefined) return;
  const before = `${file}:${e.line}`;
  e.line += shift;
  if (e.message.startsWith(before)) e.message = `${file}:${e.line}${e.message.slice(before.length)}`;
}
