import { COMPRESSION_EXTENSIONS } from '../../compressionEndings.js';
import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, OPTIMIZE_PERFORMANCE_REASON, PARSE_MODE } from '../commonOptions.js';
import { importSibling, lazyAsync, lazyReader, lazyStream, lazyWriter } from '../lazy.js';
import type { CsvWriteOptions } from '../text/csvWriter.js';
import type { CsvOptions } from './CsvOptions.js';

const csvReader = lazyReader<CsvOptions>(async () => (await importSibling(() => import('./csvReader.js'), './csvReader.js', import.meta.url)).csvReader);
const csvWriter = lazyWriter<CsvWriteOptions>(async () => (await importSibling(() => import('../text/csvWriter.js'), '../text/csvWriter.js', import.meta.url)).csvWriter);
const readCsvRange = lazyStream(async () => (await importSibling(() => import('./readCsvRange.js'), './readCsvRange.js', import.meta.url)).readCsvRange);
const resolveCsvFileOptions = lazyAsync(async () => (await importSibling(() => import('./readCsvRange.js'), './readCsvRange.js', import.meta.url)).resolveCsvFileOptions);
import { isByteSplittableEncoding } from './transcode.js';

const SEPARATOR = { type: 'string', default: ',', description: 'Field separator, one ASCII character.' } as const;

/** CSV (Glue's `format="csv"`): read, written, split at line breaks unless `multiLine`. */
export const csvFormat = {
  name: 'csv' as const,
  aliases: [],
  extensions: { csv: {}, tsv: { separator: '\t' } },
  compressionExtensions: COMPRESSION_EXTENSIONS,
  read: {
    reader: csvReader,
    options: {
      label: 'CSV',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          separator: { type: 'string', description: 'Field separator, one ASCII character. Default: with sniff, sniffed among `,` `|` `;` and tab (else `,`).' },
          quoteChar: { type: ['string', 'integer'], description: 'Quote character, one ASCII character; -1 turns quoting off. Default: with sniff, sniffed among `"`, `\'` and none (else `"`).' },
          escaper: { type: 'string', description: 'Escape character inside and outside quotes (`\\n`, `\\t`… are translated). "" (Glue Studio\'s default): none, quotes are doubled (RFC 4180). Default: with sniff, sniffed between none and `\\` (else none).' },
          withHeader: { type: 'boolean', description: 'The first line names the columns; otherwise they are col0, col1, … Default: with sniff, sniffed with DuckDB\'s rule (a header when a first-row value does not fit its column\'s type, or every column is text); else false (Glue). Header names are made unique as Spark does: an empty name becomes `_c<i>` (0-based position), names repeated case-insensitively get their position appended (`id,ID` → `id0,ID1`).' },
          skipFirst: { type: 'boolean', default: false, description: 'Skip the first data record (the one after the header with withHeader).' },
          multiLine: { type: 'boolean', description: 'Quoted fields may hold line breaks. Off, a file is split at any line break for parallel reads, and a line break inside quotes makes the record malformed. Default: with sniff, sniffed (on when a quoted field of the first 64 KiB holds a line break; such a file is read by one task), else false.' },
          skip: { type: 'integer', minimum: 0, description: 'Lines skipped before the header (or the first record): a preamble. Glue\'s skipFirst skips one record after the header instead. Default: with sniff, sniffed (the lines above the first record of the table\'s width), else 0.' },
          lineSep: { type: 'string', enum: ['\n', '\r\n', '\r'], description: "Line separator: '\\n' (which also reads '\\r\\n') or '\\r' (CR-only files; read by one task). Default: with sniff, sniffed, else '\\n'." },
          encoding: { type: 'string', default: 'utf-8', description: 'Character encoding (Spark\'s name; `charset` in Spark is the same): utf-8, iso-8859-1 (latin1), windows-1252 (cp1252), utf-16le, utf-16be, utf-16. Other encodings are decoded to UTF-8 before parsing. A UTF-8 BOM is skipped; a UTF-16 BOM switches to UTF-16 when no encoding is given. In UTF-8, invalid bytes make the record an error record (file, line, column), never replacement characters.' },
          sniff: { type: 'boolean', default: false, description: 'Sniff the dialect options not given (separator, quoteChar, escaper, withHeader, skip, lineSep, multiLine) from the first 64 KiB of each file, in the spirit of DuckDB\'s sniffer; options given always win. Off by default in the library, job specs and Glue scripts (Glue\'s defaults, as Glue reads); on by default in `sluice show`, `schema` and `convert`, which print the chosen dialect on stderr (`--option sniff=false` turns it off).' },
          mode: PARSE_MODE,
          batchSize: BATCH_SIZE,
        },
      },
      ignored: { optimizePerformance: OPTIMIZE_PERFORMANCE_REASON },
    },
    split: {
      kind: 'byteRange',
      // A sniffed multiLine, CR-only or UTF-16 file is read whole by its first range (readCsvRange).
      splittable: (options) => options.multiLine !== true && options.lineSep !== '\r' && isByteSplittableEncoding(options.encoding as string | undefined),
      readRange: (file, range, options, read) => readCsvRange(file, range, options as CsvOptions, read),
      resolveFile: async (file, options) => ({ ...(await resolveCsvFileOptions(file, options as CsvOptions)) }),
    },
  },
  write: {
    writer: csvWriter,
    extension: 'csv',
    options: {
      label: 'CSV',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          writeHeader: { type: 'boolean', default: true, description: 'Write the column names first.' },
          header: { type: 'boolean', default: true, description: 'Same as writeHeader (Spark\'s name).' },
          separator: SEPARATOR,
          quoteChar: { type: 'string', default: '"', description: 'Quote character; doubled inside quoted fields (RFC 4180).' },
          lineSeparator: { type: 'string', default: '\n', description: "Line end: '\\n' (Spark's default) or '\\r\\n' (strict RFC 4180)." },
        },
      },
      ignored: { strictCheckForQuoting: 'a field is quoted exactly when it must be (separator, quote, line break, or empty)' },
    },
  },
} satisfies FormatDef;
