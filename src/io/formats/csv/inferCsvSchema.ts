import { Bool, DateDay, Field, Float64, Int32, Int64, Schema, TimestampMicrosecond, Utf8, type DataType } from 'apache-arrow';
import { headerNames, positionalNames } from './csvColumns.js';
import { makeChoice } from '../../../types/choice.js';
import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner, FIELD_ESCAPED, RECORD_OK } from './CsvScanner.js';
import {
  floatParsed, parseBoolBytes, parseDateBytes, parseFloat64Bytes, parseInt32Bytes, parseInt64Bytes, parseTimestampBytes,
} from './parseFieldBytes.js';

const INT32 = 1;
const INT64 = 2;
const FLOAT64 = 4;
const BOOL = 8;
const DATE = 16;
const TIMESTAMP = 32;
const ALL = INT32 | INT64 | FLOAT64 | BOOL | DATE | TIMESTAMP;

/** Narrowest first: a column gets the first type that every one of its sampled values fits. */
const BY_PREFERENCE: [number, () => DataType][] = [
  [INT32, () => new Int32()],
  [INT64, () => new Int64()],
  [FLOAT64, () => new Float64()],
  [BOOL, () => new Bool()],
  [DATE, () => new DateDay()],
  [TIMESTAMP, () => new TimestampMicrosecond('UTC')],
];

export interface InferCsvOptions {
  file: string;
  csv?: CsvOptions;
  /** Bytes to sample (default 1 MiB; reading goes on until one record is complete). */
  sampleBytes?: number;
  /** Records to sample (default 10,000). */
  sampleRows?: number;
}

/** The types that one value fits, as a bit mask. */
export function typesOf(b: Uint8Array, s: number, e: number): number {
  if (!Number.isNaN(parseInt32Bytes(b, s, e))) return INT32 | INT64 | FLOAT64;
  if (parseInt64Bytes(b, s, e) !== undefined) return INT64 | FLOAT64;
  parseFloat64Bytes(b, s, e);
  if (floatParsed) return FLOAT64;
  if (parseBoolBytes(b, s, e) >= 0) return BOOL;
  if (!Number.isNaN(parseDateBytes(b, s, e))) return DATE | TIMESTAMP;
  if (!Number.isNaN(parseTimestampBytes(b, s, e))) return TIMESTAMP;
  return 0;
}

/**
 * Infers a schema from the first records of CSV bytes: int32 (int64 when a value is outside
 * int32), float64, bool, date (YYYY-MM-DD), timestamp (ISO-8601 → microseconds, UTC), else utf8.
 * Typed values beside text make a choice of the type and string (Glue's choice type,
 * types/choice.ts); typed values that agree on no type (a bool and a number) make utf8.
 * Empty values do not vote; a column with no values is utf8. Malformed records are ignored.
 */
export async function inferCsvSchema(bytes: AsyncIterable<Uint8Array>, options: InferCsvOptions): Promise<Schema> {
  const csv = resolveCsvOptions(options.csv);
  const sampleBytes = options.sampleBytes ?? 1 << 20;
  const sampleRows = options.sampleRows ?? 10_000;
  const scanner = new CsvScanner(csv);
  let header: string[] | undefined;
  let headerPending = csv.withHeader;
  let skipPending = csv.skipFirst;
  let width = -1;
  let candidates: number[] = [];
  let voted: boolean[] = [];
  /** Columns with a value that is no number, bool, date or timestamp (text). */
  let text: boolean[] = [];
  let rows = 0;
  let scratch = new Uint8Array(256);

  const vote = (r: number): void => {
    const count = scanner.recordFieldCount[r];
    if (width < 0) {
      width = header ? header.length : count;
      candidates = new Array<number>(width).fill(ALL);
      voted = new Array<boolean>(width).fill(false);
      text = new Array<boolean>(width).fill(false);
    }
    if (count !== width) return;
    const base = scanner.recordFieldBase[r];
    for (let c = 0; c < width; c++) {
      const k = base + c;
      let b = scanner.buf;
      let s = scanner.fieldStart[k];
      let e = scanner.fieldEnd[k];
      if (s === e) continue;
      if (scanner.fieldFlags[k] & FIELD_ESCAPED) {
        if (scratch.length < e - s) scratch = new Uint8Array(2 * (e - s));
        b = scratch;
        e = scanner.unescapeField(k, scratch);
        s = 0;
      }
      const types = typesOf(b, s, e);
      // Text beside typed values makes a choice (as Glue's reader does), not a string column.
      if (types === 0) text[c] = true;
      else {
        candidates[c] &= types;
        voted[c] = true;
      }
    }
    rows++;
  };

  const visit = (final: boolean): void => {
    for (;;) {
      const n = scanner.scan(final, 4096);
      if (n === 0) return;
      for (let r = 0; r < n && rows < sampleRows; r++) {
        if (headerPending) {
          headerPending = false;
          header = headerNames(scanner, r, options.file);
        } else if (skipPending) {
          skipPending = false;
        } else if (scanner.recordStatus[r] === RECORD_OK) {
          vote(r);
        }
      }
      if (rows >= sampleRows) return;
    }
  };

  let consumed = 0;
  let ended = true;
  for await (const chunk of bytes) {
    scanner.push(chunk);
    consumed += chunk.length;
    visit(false);
    if (rows >= sampleRows || (consumed >= sampleBytes && rows > 0)) {
      ended = false;
      break;
    }
  }
  // Only a stream that really ended has a complete last record.
  if (ended) visit(true);

  const names = header ?? positionalNames(Math.max(width, 0));
  return new Schema(names.map((name, c) => {
    const found = voted[c] ? BY_PREFERENCE.find(([bit]) => (candidates[c] & bit) !== 0) : undefined;
    const type = found ? found[1]() : new Utf8();
    return new Field(name, text[c] && found ? makeChoice([type, new Utf8()]) : type, true);
  }));
}

/** The narrowest type a field's text fits (as the inference would type a column of it alone). */
export function typeOfCsvField(b: Uint8Array, s: number, e: number): DataType {
  const types = typesOf(b, s, e);
  const found = BY_PREFERENCE.find(([bit]) => (types & bit) !== 0);
  return found ? found[1]() : new Utf8();
}
