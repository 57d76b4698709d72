import { nestsTooDeep, tooDeepMessage } from './jsonDepth.js';
import { jsonSyntaxError } from './jsonSplitter.js';
import type { ReadChunk, ReadOptions } from '../Format.js';
import { RecordBatcher } from '../RecordBatcher.js';
import { isObject } from './jsonPath.js';
import type { JsonOptions } from './jsonReader.js';
import { textLines } from './textLines.js';
import { WidenSignal } from '../../../types/WidenSignal.js';

/** Where JSON-lines bytes come from, for error records. */
export interface JsonLinesSource {
  file: string;
  options: JsonOptions;
  read: ReadOptions;
}

/**
 * The JSON-lines reader without the file: parses lines from any byte source, e.g. a byte range
 * of a large file read by a parallel split (exec/parallel). Same records, error records and
 * modes as `jsonReader` in lines mode; line numbers count from the first byte given, so a split
 * that starts inside a file shifts them itself.
 *
 * Batches and parse modes come from RecordBatcher, as in jsonReader.ts; only the line loop is
 * its own (jsonReader's lines mode could be folded onto it).
 */
export async function* parseJsonLinesBytes(bytes: AsyncIterable<Uint8Array>, source: JsonLinesSource): AsyncGenerator<ReadChunk> {
  const { file, options, read } = source;
  const batcher = new RecordBatcher(file, read, options.mode);
  const { fields } = batcher;
  const reject = (line: number, raw: string, why: string, column?: number) =>
    batcher.reject({ message: `${file}:${line}${column !== undefined ? `:${column}` : ''}: ${why}`, file, line, column, raw });

  for await (const run of textLines(bytes)) {
    for (let i = 0; i < run.lines.length; i++) {
      const text = run.lines[i];
      if (text.trim() === '') continue;
      const line = run.firstLine + i;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        const { message, position } = jsonSyntaxError(error, text);
        reject(line, text, `malformed JSON: ${message}`, position === undefined ? undefined : position + 1);
        continue;
      }
      if (nestsTooDeep(record, text)) {
        reject(line, text, tooDeepMessage);
        continue;
      }
      if (!isObject(record)) {
        reject(line, text, `expected a JSON object, got ${JSON.stringify(record)}`);
        continue;
      }
      const values = fields.map((field) => (record as Record<string, unknown>)[field.name]);
      const why = batcher.misfit(values);
      if (why) {
        const widening = batcher.widening(values);
        if (widening) throw new WidenSignal(widening, `${file}:${line}: ${why}`, { file, line });
        reject(line, text, why);
        continue;
      }
      const full = batcher.append(values);
      if (full) yield full;
    }
  }
  const last = batcher.finish();
  if (last) yield last;
}
