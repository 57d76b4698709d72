import { Schema } from 'apache-arrow';
import { openBytes } from '../../input.js';
import type { ErrorRecord } from '../../../types/ErrorRecord.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { inferJsonSchema } from './inferJsonSchema.js';
import { nestsTooDeep, tooDeepMessage } from './jsonDepth.js';
import { RecordBatcher, type ParseMode } from '../RecordBatcher.js';
import { isObject, parseJsonPath, selectRecords } from './jsonPath.js';
import { textLines } from './textLines.js';
import { JsonRecordSplitter, jsonSyntaxError, type SplitCandidate } from './jsonSplitter.js';
import { isJsonDocument } from './jsonMode.js';
import { WidenSignal } from '../../../types/WidenSignal.js';

/** What to do with a record that cannot be parsed or does not fit the schema (as Spark's `mode`). */
export type { ParseMode } from '../RecordBatcher.js';

export interface JsonOptions {
  /**
   * 'lines' (default): one JSON object per line, streamed. 'document': the file is one JSON value
   * (parsed whole) and the records are the array `jsonPath` selects (default `$`, a top-level array).
   * Giving `jsonPath` or `multiLine: true` implies 'document'.
   */
  format?: 'lines' | 'document';
  /** Glue's name for 'document': a record may span lines, so the file is one JSON value (its array's elements, or the object itself). */
  multiLine?: boolean;
  /** Glue's spelling of multiLine (`format_options={"multiline": True}`). */
  multiline?: boolean;
  /** Where the records are in a document: `$`, `.key`, `['key']`, `[*]`, e.g. `$.data.items[*]`. */
  jsonPath?: string;
  /** permissive (default): bad records become error records; dropMalformed: dropped; failFast: throw. */
  mode?: ParseMode;
  /** Records sampled by `inferSchema` (default 1,000). */
  samplingRows?: number;
}

/** A record found in the input, parsed or not, with where it was found. */
interface Candidate {
  value?: unknown;
  /** Set when the text is not valid JSON. */
  syntax?: { message: string; column?: number; line?: number };
  line?: number;
  /** 1-based position among the records of a document. */
  index?: number;
  raw?: string;
}

const DEFAULT_BATCH_SIZE = 65_536;
const DEFAULT_SAMPLING_ROWS = 1_000;

/** Whether the file is read as one JSON value (else line by line). */
export { isJsonDocument } from './jsonMode.js';

/** Records of JSON lines, concatenated or pretty-printed objects, or top-level arrays (jsonSplitter.ts). */
async function* lineCandidates(path: string): AsyncGenerator<Candidate[]> {
  const splitter = new JsonRecordSplitter();
  for await (const run of textLines(openBytes(path))) {
    const candidates: SplitCandidate[] = [];
    for (let i = 0; i < run.lines.length; i++) splitter.push(run.lines[i], run.firstLine + i, candidates);
    yield candidates;
  }
  const last: SplitCandidate[] = [];
  splitter.end(last);
  if (last.length) yield last;
}

async function* documentCandidates(path: string, options: JsonOptions, batchSize: number): AsyncGenerator<Candidate[]> {
  const steps = parseJsonPath(options.jsonPath ?? '$');
  const decoder = new TextDecoder('utf-8');
  let text = '';
  for await (const chunk of openBytes(path)) text += decoder.decode(chunk, { stream: true });
  text += decoder.decode();
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const { message, position } = jsonSyntaxError(error, text);
    let where: { line?: number; column?: number } = {};
    if (position !== undefined) {
      const before = text.slice(0, position);
      const lineStart = before.lastIndexOf('\n') + 1;
      where = { line: before.split('\n').length, column: position - lineStart + 1 };
    }
    yield [{ syntax: { message, ...where }, line: where.line, raw: text.slice(0, 200) }];
    return;
  }
  text = '';
  const records = selectRecords(document, steps);
  for (let start = 0; start < records.length; start += batchSize) {
    const end = Math.min(records.length, start + batchSize);
    const candidates: Candidate[] = [];
    for (let i = start; i < end; i++) candidates.push({ value: records[i], index: i + 1 });
    yield candidates;
  }
}

function candidates(path: string, options: JsonOptions, batchSize: number): AsyncGenerator<Candidate[]> {
  return isJsonDocument(options) ? documentCandidates(path, options, batchSize) : lineCandidates(path);
}

function errorRecord(path: string, options: JsonOptions, candidate: Candidate, why: string): ErrorRecord {
  const line = candidate.syntax?.line ?? candidate.line;
  const column = candidate.syntax?.column;
  const where = line !== undefined ? `${path}:${line}${column !== undefined ? `:${column}` : ''}`
    : candidate.index !== undefined ? `${path} record ${candidate.index} of ${options.jsonPath ?? '$'}`
    : path; // a whole document that does not parse, where V8 names no position
  const raw = candidate.raw ?? JSON.stringify(candidate.value);
  return { message: `${where}: ${why}`, file: path, line, column, raw };
}

async function* readJson(path: string, options: JsonOptions, read: ReadOptions): AsyncGenerator<ReadChunk> {
  const batcher = new RecordBatcher(path, read, options.mode);
  const { fields } = batcher;
  const reject = (candidate: Candidate, why: string) => batcher.reject(errorRecord(path, options, candidate, why));

  for await (const run of candidates(path, options, read.batchSize ?? DEFAULT_BATCH_SIZE)) {
    for (const candidate of run) {
      if (candidate.syntax) {
        reject(candidate, `malformed JSON: ${candidate.syntax.message}`);
        continue;
      }
      const record = candidate.value;
      if (nestsTooDeep(record, candidate.raw)) {
        reject({ ...candidate, raw: candidate.raw ?? '' }, tooDeepMessage);
        continue;
      }
      if (!isObject(record)) {
        reject(candidate, `expected a JSON object, got ${JSON.stringify(record)}`);
        continue;
      }
      const values = fields.map((field) => record[field.name]);
      const why = batcher.misfit(values);
      if (why) {
        const widening = batcher.widening(values);
        if (widening) {
          const at = errorRecord(path, options, candidate, why);
          throw new WidenSignal(widening, at.message, { file: path, line: at.line });
        }
        reject(candidate, why);
        continue;
      }
      const full = batcher.append(values);
      if (full) yield full;
    }
  }
  const last = batcher.finish();
  if (last) yield last;
}

async function inferSchema(path: string, options: JsonOptions): Promise<Schema> {
  const limit = options.samplingRows ?? DEFAULT_SAMPLING_ROWS;
  const sample: unknown[] = [];
  for await (const run of candidates(path, options, limit)) {
    for (const candidate of run) if (!candidate.syntax && isObject(candidate.value)) sample.push(candidate.value);
    if (sample.length >= limit) break;
  }
  return inferJsonSchema(sample.slice(0, limit));
}

/**
 * Reads JSON lines (streamed line by line, gzip by extension) or a whole JSON document with a
 * `jsonPath` to its records. Objects become Struct columns, arrays List; see `inferJsonSchema`
 * for how types are inferred and how conflicting types become Utf8 JSON text.
 */
export const jsonReader: FormatReader<JsonOptions> = { inferSchema, read: readJson };
