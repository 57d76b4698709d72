import type { RecordBatch } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { FormatWriter, WriteResult } from '../Format.js';
import { columnText } from './columnText.js';
import { TextFileSink } from './textFileSink.js';

export interface CsvWriteOptions {
  /** Write the column names first (default true). */
  header?: boolean;
  /** Glue's name for `header`. */
  writeHeader?: boolean;
  /** Field separator, one character (default ','). */
  separator?: string;
  /** Quote character, one character (default '"'); doubled inside quoted fields (RFC 4180). */
  quoteChar?: string;
  /** Default '\n' (as Spark); use '\r\n' for strict RFC 4180. */
  lineSeparator?: string;
}

/**
 * Quotes a field only when it must be: it holds the separator, the quote, a line break, or is the
 * empty string (quoted as `""` so that it reads back apart from null, which is an empty field).
 */
function csvQuoter(separator: string, quote: string): (text: string) => string {
  const doubled = quote + quote;
  const quoteAll = new RegExp(escapeRegExp(quote), 'g');
  return (text) => {
    if (text.length === 0) return doubled;
    if (text.includes(separator) || text.includes(quote) || text.includes('\n') || text.includes('\r')) {
      return quote + text.replace(quoteAll, doubled) + quote;
    }
    return text;
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The CSV text of one batch: cells are formatted column by column, then joined row by row. */
export function csvBatchText(batch: RecordBatch, quoteField: (text: string) => string, separator: string, lineSeparator: string): string {
  const columns = batch.data.children.map((data, c) => {
    const texts = columnText(data, false, batch.schema.fields[c]);
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i];
      texts[i] = text === null ? '' : quoteField(text);
    }
    return texts as string[];
  });
  let out = '';
  for (let row = 0; row < batch.numRows; row++) {
    let line = columns.length ? columns[0][row] : '';
    for (let c = 1; c < columns.length; c++) line += separator + columns[c][row];
    out += line + lineSeparator;
  }
  return out;
}

async function writeCsv(batches: AsyncIterable<RecordBatch>, path: string, options: CsvWriteOptions): Promise<WriteResult> {
  const separator = options.separator ?? ',';
  const quote = options.quoteChar ?? '"';
  const lineSeparator = options.lineSeparator ?? '\n';
  if (separator.length !== 1 || quote.length !== 1 || separator === quote) {
    throw new SluiceError(`CSV separator and quoteChar must be single, different characters; got '${separator}' and '${quote}'`);
  }
  const quoteField = csvQuoter(separator, quote);
  const sink = new TextFileSink(path);
  let rows = 0;
  let wroteHeader = !(options.header ?? options.writeHeader ?? true);
  try {
    for await (const batch of batches) {
      if (!wroteHeader) {
        await sink.write(batch.schema.names.map((name) => quoteField(String(name))).join(separator) + lineSeparator);
        wroteHeader = true;
      }
      rows += batch.numRows;
      if (batch.numRows > 0) await sink.write(csvBatchText(batch, quoteField, separator, lineSeparator));
    }
    const bytes = await sink.close();
    return { rows, bytes, files: [path] };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Writes batches as one CSV file (gzipped when the path ends in `.gz`). */
export const csvWriter: FormatWriter<CsvWriteOptions> = { write: writeCsv };
