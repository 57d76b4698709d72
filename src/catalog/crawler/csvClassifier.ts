import { Bool, Field, Float64, Int64, Utf8, type DataType } from 'apache-arrow';
import { sampleText, type Classification } from './Classification.js';
import { csvValueType, mergeCsvTypes, sampleRecords } from './csvSample.js';
import type { FileSample } from './sampleFile.js';

/** Glue's CSV delimiters, in the order its built-in classifier tries them. */
export const CSV_DELIMITERS = [',', '|', '\t', ';', '\u0001'] as const;
/** Records of a file the classifier reads (Glue: "the first 1000 records or the first 1 MB"). */
const SAMPLE_RECORDS = 1000;
/** A header cell is this long or longer: not a header (Glue's rule). */
const MAX_HEADER_CELL = 150;

/** A custom CSV classifier (Glue's `CsvClassifier`). */
export interface CsvClassifierDef {
  Name: string;
  Delimiter?: string;
  QuoteSymbol?: string;
  ContainsHeader?: 'UNKNOWN' | 'PRESENT' | 'ABSENT';
  Header?: string[];
  DisableValueTrimming?: boolean;
  AllowSingleColumn?: boolean;
}

const ARROW: Record<string, () => DataType> = { bigint: () => new Int64(), double: () => new Float64(), boolean: () => new Bool(), string: () => new Utf8() };

/**
 * Glue's built-in CSV classifier: the first of `, | \t ; \u0001` that reads the sample as a table
 * of at least two columns and two rows, every record the same width. The first row is a header
 * only when every cell of it is a string (not a number or boolean), shorter than 150 characters
 * (the last may be empty), and some column below it is not all strings; else columns are
 * `col1`, `col2`… Values are typed bigint ⊂ double, boolean, else string (dates stay strings:
 * LazySimpleSerDe reads them as text).
 */
export function classifyCsv(sample: FileSample, custom?: CsvClassifierDef): Classification | undefined {
  const text = sampleText(sample);
  if (text.length === 0 || text.includes('\0')) return undefined;
  const quote = custom?.QuoteSymbol ?? '"';
  const delimiters = custom?.Delimiter !== undefined ? [custom.Delimiter] : CSV_DELIMITERS;
  const minColumns = custom?.AllowSingleColumn ? 1 : 2;
  for (const delimiter of delimiters) {
    const { records, consumed } = sampleRecords(text, delimiter, quote, sample.complete, SAMPLE_RECORDS);
    if (records.length < 2) continue;
    const width = records[0].length;
    if (width < minColumns || records.some((record) => record.length !== width)) continue;
    const trim = custom?.DisableValueTrimming ? (v: string) => v : (v: string) => v.trim();
    const rows = records.map((record) => record.map(trim));
    const header = decideHeader(rows, custom);
    const data = header ? rows.slice(1) : rows;
    const types = columnTypes(data, width);
    const names = header ? headerNames(custom?.Header ?? rows[0], width) : (custom?.Header ? headerNames(custom.Header, width) : positional(width));
    const parameters: Record<string, string> = { delimiter };
    if (header) parameters['skip.header.line.count'] = '1';
    return {
      classification: 'csv',
      fields: names.map((name, c) => new Field(name, ARROW[types[c] ?? 'string'](), true)),
      sampleRecords: data.length,
      sampleBytes: Buffer.byteLength(text.slice(0, consumed)),
      exactRecords: sample.complete ? data.length : undefined,
      parameters,
      conflicts: 'string',
    };
  }
  return undefined;
}

function columnTypes(rows: readonly string[][], width: number): (string | undefined)[] {
  const types = new Array<string | undefined>(width).fill(undefined);
  for (const row of rows) for (let c = 0; c < width; c++) types[c] = mergeCsvTypes(types[c], csvValueType(row[c]));
  return types;
}

function decideHeader(rows: readonly string[][], custom: CsvClassifierDef | undefined): boolean {
  if (custom?.ContainsHeader === 'PRESENT') return true;
  if (custom?.ContainsHeader === 'ABSENT') return false;
  const first = rows[0];
  const last = first.length - 1;
  const cellsAreNames = first.every((cell, c) =>
    (cell === '' ? c === last && c > 0 : csvValueType(cell) === 'string') && cell.length < MAX_HEADER_CELL && !/[\u0000-\u001f]/.test(cell));
  if (!cellsAreNames) return false;
  return columnTypes(rows.slice(1), first.length).some((type) => type !== undefined && type !== 'string');
}

const positional = (width: number): string[] => Array.from({ length: width }, (_, c) => `col${c + 1}`);

/** Header cells as column names: lower-cased as the catalog keeps them; an empty one is `colN`, a repeated one `name_N`. */
function headerNames(cells: readonly string[], width: number): string[] {
  const seen = new Set<string>();
  return Array.from({ length: width }, (_, c) => {
    let name = (cells[c] ?? '').trim().toLowerCase() || `col${c + 1}`;
    for (let k = 1; seen.has(name); k++) name = `${(cells[c] ?? '').trim().toLowerCase()}_${k}`;
    seen.add(name);
    return name;
  });
}
