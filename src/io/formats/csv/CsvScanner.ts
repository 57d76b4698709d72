import type { ResolvedCsvOptions } from './CsvOptions.js';

/** The field was quoted. */
export const FIELD_QUOTED = 1;
/** The field holds doubled quotes or escapes: read it through `unescapeField`. */
export const FIELD_ESCAPED = 2;

export const RECORD_OK = 0;
/** A quote opened and the line (or, with multiLine, the input) ended first. */
export const RECORD_UNCLOSED_QUOTE = 1;
/** Something other than a separator or line break followed a closing quote. */
export const RECORD_TEXT_AFTER_QUOTE = 2;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
/** Longest raw text kept in an error record. */
const MAX_RAW_BYTES = 64 * 1024;
/** Partial records longer than this are rescanned only once the buffer has doubled. */
const RESCAN_SLACK = 64 * 1024;

const utf8 = new TextDecoder();

/**
 * Finds record and field boundaries in CSV bytes, for one window of records at a time.
 *
 * Bytes are pushed chunk by chunk into one growing buffer. `scan` finds complete records from the
 * current position and describes them in flat typed arrays (no per-row objects): record `r` owns
 * fields `recordFieldBase[r] .. +recordFieldCount[r]`, and field `k` is `buf[fieldStart[k],
 * fieldEnd[k])` (quotes excluded). A record cut by the chunk end is left for the next scan, which
 * rescans it from its start; the window stays valid until the next `push`.
 */
export class CsvScanner {
  buf: Uint8Array = new Uint8Array(1 << 16);
  private end = 0;
  /** Start of the first record not yet returned by `scan`. */
  private pos = 0;
  /** Physical line (1-based) at `pos`. */
  private line: number;
  private bomPending: boolean;
  /** Preamble lines still to skip (the `skip` option), at the file start only. */
  private linesToSkip: number;
  /** The line-break byte (LF, or CR for CR-only files). */
  private readonly nl: number;
  /** Live bytes needed before a long partial record is rescanned (keeps rescans linear). */
  private minLiveBytes = 0;

  recordCount = 0;
  recordStart = new Int32Array(1024);
  /** End of the record's text, line terminator excluded. */
  recordEnd = new Int32Array(1024);
  recordLine = new Float64Array(1024);
  recordFieldBase = new Int32Array(1024);
  recordFieldCount = new Int32Array(1024);
  recordStatus = new Uint8Array(1024);

  fieldCount = 0;
  fieldStart = new Int32Array(8192);
  fieldEnd = new Int32Array(8192);
  fieldFlags = new Uint8Array(8192);
  /** The most fields a window's records had on average (the next window's field slots are sized by it). */
  private fieldsPerRecord = 1;

  constructor(
    private readonly options: ResolvedCsvOptions,
    { atFileStart = true, firstLine = 1 }: { atFileStart?: boolean; firstLine?: number } = {},
  ) {
    this.bomPending = atFileStart;
    this.linesToSkip = atFileStart ? options.skip : 0;
    this.nl = options.newline;
    this.line = firstLine;
  }

  /** Appends bytes. Invalidates the records of the last `scan`. */
  push(chunk: Uint8Array): void {
    const live = this.end - this.pos;
    // One spare byte holds a LF sentinel after the data, so field loops need no bounds check.
    if (this.end + chunk.length + 1 > this.buf.length) {
      if (live + chunk.length + 1 > this.buf.length) {
        const grown = new Uint8Array(Math.max(this.buf.length * 2, live + chunk.length + 1));
        grown.set(this.buf.subarray(this.pos, this.end));
        this.buf = grown;
      } else {
        this.buf.copyWithin(0, this.pos, this.end);
      }
      this.pos = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
    this.buf[this.end] = this.nl;
  }

  /**
   * Finds up to `maxRecords` complete records (blank lines skipped). With `final`, the input has
   * ended and a last record without a line break is complete. Returns the number found.
   */
  scan(final: boolean, maxRecords: number): number {
    this.recordCount = 0;
    this.fieldCount = 0;
    if (!final && this.end - this.pos < this.minLiveBytes) return 0;
    if (this.bomPending && !this.skipBom(final)) return 0;
    if (this.linesToSkip > 0 && !this.skipLines(final)) return 0;
    this.minLiveBytes = 0;
    // Room for the window's records up front, but no more than the live bytes can hold (a record
    // takes at least one byte): a tiny file does not allocate a batch's worth of record slots.
    const expected = Math.min(maxRecords, 1 << 20, this.end - this.pos + 1);
    if (this.recordStart.length < expected) this.growRecords(expected);
    // Field slots too, by the fields a record had so far (a field takes at least its separator's
    // byte): a growth inside the loop, once V8 has optimised it, deoptimises the scan (that branch
    // never ran) and compiles it again.
    const fields = Math.min(expected * this.fieldsPerRecord, this.end - this.pos + 1);
    while (this.fieldStart.length < fields) this.growFields();

    const buf = this.buf;
    const end = this.end;
    const sep = this.options.separator;
    const quote = this.options.quote;
    const esc = this.options.escaper;
    const multiLine = this.options.multiLine;
    // The line break, and CR (stripped before a LF) unless CR is itself the line break.
    const LF = this.nl;
    const CR = LF === 0x0a ? 0x0d : -1;
    // Blanks around a quoted field are dropped, unless the space is the separator.
    const space = sep === SPACE ? -1 : SPACE;
    let fs = this.fieldStart;
    let fe = this.fieldEnd;
    let ff = this.fieldFlags;
    let p = this.pos;
    let line = this.line;
    let nf = 0;
    let nr = 0;

    records: while (nr < maxRecords && p < end) {
      const start = p;
      const startLine = line;
      const base = nf;
      let b = buf[p];
      if (b === LF) { p++; line++; continue; }
      if (b === CR) {
        if (p + 1 >= end && !final) break;
        if (p + 1 < end && buf[p + 1] === LF) { p += 2; line++; continue; }
      }
      let status = RECORD_OK;
      let recordEnd = end;
      let incomplete = false;

      fields: for (;;) {
        if (nf === fs.length) {
          this.growFields();
          fs = this.fieldStart; fe = this.fieldEnd; ff = this.fieldFlags;
        }
        // Spaces before an opening quote are dropped, as DuckDB does (` "a,b"` is the field a,b).
        let q = p;
        while (buf[q] === space) q++;
        if (q < end && buf[q] === quote) {
          p = q + 1;
          const s = p;
          let flags = FIELD_QUOTED;
          for (;;) {
            b = buf[p];
            if (esc < 0) while (b !== quote && b !== LF) b = buf[++p];
            if (b === quote) {
              if (p + 1 >= end && !final) { incomplete = true; break fields; }
              if (esc < 0 && p + 1 < end && buf[p + 1] === quote) { flags |= FIELD_ESCAPED; p += 2; continue; }
              break;
            }
            if (b === LF) {
              if (p >= end) { // the sentinel: the data ended inside the quotes
                if (!final) { incomplete = true; break fields; }
                fs[nf] = s; fe[nf] = end; ff[nf] = flags; nf++;
                status = RECORD_UNCLOSED_QUOTE;
                break fields;
              }
              if (multiLine) { line++; p++; continue; }
              const e = p > s && buf[p - 1] === CR ? p - 1 : p;
              fs[nf] = s; fe[nf] = e; ff[nf] = flags; nf++;
              status = RECORD_UNCLOSED_QUOTE;
              recordEnd = e;
              p++; line++;
              break fields;
            }
            if (b === esc) {
              if (p + 1 >= end) {
                if (!final) { incomplete = true; break fields; }
                p++;
                continue;
              }
              if (buf[p + 1] === LF) line++;
              flags |= FIELD_ESCAPED;
              p += 2;
              continue;
            }
            p++;
          }
          fs[nf] = s; fe[nf] = p; ff[nf] = flags; nf++;
          p++; // past the closing quote
          while (buf[p] === space && p < end) p++; // spaces before the separator are dropped too
          if (p >= end) {
            if (!final) { incomplete = true; break fields; }
            break fields;
          }
          b = buf[p];
          if (b === sep) { p++; continue fields; }
          if (b === LF) { recordEnd = p; p++; line++; break fields; }
          if (b === CR) {
            if (p + 1 >= end) {
              if (!final) { incomplete = true; break fields; }
              recordEnd = p; p++;
              break fields;
            }
            if (buf[p + 1] === LF) { recordEnd = p; p += 2; line++; break fields; }
          }
          // Text after a closing quote: the record is malformed up to the end of its line.
          status = RECORD_TEXT_AFTER_QUOTE;
          while (p < end && buf[p] !== LF) p++;
          if (p >= end) {
            if (!final) { incomplete = true; break fields; }
            recordEnd = end;
            break fields;
          }
          recordEnd = p > start && buf[p - 1] === CR ? p - 1 : p;
          p++; line++;
          break fields;
        } else {
          const s = p;
          let flags = 0;
          for (;;) {
            b = buf[p];
            // Without an escaper only the separator and the line break end the field: a loop of
            // two compares a byte (measured: the scan 12% faster than checking the escaper too).
            if (esc < 0) while (b !== sep && b !== LF) b = buf[++p];
            if (b === sep || b === LF) break;
            if (b === esc) {
              if (p + 1 >= end) {
                if (!final) { incomplete = true; break fields; }
                p++;
                continue;
              }
              if (buf[p + 1] === LF) line++;
              flags |= FIELD_ESCAPED;
              p += 2;
              continue;
            }
            p++;
          }
          if (b === sep) { fs[nf] = s; fe[nf] = p; ff[nf] = flags; nf++; p++; continue fields; }
          if (p >= end) { // the sentinel: the data ended in this field
            if (!final) { incomplete = true; break fields; }
            const e = end > s && buf[end - 1] === CR ? end - 1 : end;
            fs[nf] = s; fe[nf] = e; ff[nf] = flags; nf++;
            recordEnd = e;
            break fields;
          }
          const e = p > s && buf[p - 1] === CR ? p - 1 : p;
          fs[nf] = s; fe[nf] = e; ff[nf] = flags; nf++;
          recordEnd = e;
          p++; line++;
          break fields;
        }
      }

      if (incomplete) {
        nf = base;
        line = startLine;
        if (end - start > RESCAN_SLACK) this.minLiveBytes = 2 * (end - start);
        p = start;
        break records;
      }
      this.recordStart[nr] = start;
      this.recordEnd[nr] = recordEnd;
      this.recordLine[nr] = startLine;
      this.recordFieldBase[nr] = base;
      this.recordFieldCount[nr] = nf - base;
      this.recordStatus[nr] = status;
      nr++;
      // Room for one more only when one more may come: a window that ends at maxRecords (a
      // batch's last) doubled the slots for nothing, in a branch the compiled scan had never run.
      if (nr === this.recordStart.length && nr < maxRecords) this.growRecords(nr * 2);
    }

    this.pos = p;
    this.line = line;
    this.recordCount = nr;
    this.fieldCount = nf;
    if (nr > 0) this.fieldsPerRecord = Math.max(this.fieldsPerRecord, Math.ceil(nf / nr));
    return nr;
  }

  /** True when nothing is left to scan. */
  get drained(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Copies field `k` into `out` from index `at`, with quotes undoubled and escapes resolved;
   * returns the index after the last byte written. `out` must have room for the field's raw length.
   */
  unescapeField(k: number, out: Uint8Array, at = 0): number {
    const buf = this.buf;
    const quote = this.options.quote;
    const esc = this.options.escaper;
    const undouble = esc < 0 && (this.fieldFlags[k] & FIELD_QUOTED) !== 0;
    const e = this.fieldEnd[k];
    let n = at;
    for (let p = this.fieldStart[k]; p < e; p++) {
      let b = buf[p];
      if (undouble && b === quote) {
        p++; // the second quote of a pair
      } else if (b === esc && p + 1 < e) {
        b = buf[++p];
        // Glue translates these well-known escapes; any other escaped byte is kept as is.
        if (b === 0x6e) b = LF;
        else if (b === 0x72) b = CR;
        else if (b === 0x74) b = 0x09;
        else if (b === 0x30) b = 0;
      }
      out[n++] = b;
    }
    return n;
  }

  /** Field `k` as a string, escapes resolved. */
  fieldText(k: number): string {
    const s = this.fieldStart[k];
    const e = this.fieldEnd[k];
    if ((this.fieldFlags[k] & FIELD_ESCAPED) === 0) return utf8.decode(this.buf.subarray(s, e));
    const out = new Uint8Array(e - s);
    return utf8.decode(out.subarray(0, this.unescapeField(k, out)));
  }

  /** The raw text of record `r`, line terminator excluded (long records are cut). */
  rawRecord(r: number): string {
    const s = this.recordStart[r];
    const e = Math.min(this.recordEnd[r], s + MAX_RAW_BYTES);
    const text = utf8.decode(this.buf.subarray(s, e));
    return e < this.recordEnd[r] ? `${text}…` : text;
  }

  /** Skips the preamble lines (raw lines: quotes mean nothing there); false until they are in. */
  private skipLines(final: boolean): boolean {
    const buf = this.buf;
    const nl = this.nl;
    let p = this.pos;
    while (this.linesToSkip > 0) {
      while (p < this.end && buf[p] !== nl) p++;
      if (p >= this.end) {
        if (!final) return false;
        this.pos = this.end;
        this.linesToSkip = 0;
        return true;
      }
      p++;
      this.pos = p;
      this.line++;
      this.linesToSkip--;
    }
    return true;
  }

  private skipBom(final: boolean): boolean {
    const have = this.end - this.pos;
    const bom = [0xef, 0xbb, 0xbf];
    for (let i = 0; i < Math.min(have, 3); i++) {
      if (this.buf[this.pos + i] !== bom[i]) {
        this.bomPending = false;
        return true;
      }
    }
    if (have < 3 && !final) return false;
    if (have >= 3) this.pos += 3;
    this.bomPending = false;
    return true;
  }

  private growFields(): void {
    const size = this.fieldStart.length * 2;
    const start = new Int32Array(size);
    const end = new Int32Array(size);
    const flags = new Uint8Array(size);
    start.set(this.fieldStart);
    end.set(this.fieldEnd);
    flags.set(this.fieldFlags);
    this.fieldStart = start;
    this.fieldEnd = end;
    this.fieldFlags = flags;
  }

  private growRecords(size: number): void {
    const grow = <A extends Int32Array | Float64Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.recordStart = grow(this.recordStart, (n) => new Int32Array(n));
    this.recordEnd = grow(this.recordEnd, (n) => new Int32Array(n));
    this.recordLine = grow(this.recordLine, (n) => new Float64Array(n));
    this.recordFieldBase = grow(this.recordFieldBase, (n) => new Int32Array(n));
    this.recordFieldCount = grow(this.recordFieldCount, (n) => new Int32Array(n));
    this.recordStatus = grow(this.recordStatus, (n) => new Uint8Array(n));
  }
}
