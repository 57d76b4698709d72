import type { RecordBatch } from 'apache-arrow';
import type { FormatWriter, WriteResult } from '../Format.js';
import { columnText } from './columnText.js';
import { TextFileSink } from './textFileSink.js';

export interface JsonWriteOptions {
  /** Leave out fields whose value is null (Spark's `ignoreNullFields`). Default false: write `null`. */
  ignoreNullFields?: boolean;
}

/**
 * The JSON-lines text of one batch. Values: timestamps as ISO strings with Z, dates YYYY-MM-DD,
 * times HH:MM:SS.ffffff, every integer (int64 past 2^53 too, as Spark) as a JSON number with its
 * exact digits, decimals as numbers in their scale's text, maps as objects, UUIDs as canonical
 * strings, binary as base64. Readers that parse JSON numbers as doubles (JSON.parse, so sluice's
 * own JSON reader) round integers past 2^53; DuckDB and Spark read them exactly.
 */
export function jsonBatchText(batch: RecordBatch, options: JsonWriteOptions = {}): string {
  const keys = batch.schema.names.map((name) => `${JSON.stringify(String(name))}:`);
  const columns = batch.data.children.map((data, c) => columnText(data, true, batch.schema.fields[c]));
  let out = '';
  for (let row = 0; row < batch.numRows; row++) {
    let line = '{';
    let first = true;
    for (let c = 0; c < columns.length; c++) {
      const value = columns[c][row];
      if (value === null && options.ignoreNullFields) continue;
      line += (first ? '' : ',') + keys[c] + (value ?? 'null');
      first = false;
    }
    out += `${line}}\n`;
  }
  return out;
}

async function writeJson(batches: AsyncIterable<RecordBatch>, path: string, options: JsonWriteOptions): Promise<WriteResult> {
  const sink = new TextFileSink(path);
  let rows = 0;
  try {
    for await (const batch of batches) {
      rows += batch.numRows;
      if (batch.numRows > 0) await sink.write(jsonBatchText(batch, options));
    }
    return { rows, bytes: await sink.close(), files: [path] };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

/** Writes batches as one JSON-lines file (gzipped when the path ends in `.gz`). */
export const jsonWriter: FormatWriter<JsonWriteOptions> = { write: writeJson };
