import { SluiceError } from '../../../types/ErrorRecord.js';
import { canonicalEncoding } from './transcode.js';

/** How malformed rows are handled, as in Spark's CSV reader. */
export type CsvMode = 'permissive' | 'dropMalformed' | 'failFast';

/**
 * Glue's CSV format options (camelCase, as in `format_options`), plus Spark's `mode`.
 *
 * Choices worth knowing:
 * - `multiLine` defaults to false, like Glue: records then end at every newline, so a file can be
 *   split at any line break for parallel reads, and a newline inside quotes makes that record
 *   malformed (an error record, never silently merged rows). Set it to true for files whose
 *   quoted fields contain line breaks.
 * - An unquoted empty field is null for every type, strings included (Spark's default
 *   `nullValue`). A quoted empty field (`""`) is the empty string for utf8 columns (Spark's
 *   `emptyValue`) and null for other types.
 * - A quote inside an unquoted field is kept literally (`ab"c` reads as `ab"c`).
 */
export interface CsvOptions {
  /** Field separator, one character (default ','). */
  separator?: string;
  /** Quote character (default '"'); -1 turns quoting off. */
  quoteChar?: string | -1;
  /**
   * Escape character (default none: quotes inside quoted fields are doubled, as in RFC 4180).
   * When set, it escapes the next character in any field, quoted or not; `\n`, `\r`, `\t` and
   * `\0` are translated, as Glue does. With an escaper, doubled quotes are no longer an escape.
   * The empty string (Glue Studio's default) means none.
   */
  escaper?: string;
  /** The first line names the columns (default false: columns are col0, col1, …). */
  withHeader?: boolean;
  /** Skip the first data record (the one after the header when `withHeader`). */
  skipFirst?: boolean;
  /** Quoted fields may contain line breaks (default false, see above). */
  multiLine?: boolean;
  /** Malformed rows: error records (default), dropped and counted, or thrown. */
  mode?: CsvMode;
  /** Lines skipped before the header (or the first record): a preamble (default 0). */
  skip?: number;
  /** Line separator: '\n' (which also accepts '\r\n', the default) or '\r' (old Mac files). */
  lineSep?: string;
  /** Character encoding of the file (default utf-8; a UTF-16 BOM switches to UTF-16). */
  encoding?: string;
  /**
   * Sniff the dialect options not given (`sluice show|schema|convert` do by default). Default
   * false for the library, job specs and Glue scripts: Glue's defaults, as Glue reads.
   */
  sniff?: boolean;
}

/** The options as byte codes, checked once, for the scanner's hot loop. */
export interface ResolvedCsvOptions {
  separator: number;
  /** -1 when quoting is off. */
  quote: number;
  /** -1 when there is no escaper (quotes are escaped by doubling). */
  escaper: number;
  withHeader: boolean;
  skipFirst: boolean;
  multiLine: boolean;
  mode: CsvMode;
  /** Physical lines skipped before anything is read. */
  skip: number;
  /** The line-break byte: LF (CRLF accepted too) or CR. */
  newline: number;
}

const MODES: readonly CsvMode[] = ['permissive', 'dropMalformed', 'failFast'];

function singleAsciiByte(name: string, value: string): number {
  if (value.length !== 1 || value.charCodeAt(0) > 0x7f) {
    throw new SluiceError(`CSV option ${name} must be a single ASCII character, got '${value}'`);
  }
  return value.charCodeAt(0);
}

/** Checks the options and turns their characters into bytes. */
export function resolveCsvOptions(options: CsvOptions = {}): ResolvedCsvOptions {
  const separator = singleAsciiByte('separator', options.separator ?? ',');
  const quoteChar = options.quoteChar ?? '"';
  const quote = quoteChar === -1 ? -1 : singleAsciiByte('quoteChar', quoteChar);
  let escaper = options.escaper === undefined || options.escaper === '' ? -1 : singleAsciiByte('escaper', options.escaper);
  // An escaper equal to the quote is RFC 4180 doubling, which the scanner does by default.
  if (escaper === quote) escaper = -1;
  const mode = options.mode ?? 'permissive';
  if (!MODES.includes(mode)) {
    throw new SluiceError(`CSV option mode must be one of ${MODES.join(', ')}, got '${String(mode)}'`);
  }
  for (const [name, byte] of [['quoteChar', quote], ['escaper', escaper]] as const) {
    if (byte === separator || byte === 0x0a || byte === 0x0d) {
      throw new SluiceError(`CSV option ${name} must differ from the separator and line breaks`);
    }
  }
  if (separator === 0x0a || separator === 0x0d) {
    throw new SluiceError('CSV option separator cannot be a line break');
  }
  const skip = options.skip ?? 0;
  if (!(Number.isInteger(skip) && skip >= 0)) throw new SluiceError(`CSV option skip must be a non-negative integer, got ${String(skip)}`);
  const lineSep = options.lineSep ?? '\n';
  if (lineSep !== '\n' && lineSep !== '\r\n' && lineSep !== '\r') {
    throw new SluiceError(`CSV option lineSep must be '\\n', '\\r\\n' or '\\r', got ${JSON.stringify(lineSep)}`);
  }
  const newline = lineSep === '\r' ? 0x0d : 0x0a;
  canonicalEncoding(options.encoding, 'CSV option encoding');
  return {
    separator,
    quote,
    escaper,
    withHeader: options.withHeader ?? false,
    skipFirst: options.skipFirst ?? false,
    multiLine: options.multiLine ?? false,
    mode,
    skip,
    newline,
  };
}
