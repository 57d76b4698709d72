import { SluiceError } from '../../../types/ErrorRecord.js';
import type { ReadChunk, ReadOptions } from '../Format.js';
import { recordAlignedRange } from '../byteRange.js';
import { withFileLineNumbers } from '../rangeLineNumbers.js';
import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner } from './CsvScanner.js';
import { headerNames } from './csvColumns.js';
import { parseCsvBytes } from './parseCsvBytes.js';
import { readFileChunks } from './readFileChunks.js';

/**
 * The CSV records of one byte range of a file (a parallel split): a range past the start reads
 * the file's header first when `withHeader`, and reports the file's own line numbers.
 */
export function readCsvRange(file: string, range: { start: number; end: number }, csv: CsvOptions, read: ReadOptions): AsyncIterable<ReadChunk> {
  const { start, end } = range;
  const chunks = (async function* () {
    const header = start > 0 && csv.withHeader ? await readCsvHeader(file, csv) : undefined;
    yield* parseCsvBytes(recordAlignedRange(file, start, end), { file, csv, read, atFileStart: start === 0, header });
  })();
  return withFileLineNumbers(chunks, file, start);
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
