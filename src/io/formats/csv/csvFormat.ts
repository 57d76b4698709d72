import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, OPTIMIZE_PERFORMANCE_REASON, PARSE_MODE } from '../commonOptions.js';
import { importSibling, lazyReader, lazyStream, lazyWriter } from '../lazy.js';
import type { CsvWriteOptions } from '../text/csvWriter.js';
import type { CsvOptions } from './CsvOptions.js';

const csvReader = lazyReader<CsvOptions>(async () => (await importSibling(() => import('./csvReader.js'), './csvReader.js', import.meta.url)).csvReader);
const csvWriter = lazyWriter<CsvWriteOptions>(async () => (await importSibling(() => import('../text/csvWriter.js'), '../text/csvWriter.js', import.meta.url)).csvWriter);
const readCsvRange = lazyStream(async () => (await importSibling(() => import('./readCsvRange.js'), './readCsvRange.js', import.meta.url)).readCsvRange);

const SEPARATOR = { type: 'string', default: ',', description: 'Field separator, one ASCII character.' } as const;

/** CSV (Glue's `format="csv"`): read, written, split at line breaks unless `multiLine`. */
export const csvFormat = {
  name: 'csv' as const,
  aliases: [],
  extensions: { csv: {}, tsv: { separator: '\t' } },
  compressionExtensions: ['gz'],
  read: {
    reader: csvReader,
    options: {
      label: 'CSV',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          separator: SEPARATOR,
          quoteChar: { type: ['string', 'integer'], default: '"', description: 'Quote character, one ASCII character; -1 turns quoting off.' },
          escaper: { type: 'string', description: 'Escape character inside and outside quotes (`\\n`, `\\t`… are translated). Default, or "" (Glue Studio\'s default): none, quotes are doubled (RFC 4180).' },
          withHeader: { type: 'boolean', default: false, description: 'The first line names the columns; otherwise they are col0, col1, …' },
          skipFirst: { type: 'boolean', default: false, description: 'Skip the first data record (the one after the header with withHeader).' },
          multiLine: { type: 'boolean', default: false, description: 'Quoted fields may hold line breaks. Off, a file is split at any line break for parallel reads, and a line break inside quotes makes the record malformed.' },
          mode: PARSE_MODE,
          batchSize: BATCH_SIZE,
        },
      },
      ignored: { optimizePerformance: OPTIMIZE_PERFORMANCE_REASON },
    },
    split: {
      kind: 'byteRange',
      splittable: (options) => options.multiLine !== true,
      readRange: (file, range, options, read) => readCsvRange(file, range, options as CsvOptions, read),
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
