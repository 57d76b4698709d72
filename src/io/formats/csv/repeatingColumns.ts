import { DataType, type Schema } from 'apache-arrow';
import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner, RECORD_OK } from './CsvScanner.js';
import { headerNames, positionalNames } from './csvColumns.js';
import { csvFileBytes } from './csvReader.js';
import { resolveCsvFileOptions } from './readCsvRange.js';

/** The head of the file sampled: enough records to judge, little enough to cost nothing (~1 ms). */
const SAMPLE_BYTES = 256 << 10;
const SAMPLE_ROWS = 8_192;
/** Fewer sampled rows than this say too little: small files keep plain string columns. */
const MIN_ROWS = 1_000;
/** A column is dictionary-encoded when the sample holds at most this many distinct values… */
const MAX_DISTINCT = 1_024;
/** …and at most one per this many rows. */
const ROWS_PER_DISTINCT = 16;

/**
 * The string columns of a CSV file whose values repeat (status, country, segment): the reader
 * produces them as Dictionary<Utf8, Int32> (DictionaryUtf8Builder), which saves copying their
 * bytes, and lets filters, group-by keys and the Parquet encoder work on the few distinct values.
 * Judged from the file's head: a wrong guess costs speed, never a value. `mode`: 'auto' as above,
 * 'always' every string column (tests run the suite so), 'off' none.
 */
export async function repeatingCsvColumns(path: string, options: CsvOptions, schema: Schema, mode: 'auto' | 'always'): Promise<string[]> {
  const strings = schema.fields.filter((f) => DataType.isUtf8(f.type)).map((f) => f.name);
  if (strings.length === 0 || mode === 'always') return strings;
  try {
    const csv = await resolveCsvFileOptions(path, options);
    return await sampleRepeating(path, csv, new Set(strings));
  } catch {
    // An unreadable head is the read's error to report, with its line and column.
    return [];
  }
}

async function sampleRepeating(path: string, options: CsvOptions, wanted: Set<string>): Promise<string[]> {
  const csv = resolveCsvOptions(options);
  const scanner = new CsvScanner(csv);
  let columns: { name: string; index: number; values: Set<string> }[] | undefined;
  let headerPending = csv.withHeader;
  let rows = 0;
  const visit = (final: boolean): void => {
    for (let n = scanner.scan(final, 4096); n > 0 && rows < SAMPLE_ROWS; n = scanner.scan(final, 4096)) {
      for (let r = 0; r < n && rows < SAMPLE_ROWS; r++) {
        if (headerPending) {
          headerPending = false;
          columns = headerNames(scanner, r, path).map((name, index) => ({ name, index, values: new Set<string>() })).filter((c) => wanted.has(c.name));
          continue;
        }
        if (scanner.recordStatus[r] !== RECORD_OK) continue;
        const count = scanner.recordFieldCount[r];
        columns ??= positionalNames(count).map((name, index) => ({ name, index, values: new Set<string>() })).filter((c) => wanted.has(c.name));
        const base = scanner.recordFieldBase[r];
        for (const column of columns) {
          if (column.index < count && column.values.size <= MAX_DISTINCT) column.values.add(scanner.fieldText(base + column.index));
        }
        rows++;
      }
    }
  };
  let consumed = 0;
  let ended = true;
  for await (const chunk of csvFileBytes(path, options, 64 << 10)) {
    scanner.push(chunk);
    consumed += chunk.length;
    visit(false);
    if (rows >= SAMPLE_ROWS || consumed >= SAMPLE_BYTES) {
      ended = false;
      break;
    }
  }
  if (ended) visit(true);
  if (rows < MIN_ROWS || !columns) return [];
  return columns.filter((c) => c.values.size <= MAX_DISTINCT && c.values.size * ROWS_PER_DISTINCT <= rows).map((c) => c.name);
}
