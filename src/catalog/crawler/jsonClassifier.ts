import { Field, List, Schema } from 'apache-arrow';
import { inferJsonSchema, typeOfJsonValue } from '../../io/formats/json/inferJsonSchema.js';
import { isObject, parseJsonPath, selectRecords } from '../../io/formats/json/jsonPath.js';
import { JsonRecordSplitter, type SplitCandidate } from '../../io/formats/json/jsonSplitter.js';
import { sampleText, type Classification } from './Classification.js';
import type { FileSample } from './sampleFile.js';

/** Records whose types the classifier merges (Glue samples the first 1,000). */
const SAMPLE_RECORDS = 1000;

/** A custom JSON classifier (Glue's `JsonClassifier`): `JsonPath` to the records, e.g. `$[*]`. */
export interface JsonClassifierDef {
  Name: string;
  JsonPath: string;
}

/**
 * Glue's built-in JSON classifier: JSON objects one after another (JSON lines, concatenated or
 * pretty-printed) give their merged fields (int ⊂ bigint ⊂ double, structs, arrays); a file that
 * is one top-level array gives a single column `array` of its elements, as Glue's does (a custom
 * classifier with `JsonPath: '$[*]'` makes the elements rows). Certain when the sample's records
 * all parse (the last of a cut sample may be cut).
 */
export function classifyJson(sample: FileSample, custom?: JsonClassifierDef): Classification | undefined {
  const text = sampleText(sample);
  const start = /\S/.exec(text);
  if (!start || (text[start.index] !== '{' && text[start.index] !== '[')) return undefined;
  if (custom) return classifyDocument(sample, text, custom.JsonPath);
  if (text[start.index] === '[') return classifyTopLevelArray(sample, text);
  const splitter = new JsonRecordSplitter();
  const found: SplitCandidate[] = [];
  const lines = text.split('\n');
  // A cut sample's last line is incomplete: leave it out.
  const whole = sample.complete ? lines.length : lines.length - 1;
  let bytes = 0;
  for (let i = 0; i < whole && found.length < SAMPLE_RECORDS; i++) {
    splitter.push(lines[i].replace(/\r$/, ''), i + 1, found);
    bytes += Buffer.byteLength(lines[i]) + 1;
  }
  const ended = whole === lines.length && found.length < SAMPLE_RECORDS;
  if (sample.complete) splitter.end(found);
  const records = found.slice(0, SAMPLE_RECORDS);
  // A cut sample may end inside a pretty-printed record: that one failure is the cut, not the format.
  const failures = records.filter((candidate) => candidate.syntax || !isObject(candidate.value));
  if (records.length === 0 || failures.length > (sample.complete ? 0 : 1) || (failures.length === 1 && failures[0] !== records[records.length - 1])) return undefined;
  const objects = records.filter((candidate) => !candidate.syntax && isObject(candidate.value)).map((candidate) => candidate.value);
  return {
    classification: 'json',
    fields: inferJsonSchema(objects).fields,
    sampleRecords: objects.length,
    sampleBytes: Math.min(bytes, sample.text.length),
    exactRecords: sample.complete && ended ? objects.length : undefined,
    parameters: {},
    conflicts: 'string',
  };
}

function parseWhole(sample: FileSample, text: string): unknown {
  if (!sample.complete) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classifyTopLevelArray(sample: FileSample, text: string): Classification | undefined {
  const document = parseWhole(sample, text);
  if (!Array.isArray(document)) return undefined;
  return {
    classification: 'json',
    fields: [new Field('array', typeOfJsonValue(document.slice(0, SAMPLE_RECORDS)) as List, true)],
    sampleRecords: 1,
    sampleBytes: sample.text.length,
    exactRecords: 1,
    parameters: {},
    conflicts: 'string',
  };
}

function classifyDocument(sample: FileSample, text: string, jsonPath: string): Classification | undefined {
  const document = parseWhole(sample, text);
  if (document === undefined) return undefined;
  const records = selectRecords(document, parseJsonPath(jsonPath)).filter(isObject);
  if (records.length === 0) return undefined;
  const schema: Schema = inferJsonSchema(records.slice(0, SAMPLE_RECORDS));
  return {
    classification: 'json',
    fields: schema.fields,
    sampleRecords: records.length,
    sampleBytes: sample.text.length,
    exactRecords: records.length,
    parameters: { jsonPath },
    conflicts: 'string',
  };
}
