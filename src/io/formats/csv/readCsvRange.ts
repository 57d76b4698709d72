import { SluiceError } from '../../../types/ErrorRecord.js';
import type { ReadChunk, ReadOptions } from '../Format.js';
import { recordAlignedRange, type ByteRange } from '../byteRange.js';
import { withFileLineNumbers } from '../rangeLineNumbers.js';
import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner } from './CsvScanner.js';
import { csvFileBytes, isTranscoded, readCsvFile } from './csvReader.js';
import { headerNames } from './csvColumns.js';
import { parseCsvBytes } from './parseCsvBytes.js';
import { resolveCsvDialect } from './sniffCsv.js';
import { bomEncoding, isByteSplittableEncoding, toUtf8, type TextEncodingName } from './transcode.js';
import { readFileChunks } from './readFileChunks.js';

/**
 * The CSV records of one byte range of a file (a parallel split): a range past the start reads
 * the file's header first when `withHeader`, and reports the file's own line numbers. A file
 * whose sniffed dialect cannot be cut at '\n' bytes (multiLine, CR-only lines, UTF-16) is read
 * whole by its first range; the others read nothing.
 */
export function readCsvRange(file: string, range: ByteRange, options: CsvOptions, read: ReadOptions): AsyncIterable<ReadChunk> {
  const { start } = range;
  const chunks = (async function* () {
    const csv = await resolveCsvFileOptions(file, options);
    if (csv.multiLine === true || csv.lineSep === '\r' || !isByteSplittableEncoding(csv.encoding)) {
      if (start === 0) yield* readCsvFile(file, csv, read);
      return;
    }
    const header = start > 0 && csv.withHeader ? await readCsvHeader(file, csv) : undefined;
    const bytes = toUtf8(recordAlignedRange(file, range), csv.encoding, start === 0);
    yield* parseCsvBytes(bytes, { file, csv, read, atFileStart: start === 0, header, transcoded: isTranscoded(csv) });
  })();
  return withFileLineNumbers(chunks, file, start);
}

/**
 * The options a file's ranges are read with: its dialect (sniffed where not given) and the UTF-16
 * encoding its BOM announces. The split planner resolves them once per file (csvFormat's
 * `resolveFile`), so the ranges, on any thread, read with the same dialect and do not sniff again.
 */
export async function resolveCsvFileOptions(file: string, options: CsvOptions): Promise<CsvOptions> {
  const csv = await resolveCsvDialect(file, options);
  // A UTF-16 file announced by its BOM only cannot be cut at '\n' bytes either.
  if (csv.encoding !== undefined) return csv;
  const bom = await fileBomEncoding(file);
  return bom !== undefined && bom !== 'utf-8' ? { ...csv, encoding: bom } : csv;
}

/** The header names of a CSV file: its first record (blank lines skipped, as the reader does). */
async function readCsvHeader(file: string, csv: CsvOptions): Promise<string[]> {
  const scanner = new CsvScanner(resolveCsvOptions(csv), { atFileStart: true });
  for await (const chunk of csvFileBytes(file, csv, 1 << 16)) {
    scanner.push(chunk);
    if (scanner.scan(false, 1) === 1) return headerNames(scanner, 0, file);
  }
  if (scanner.scan(true, 1) === 1) return headerNames(scanner, 0, file);
  throw new SluiceError(`${file}: withHeader is set but the file has no header line`, { file });
}

/** The encoding the file's byte-order mark names, if it has one. */
async function fileBomEncoding(file: string): Promise<TextEncodingName | undefined> {
  for await (const chunk of readFileChunks(file, 4)) return bomEncoding(chunk);
  return undefined;
}
