import { resolveCsvOptions, type CsvOptions } from './CsvOptions.js';
import { CsvScanner, FIELD_ESCAPED, FIELD_QUOTED, RECORD_OK, RECORD_UNCLOSED_QUOTE } from './CsvScanner.js';
import { typesOf } from './inferCsvSchema.js';
import { readFileChunks } from './readFileChunks.js';
import { bomEncoding, canonicalEncoding, toUtf8 } from './transcode.js';

/** A CSV file's dialect: how its bytes become records and fields. */
export interface CsvDialect {
  separator: string;
  /** -1: no quoting. */
  quoteChar: string | -1;
  /** '': none (quotes are doubled). */
  escaper: string;
  withHeader: boolean;
  skip: number;
  lineSep: '\n' | '\r\n' | '\r';
  multiLine: boolean;
  encoding: string;
}

/** The options the sniffer decides when they are not given. */
export const DIALECT_OPTIONS = ['separator', 'quoteChar', 'escaper', 'withHeader', 'skip', 'lineSep', 'multiLine'] as const;

/** The delimiters tried, in DuckDB's order (which settles ties). */
const SEPARATORS = [',', '|', ';', '\t'];
const QUOTES: (string | -1)[] = ['"', "'", -1];
const ESCAPES = ['', '\\'];
/** Bytes sampled from the file's start. */
export const SNIFF_BYTES = 1 << 16;
/** Records of the sample read per candidate (the scanner sizes its arrays by this). */
const SNIFF_ROWS = 2048;
/** Records of the sample used for header detection. */
const HEADER_SAMPLE_ROWS = 1000;

interface Candidate {
  separator: string;
  quoteChar: string | -1;
  escaper: string;
  /** Field count of the table. */
  columns: number;
  /** Leading records that are not part of the table (preamble). */
  skipRecords: number;
  skipLines: number;
  consistent: number;
  bad: number;
  usesQuote: boolean;
  order: number;
  scanner: CsvScanner;
  records: number;
}

/** True when sniffing is off (the default for the library and Glue APIs) or every dialect option is given. */
export function dialectIsGiven(options: CsvOptions): boolean {
  return options.sniff !== true || DIALECT_OPTIONS.every((name) => options[name] !== undefined);
}

/** Is `a` a better reading of the sample than `b`? */
function better(a: Candidate, b: Candidate): boolean {
  const keys = (c: Candidate): number[] => [
    c.bad === 0 ? 1 : 0,
    c.columns > 1 ? 1 : 0,
    c.usesQuote ? 1 : 0,
    c.consistent - c.bad,
    c.columns,
    -c.order,
  ];
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] > kb[i];
  return false;
}

function tryCandidate(sample: Uint8Array, truncated: boolean, given: CsvOptions, c: Pick<Candidate, 'separator' | 'quoteChar' | 'escaper' | 'order'>, lineSep: string): Candidate | undefined {
  let resolved;
  try {
    resolved = resolveCsvOptions({ separator: c.separator, quoteChar: c.quoteChar, escaper: c.escaper, lineSep, multiLine: given.multiLine ?? true, skip: given.skip ?? 0 });
  } catch {
    return undefined; // a combination the options refuse (such as a quote equal to the separator)
  }
  const scanner = new CsvScanner(resolved);
  scanner.push(sample);
  const n = scanner.scan(true, SNIFF_ROWS);
  // The last record of a cut sample may be cut inside quotes: it does not count.
  if (n === SNIFF_ROWS) truncated = true;
  const records = truncated && n > 0 && scanner.recordStatus[n - 1] === RECORD_UNCLOSED_QUOTE ? n - 1 : n;
  if (records === 0) return undefined;
  const votes = new Map<number, number>();
  for (let r = 0; r < records; r++) {
    if (scanner.recordStatus[r] !== RECORD_OK) continue;
    const count = scanner.recordFieldCount[r];
    votes.set(count, (votes.get(count) ?? 0) + 1);
  }
  let columns = 0;
  let best = 0;
  for (const [count, v] of votes) if (v > best || (v === best && count > columns)) { columns = count; best = v; }
  const fits = (r: number): boolean => scanner.recordStatus[r] === RECORD_OK && scanner.recordFieldCount[r] === columns;
  // Without a given skip, the table starts at the first record of its width (the lines above it are a preamble).
  let skipRecords = 0;
  if (given.skip === undefined) while (skipRecords < records && !fits(skipRecords)) skipRecords++;
  let consistent = 0;
  let bad = 0;
  let usesQuote = false;
  for (let r = skipRecords; r < records; r++) {
    if (!fits(r)) { bad++; continue; }
    consistent++;
    if (!usesQuote) {
      const base = scanner.recordFieldBase[r];
      for (let k = base; k < base + columns; k++) if (scanner.fieldFlags[k] & (FIELD_QUOTED | FIELD_ESCAPED)) usesQuote = true;
    }
  }
  const skipLines = skipRecords < records ? scanner.recordLine[skipRecords] - 1 - (given.skip ?? 0) : 0;
  return { ...c, columns, skipRecords, skipLines, consistent, bad, usesQuote, scanner, records };
}

/** Does a quoted field of the chosen reading hold a line break? */
function hasQuotedLineBreak(c: Candidate): boolean {
  const s = c.scanner;
  for (let r = c.skipRecords; r < c.records; r++) {
    const base = s.recordFieldBase[r];
    for (let k = base; k < base + s.recordFieldCount[r]; k++) {
      if ((s.fieldFlags[k] & FIELD_QUOTED) === 0) continue;
      for (let p = s.fieldStart[k]; p < s.fieldEnd[k]; p++) if (s.buf[p] === 0x0a || s.buf[p] === 0x0d) return true;
    }
  }
  return false;
}

/**
 * DuckDB's header rule: the first row is a header when one of its values does not fit the type
 * the rows below give its column, or when every column is text.
 */
function looksLikeHeader(c: Candidate): boolean {
  const s = c.scanner;
  const rows: number[] = [];
  for (let r = c.skipRecords; r < c.records && rows.length <= HEADER_SAMPLE_ROWS; r++) {
    if (s.recordStatus[r] === RECORD_OK && s.recordFieldCount[r] === c.columns) rows.push(r);
  }
  if (rows.length === 0) return false;
  const masks = new Array<number>(c.columns).fill(-1);
  const voted = new Array<boolean>(c.columns).fill(false);
  let scratch = new Uint8Array(256);
  const value = (k: number): [Uint8Array, number, number] => {
    const st = s.fieldStart[k];
    const en = s.fieldEnd[k];
    if ((s.fieldFlags[k] & FIELD_ESCAPED) === 0) return [s.buf, st, en];
    if (scratch.length < en - st) scratch = new Uint8Array(2 * (en - st));
    return [scratch, 0, s.unescapeField(k, scratch)];
  };
  for (const r of rows.slice(1)) {
    const base = s.recordFieldBase[r];
    for (let col = 0; col < c.columns; col++) {
      const [b, st, en] = value(base + col);
      if (st === en) continue;
      masks[col] &= typesOf(b, st, en);
      voted[col] = true;
    }
  }
  const typed = masks.map((m, col) => voted[col] && m !== 0);
  if (!typed.some(Boolean)) return true;
  const base = s.recordFieldBase[rows[0]];
  for (let col = 0; col < c.columns; col++) {
    if (!typed[col]) continue;
    const [b, st, en] = value(base + col);
    if (st !== en && (typesOf(b, st, en) & masks[col]) === 0) return true;
  }
  return false;
}

function detectLineSep(sample: Uint8Array): CsvDialect['lineSep'] {
  let lf = 0;
  let crlf = 0;
  let cr = 0;
  for (let p = 0; p < sample.length; p++) {
    if (sample[p] === 0x0a) lf++;
    else if (sample[p] === 0x0d) {
      if (sample[p + 1] === 0x0a) { crlf++; p++; } else cr++;
    }
  }
  if (lf === 0 && crlf === 0 && cr > 0) return '\r';
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * Sniffs the dialect of UTF-8 CSV bytes from the file's start, in the spirit of DuckDB's
 * sniffer: every (separator, quote, escape) candidate reads the sample (with quoted line breaks
 * allowed); the winner is the one whose records have one consistent field count (the lines
 * above the first record of that width are a preamble to skip), preferring several columns,
 * then a reading that uses its quote, then more consistent rows, more columns, and the order
 * `, | ; \t`, `" ' none`, `none \`. Then the header (DuckDB's rule, see `looksLikeHeader`) and
 * whether quoted fields hold line breaks (multiLine). Options given win over what is sniffed.
 */
export function sniffCsvDialect(sample: Uint8Array, truncated: boolean, given: CsvOptions, encoding = 'utf-8'): CsvDialect {
  const lineSep = (given.lineSep as CsvDialect['lineSep'] | undefined) ?? detectLineSep(sample);
  let cut = sample;
  if (truncated) {
    const nl = lineSep === '\r' ? 0x0d : 0x0a;
    const last = sample.lastIndexOf(nl);
    if (last > 0) cut = sample.subarray(0, last + 1);
  }
  // A character absent from the sample reads like none: such candidates are not tried (the first
  // absent separator stays, as the one-column reading).
  const present = new Uint8Array(128);
  for (let p = 0; p < cut.length; p++) if (cut[p] < 128) present[cut[p]] = 1;
  const has = (c: string): boolean => present[c.charCodeAt(0)] === 1;
  const absentSeparator = SEPARATORS.find((c) => !has(c));
  const separators = given.separator !== undefined ? [given.separator] : SEPARATORS.filter((c) => has(c) || c === absentSeparator);
  const quotes = given.quoteChar !== undefined ? [given.quoteChar] : QUOTES.filter((q) => q === -1 || has(q));
  let best: Candidate | undefined;
  let order = 0;
  for (const quoteChar of quotes) {
    const escapes = given.escaper !== undefined ? [given.escaper] : quoteChar === -1 ? [''] : ESCAPES.filter((e) => e === '' || has(e));
    for (const escaper of escapes) {
      for (const separator of separators) {
        const c = tryCandidate(cut, truncated, given, { separator, quoteChar, escaper, order: order++ }, lineSep);
        if (c && (!best || better(c, best))) best = c;
      }
    }
  }
  const fallback = { separator: given.separator ?? ',', quoteChar: given.quoteChar ?? '"', escaper: given.escaper ?? '' };
  return {
    separator: best?.separator ?? fallback.separator,
    quoteChar: best?.quoteChar ?? fallback.quoteChar,
    escaper: best?.escaper ?? fallback.escaper,
    withHeader: given.withHeader ?? (best ? looksLikeHeader(best) : false),
    skip: given.skip ?? best?.skipLines ?? 0,
    lineSep,
    multiLine: given.multiLine ?? (best ? hasQuotedLineBreak(best) : false),
    encoding,
  };
}

/** The dialect of options read without sniffing: the given options, Glue's defaults for the rest. */
export function givenDialect(o: CsvOptions): CsvDialect {
  return {
    separator: o.separator ?? ',', quoteChar: o.quoteChar ?? '"', escaper: o.escaper ?? '', withHeader: o.withHeader ?? false,
    skip: o.skip ?? 0, lineSep: (o.lineSep as CsvDialect['lineSep'] | undefined) ?? '\n', multiLine: o.multiLine ?? false,
    encoding: canonicalEncoding(o.encoding) ?? 'utf-8',
  };
}

/** The options with the sniffed dialect filled in where they were not given. */
export function withDialect(options: CsvOptions, dialect: CsvDialect): CsvOptions {
  return { ...options, ...dialect, encoding: options.encoding ?? (dialect.encoding === 'utf-8' ? undefined : dialect.encoding) };
}

/** The dialect a file is read with: sniffed (with `sniff`) from its first `SNIFF_BYTES` (decoded to UTF-8 when another encoding is given or a UTF-16 BOM says so). */
export async function sniffCsvFile(path: string, options: CsvOptions = {}): Promise<CsvDialect> {
  if (dialectIsGiven(options)) return givenDialect(options);
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  let encoding = canonicalEncoding(options.encoding);
  let first = true;
  const raw = readFileChunks(path, SNIFF_BYTES);
  const peeked = (async function* () {
    for await (const chunk of raw) {
      if (first) {
        first = false;
        const bom = bomEncoding(chunk);
        if (encoding === undefined && bom && bom !== 'utf-8') encoding = bom;
      }
      yield chunk;
    }
  })();
  for await (const chunk of toUtf8(peeked, options.encoding)) {
    parts.push(chunk.slice());
    size += chunk.length;
    if (size >= SNIFF_BYTES) { truncated = true; break; }
  }
  const sample = new Uint8Array(size);
  let at = 0;
  for (const part of parts) { sample.set(part, at); at += part.length; }
  // The scanner skips a UTF-8 BOM itself; the sniffer's scanners must not see it as text.
  const body = bomEncoding(sample) === 'utf-8' ? sample.subarray(3) : sample;
  return sniffCsvDialect(body, truncated, options, encoding ?? 'utf-8');
}

/** The options a file is read with: the given ones, and the sniffed dialect for the rest. */
export async function resolveCsvDialect(path: string, options: CsvOptions = {}): Promise<CsvOptions> {
  if (dialectIsGiven(options)) return options;
  return withDialect(options, await sniffCsvFile(path, options));
}

/** The dialect in one line, for `sluice show` and `sluice schema`. */
export function describeDialect(d: CsvDialect): string {
  const show = (c: string | -1): string => (c === -1 || c === '' ? 'none' : JSON.stringify(c));
  return `separator ${show(d.separator)}, quote ${show(d.quoteChar)}, escape ${show(d.escaper)}, ` +
    `header ${d.withHeader ? 'yes' : 'no'}, skip ${d.skip}, lineSep ${JSON.stringify(d.lineSep)}, ` +
    `multiLine ${d.multiLine}, encoding ${d.encoding}`;
}
