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
 * int64 as numbers when within ±2^53 (else strings), decimals as numbers in their scale's text.
 */
export function jsonBatchText(batch: RecordBatch, options: JsonWriteOptions = {}): string {
  const keys = batch.schema.names.map((name) => `${JSON.stringify(String(name))}:`);
  const columns = batch.data.children.map((data) => columnText(data, true));
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
