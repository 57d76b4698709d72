import { isUtf8 } from 'node:buffer';
import { makeBatch } from '../../../columns/makeBatch.js';
import type { Field } from 'apache-arrow';
import type { ReadChunk, ReadOptions } from '../Format.js';
import { SluiceError, type ErrorRecord } from '../../../types/ErrorRecord.js';
import { isEscaped, scratchBytes, unescapeToScratch, type ColumnBuilder } from './ColumnBuilder.js';
import { typeOfCsvField } from './inferCsvSchema.js';
import { mergeDataTypes } from '../../../types/mergeSchemas.js';
import { typeName } from '../../../types/typeNames.js';
import { WidenSignal } from '../../../types/WidenSignal.js';
import { planCsvColumns, headerNames, type CsvColumnPlan } from './csvColumns.js';
import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner, RECORD_OK, RECORD_UNCLOSED_QUOTE } from './CsvScanner.js';
import { csvHeaderProblem } from './csvColumns.js';
import { makeColumnBuilder } from './makeColumnBuilder.js';
import { firstInvalidUtf8 } from './utf8Check.js';

export const DEFAULT_BATCH_SIZE = 65_536;

/**
 * A read's first windows are short: V8 compiles a long loop on its first call (on-stack
 * replacement) without type feedback for the code after it, and deoptimises there when the loop
 * ends. Run whole a few times first, the scan, the column builders and the window's bookkeeping
 * are compiled with the feedback of all their code (W2's deoptimisations over its two threads:
 * 195 → 48–100).
 */
const SHORT_WINDOWS = 8;
const SHORT_WINDOW_RECORDS = 64;

/** Longest value quoted in an error message. */
const MAX_VALUE_IN_MESSAGE = 100;

/** Where CSV bytes come from and how to read them. */
export interface CsvByteSourceOptions {
  /** The file name used in error records and messages. */
  file: string;
  csv?: CsvOptions;
  read: ReadOptions;
  /**
   * False for a byte range that starts inside a file (a parallel split): no BOM, header or
   * skipFirst handling there. Such a range must start at a record start. Default true.
   */
  atFileStart?: boolean;
  /** The file's header names, for a split that does not start the file (with `withHeader`). */
  header?: string[];
  /** Physical line number of the first byte, for error records (default 1). */
  firstLine?: number;
  /**
   * The bytes were transcoded to UTF-8 from another encoding (so they are valid): no check.
   * Otherwise every record is checked, and invalid UTF-8 is an error record, never replaced.
   */
  transcoded?: boolean;
}

/** A read step; `droppedMalformed` counts the rows that `dropMalformed` dropped since the last. */
export interface CsvReadChunk extends ReadChunk {
  droppedMalformed: number;
}

/**
 * Parses CSV bytes into Arrow record batches of `read.batchSize` rows (the last may be shorter),
 * with the error records met on the way. This is the reader without the file: `csvReader`
 * feeds it a file's bytes, and a split can feed it a byte range. Each chunk is copied before the
 * next is requested, so a source may reuse its buffer.
 */
export async function* parseCsvBytes(
  bytes: AsyncIterable<Uint8Array>,
  source: CsvByteSourceOptions,
): AsyncGenerator<CsvReadChunk> {
  const { file, read } = source;
  const options = resolveCsvOptions(source.csv);
  const atFileStart = source.atFileStart ?? true;
  const batchSize = read.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new SluiceError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (options.withHeader && !atFileStart && !source.header) {
    throw new SluiceError(`${file}: a split that does not start the file needs the header names (withHeader is set)`);
  }
  const scanner = new CsvScanner(options, { atFileStart, firstLine: source.firstLine ?? 1 });
  let headerPending = options.withHeader && atFileStart;
  let skipPending = options.skipFirst && atFileStart;

  let plan: CsvColumnPlan | undefined;
  let builders: ColumnBuilder[] = [];
  const usePlan = (header: string[] | undefined): void => {
    plan = planCsvColumns(file, read.schema, read.columns, header);
    builders = plan.schema.fields.map((field) => makeColumnBuilder(field, batchSize));
  };
  if (!headerPending) usePlan(options.withHeader ? source.header : undefined);

  const widenable = read.widenable ? new Set(read.widenable) : undefined;
  let batchRows = 0;
  let errors: ErrorRecord[] = [];
  let dropped = 0;
  let emitted = false;
  let rows = new Int32Array(1024);
  let failed = new Int32Array(1024);
  let windows = 0;
  const checkUtf8 = source.transcoded !== true;
  /** Records of the current window whose bytes are not UTF-8, by index (usually none). */
  let notUtf8: Set<number> | undefined;

  /** Where record `r`'s first invalid UTF-8 byte is, as a message, and its field number. */
  const invalidUtf8 = (r: number): { message: string; field: number } => {
    const base = scanner.recordFieldBase[r];
    const start = scanner.recordStart[r];
    let field = 1;
    let at = firstInvalidUtf8(scanner.buf, start, scanner.recordEnd[r]);
    for (let i = 0; i < scanner.recordFieldCount[r]; i++) {
      const bad = firstInvalidUtf8(scanner.buf, scanner.fieldStart[base + i], scanner.fieldEnd[base + i]);
      if (bad >= 0) { field = i + 1; at = bad; break; }
    }
    const byte = scanner.buf[at].toString(16).toUpperCase().padStart(2, '0');
    return {
      message: `invalid UTF-8 (byte 0x${byte}) at column ${at - start + 1} of the line, in field ${field}; ` +
        'set the encoding option (such as latin1 or windows-1252) if the file is not UTF-8',
      field,
    };
  };

  const malformed = (windowErrors: ErrorRecord[], r: number, message: string, column?: number): void => {
    const line = scanner.recordLine[r];
    windowErrors.push({
      message: `${file}:${line}: ${message}`,
      file,
      line,
      ...(column === undefined ? {} : { column }),
      raw: scanner.rawRecord(r),
    });
  };

  /** Appends the good records of the scanner's window to the builders. */
  const convertWindow = (plan: CsvColumnPlan, count: number, windowErrors: ErrorRecord[]): void => {
    const bad = new Set<number>();
    for (let c = 0; c < builders.length; c++) {
      const failures = builders[c].append(scanner, rows, count, plan.sources[c], failed);
      for (let j = 0; j < failures; j++) {
        const r = failed[j];
        if (bad.has(r)) continue;
        bad.add(r);
        const k = scanner.recordFieldBase[r] + plan.sources[c];
        let value = scanner.fieldText(k);
        if (value.length > MAX_VALUE_IN_MESSAGE) value = `${value.slice(0, MAX_VALUE_IN_MESSAGE)}…`;
        const name = plan.schema.fields[c].name;
        if (widenable?.has(name)) throw widenSignal(scanner, r, k, plan.schema.fields[c], `${file}:${scanner.recordLine[r]}`);
        malformed(windowErrors, r, `column ${name}: cannot parse '${value}' as ${builders[c].label}`, plan.sources[c] + 1);
      }
    }
    if (bad.size > 0) {
      // Rare: redo the window without the rows that failed; the others parse the same again.
      for (const builder of builders) builder.truncate(batchRows);
      let kept = 0;
      for (let i = 0; i < count; i++) if (!bad.has(rows[i])) rows[kept++] = rows[i];
      count = kept;
      for (let c = 0; c < builders.length; c++) builders[c].append(scanner, rows, count, plan.sources[c], failed);
    }
    batchRows += count;
  };

  /** Handles the errors of a window in the order of their lines, as the mode says. */
  const settle = (windowErrors: ErrorRecord[]): void => {
    if (windowErrors.length === 0) return;
    windowErrors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (options.mode === 'failFast') {
      const first = windowErrors[0];
      throw new SluiceError(`${first.message} (mode failFast)`, first);
    }
    if (options.mode === 'dropMalformed') dropped += windowErrors.length;
    else for (const error of windowErrors) errors.push(error);
  };

  const flush = (): CsvReadChunk => {
    if (!plan) usePlan(undefined);
    const schema = plan!.schema;
    const children = builders.map((builder) => builder.finish());
    const chunk = { batch: makeBatch(schema, children, batchRows), errors, droppedMalformed: dropped };
    batchRows = 0;
    errors = [];
    dropped = 0;
    emitted = true;
    return chunk;
  };

  function* drain(final: boolean): Generator<CsvReadChunk> {
    for (;;) {
      const extra = (headerPending ? 1 : 0) + (skipPending ? 1 : 0);
      const n = scanner.scan(final, Math.min(batchSize - batchRows, windows < SHORT_WINDOWS ? SHORT_WINDOW_RECORDS : Infinity) + extra);
      windows++;
      if (n === 0) return;
      notUtf8 = undefined;
      if (checkUtf8 && !isUtf8(scanner.buf.subarray(scanner.recordStart[0], scanner.recordEnd[n - 1]))) {
        notUtf8 = new Set();
        for (let i = 0; i < n; i++) {
          if (!isUtf8(scanner.buf.subarray(scanner.recordStart[i], scanner.recordEnd[i]))) notUtf8.add(i);
        }
      }
      let r = 0;
      if (headerPending) {
        const headerError = csvHeaderProblem(scanner, 0, options.multiLine) ?? (notUtf8?.has(0) ? invalidUtf8(0).message : undefined);
        if (headerError) {
          throw new SluiceError(`${file}:${scanner.recordLine[0]}: the header line is malformed: ${headerError}: ${scanner.rawRecord(0)}`, { file, line: scanner.recordLine[0] });
        }
        usePlan(headerNames(scanner, 0, file));
        headerPending = false;
        r++;
      }
      if (skipPending && r < n) {
        skipPending = false;
        r++;
      }
      const current = plan!;
      if (rows.length < n) {
        rows = new Int32Array(n);
        failed = new Int32Array(n);
      }
      const windowErrors: ErrorRecord[] = [];
      // Usually every record is well formed: a loop of their own takes them, up to the first that
      // is not; from there each record is looked at for its error record.
      let good = notUtf8 ? 0 : wellFormedRecords(scanner, r, n, current.expectedFields, rows);
      r += good;
      for (; r < n; r++) {
        const status = scanner.recordStatus[r];
        const found = scanner.recordFieldCount[r];
        if (notUtf8?.has(r)) {
          const { message, field } = invalidUtf8(r);
          malformed(windowErrors, r, message, field);
        } else if (status === RECORD_UNCLOSED_QUOTE) {
          malformed(windowErrors, r, options.multiLine
            ? 'unclosed quote: the input ended inside a quoted field'
            : 'unclosed quote: the line ended inside a quoted field (set multiLine: true if quoted fields contain line breaks)');
        } else if (status !== RECORD_OK) {
          malformed(windowErrors, r, `field ${found}: unexpected text after a closing quote`, found);
        } else if (found !== current.expectedFields) {
          malformed(windowErrors, r, `expected ${current.expectedFields} fields, found ${found}`);
        } else {
          rows[good++] = r;
        }
      }
      convertWindow(current, good, windowErrors);
      settle(windowErrors);
      if (batchRows === batchSize || errors.length >= batchSize) yield flush();
    }
  }

  for await (const chunk of bytes) {
    scanner.push(chunk);
    yield* drain(false);
  }
  yield* drain(true);
  if (batchRows > 0 || errors.length > 0 || dropped > 0 || !emitted) yield flush();
}

/**
 * Puts the indices of records from `from` on into `rows` while they are well formed (scanned whole,
 * `fields` fields), up to n; returns how many. Alone in its function so that drain, a generator,
 * stays small to compile: V8 compiled it 10 times a W2 run, ~110 ms, with this loop inside.
 */
function wellFormedRecords(scanner: CsvScanner, from: number, n: number, fields: number, rows: Int32Array): number {
  const status = scanner.recordStatus;
  const found = scanner.recordFieldCount;
  let good = 0;
  for (let r = from; r < n; r++) {
    if (status[r] !== RECORD_OK || found[r] !== fields) break;
    rows[good++] = r;
  }
  return good;
}

/** The widening a field that misfits its inferred column asks for: the column's type merged with the field's. */
function widenSignal(scanner: CsvScanner, r: number, k: number, field: Field, where: string): WidenSignal {
  let bytes = scanner.buf;
  let s = scanner.fieldStart[k];
  let e = scanner.fieldEnd[k];
  if (isEscaped(scanner.fieldFlags[k])) {
    e = unescapeToScratch(scanner, k);
    s = 0;
    bytes = scratchBytes();
  }
  const type = typeName(mergeDataTypes(field.type, typeOfCsvField(bytes, s, e)));
  const file = where.slice(0, where.lastIndexOf(':'));
  return new WidenSignal({ column: field.name, type }, `${where}: column ${field.name}: '${scanner.fieldText(k)}' is not ${typeName(field.type)}`, { file, line: scanner.recordLine[r] });
}
