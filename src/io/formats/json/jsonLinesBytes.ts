import { RecordBatch, Schema, Struct, makeData, type Field } from 'apache-arrow';
import { SluiceError, type ErrorRecord } from '../../../types/ErrorRecord.js';
import type { ReadChunk, ReadOptions } from '../Format.js';
import { recordBuilders, type JsonColumnBuilder } from './jsonColumns.js';
import { isObject } from './jsonPath.js';
import type { JsonOptions } from './jsonReader.js';
import { textLines } from './textLines.js';

/** Where JSON-lines bytes come from, for error records. */
export interface JsonLinesSource {
  file: string;
  options: JsonOptions;
  read: ReadOptions;
}

const DEFAULT_BATCH_SIZE = 65_536;

/**
 * The JSON-lines reader without the file: parses lines from any byte source, e.g. a byte range
 * of a large file read by a parallel split (exec/parallel). Same records, error records and
 * modes as `jsonReader` in lines mode; line numbers count from the first byte given, so a split
 * that starts inside a file shifts them itself.
 *
 * Kept beside jsonReader.ts (whose lines path it mirrors) rather than inside it so the reader's
 * owner can fold `readJson`'s lines mode onto it in one step.
 */
export async function* parseJsonLinesBytes(bytes: AsyncIterable<Uint8Array>, source: JsonLinesSource): AsyncGenerator<ReadChunk> {
  const { file, options, read } = source;
  const mode = options.mode ?? 'permissive';
  const batchSize = read.batchSize ?? DEFAULT_BATCH_SIZE;
  const fields = wantedFields(file, read);
  const schema = new Schema(fields);
  const builders = recordBuilders(fields);
  let rows = 0;
  let errors: ErrorRecord[] = [];
  let emitted = false;

  const flush = (): ReadChunk => {
    const children = builders.map((builder) => builder.finish());
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
    const chunk = { batch, errors };
    rows = 0;
    errors = [];
    emitted = true;
    return chunk;
  };
  const reject = (line: number, raw: string, why: string, column?: number) => {
    if (mode === 'dropMalformed') return;
    const error: ErrorRecord = { message: `${file}:${line}${column !== undefined ? `:${column}` : ''}: ${why}`, file, line, column, raw };
    if (mode === 'failFast') throw new SluiceError(`${error.message} (mode failFast)`, error);
    errors.push(error);
  };

  for await (const run of textLines(bytes)) {
    for (let i = 0; i < run.lines.length; i++) {
      const text = run.lines[i];
      if (text.trim() === '') continue;
      const line = run.firstLine + i;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        const { message, position } = syntaxError(error, text);
        reject(line, text, `malformed JSON: ${message}`, position === undefined ? undefined : position + 1);
        continue;
      }
      if (!isObject(record)) {
        reject(line, text, `expected a JSON object, got ${JSON.stringify(record)}`);
        continue;
      }
      const why = firstMisfit(builders, fields, record);
      if (why) {
        reject(line, text, why);
        continue;
      }
      for (let k = 0; k < fields.length; k++) builders[k].append(record[fields[k].name]);
      if (++rows === batchSize) yield flush();
    }
  }
  if (rows > 0 || errors.length > 0 || !emitted) yield flush();
}

function wantedFields(path: string, read: ReadOptions): Field[] {
  if (!read.columns) return read.schema.fields;
  const missing = read.columns.filter((name) => !read.schema.names.includes(name));
  if (missing.length) throw new SluiceError(`Column(s) ${missing.join(', ')} asked of ${path} are not in the schema`, { file: path });
  return read.schema.fields.filter((field) => read.columns!.includes(field.name));
}

function firstMisfit(builders: JsonColumnBuilder[], fields: Field[], record: Record<string, unknown>): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const why = builders[i].check(record[fields[i].name]);
    if (why) return why;
  }
  return undefined;
}

/** V8 says "… in JSON at position 12" for most errors; the position is 0-based within the text. */
function syntaxError(error: unknown, text: string): { message: string; position?: number } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  const clean = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  if (position) return { message: clean, position: Number(position[1]) };
  if (/Unexpected end of JSON input/.test(message)) return { message: clean, position: text.length };
  return { message: clean };
}
