import type { FormatReader } from './Format.js';
import { avroReader } from './avro/avroReader.js';
import { csvReader } from './csv/csvReader.js';
import { jsonReader } from './json/jsonReader.js';
import { parquetReader } from './parquet/parquetReader.js';
import { xmlReader } from './xml/xmlReader.js';
import { SluiceError } from '../../types/ErrorRecord.js';

const READERS: Record<string, FormatReader<never>> = {
  csv: csvReader as FormatReader<never>,
  json: jsonReader as FormatReader<never>,
  parquet: parquetReader as FormatReader<never>,
  avro: avroReader as FormatReader<never>,
  xml: xmlReader as FormatReader<never>,
};

/** The reader of a format name, as job specs and Glue's `format` option name them. */
export function readerFor(format: string): FormatReader<Record<string, unknown>> {
  const reader = READERS[format.toLowerCase()];
  if (!reader) throw new SluiceError(`unknown format '${format}'; supported: ${Object.keys(READERS).join(', ')}`);
  return reader as FormatReader<Record<string, unknown>>;
}

/** The format a path's extension suggests (`.csv.gz` → csv), for the CLI's show/convert. */
export function formatOfPath(path: string): string | undefined {
  const m = /\.(csv|tsv|json|jsonl|ndjson|parquet|avro|xml)(\.gz)?$/i.exec(path);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext === 'tsv' ? 'csv' : ext === 'jsonl' || ext === 'ndjson' ? 'json' : ext;
}

/**
 * The format names a read or a write accepts, for the job-spec schema and error messages.
 * (Interim: the format-definition registry replaces this list.)
 */
export function formatNames(direction: 'read' | 'write'): string[] {
  return direction === 'read' ? Object.keys(READERS) : ['parquet', 'csv', 'json'];
}
