import { Bool, Decimal, Float64, Int32, Int64, makeData, type Data } from 'apache-arrow';
import type { CsvScanner } from './CsvScanner.js';
import { BuilderBase, fitted, grownTo, isEscaped, scratchBytes, setInt64, unescapeToScratch, type ColumnBuilder } from './ColumnBuilder.js';
import { floatParsed, parseBoolBytes, parseFloat64Bytes, parseInt32Bytes, parseInt64Bytes } from './parseFieldBytes.js';

export class Int32Builder extends BuilderBase implements ColumnBuilder {
  readonly type = new Int32();
  readonly label = 'int32';
  private values: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Int32Array(this.rows);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const values = this.values;
    const validity = this.validity;
    let failures = 0;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const r = rows[i];
      const k = recordFieldBase[r] + column;
      let s = fieldStart[k];
      let e = fieldEnd[k];
      if (s === e) { this.nullCount++; continue; }
      let b = scanner.buf;
      if (isEscaped(fieldFlags[k])) { e = unescapeToScratch(scanner, k); s = 0; b = scratchBytes(); }
      const v = parseInt32Bytes(b, s, e);
      if (v !== v) { failed[failures++] = r; this.nullCount++; continue; }
      values[at] = v;
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return failures;
  }

  protected growValues(rows: number): void {
    this.values = grownTo(this.values, rows);
  }

  finish(): Data {
    const length = this.length;
    const data = makeData({ type: this.type, ...this.takeValidity(), data: fitted(this.values, length) });
    this.values = new Int32Array(this.rows);
    return data;
  }
}

export class Int64Builder extends BuilderBase implements ColumnBuilder {
  readonly type = new Int64();
  readonly label = 'int64';
  private values: BigInt64Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new BigInt64Array(this.rows);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const values = this.values;
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const validity = this.validity;
    let failures = 0;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const r = rows[i];
      const k = recordFieldBase[r] + column;
      let s = fieldStart[k];
      let e = fieldEnd[k];
      if (s === e) { this.nullCount++; continue; }
      let b = scanner.buf;
      if (isEscaped(fieldFlags[k])) { e = unescapeToScratch(scanner, k); s = 0; b = scratchBytes(); }
      const v = parseInt64Bytes(b, s, e);
      if (v === undefined) { failed[failures++] = r; this.nullCount++; continue; }
      if (typeof v === 'number') setInt64(words, at, v);
      else values[at] = v;
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return failures;
  }

  protected growValues(rows: number): void {
    this.values = grownTo(this.values, rows);
  }

  finish(): Data {
    const length = this.length;
    const data = makeData({ type: this.type, ...this.takeValidity(), data: fitted(this.values, length) });
    this.values = new BigInt64Array(this.rows);
    return data;
  }
}

export class Float64Builder extends BuilderBase implements ColumnBuilder {
  readonly type = new Float64();
  readonly label = 'float64';
  private values: Float64Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Float64Array(this.rows);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const values = this.values;
    const validity = this.validity;
    let failures = 0;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const r = rows[i];
      const k = recordFieldBase[r] + column;
      let s = fieldStart[k];
      let e = fieldEnd[k];
      if (s === e) { this.nullCount++; continue; }
      let b = scanner.buf;
      if (isEscaped(fieldFlags[k])) { e = unescapeToScratch(scanner, k); s = 0; b = scratchBytes(); }
      const v = parseFloat64Bytes(b, s, e);
      if (!floatParsed) { failed[failures++] = r; this.nullCount++; continue; }
      values[at] = v;
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return failures;
  }

  protected growValues(rows: number): void {
    this.values = grownTo(this.values, rows);
  }

  finish(): Data {
    const length = this.length;
    const data = makeData({ type: this.type, ...this.takeValidity(), data: fitted(this.values, length) });
    this.values = new Float64Array(this.rows);
    return data;
  }
}

export class BoolBuilder extends BuilderBase implements ColumnBuilder {
  readonly type = new Bool();
  readonly label = 'bool';
  private values: Uint8Array;

  constructor(capacity: number) {
    super(capacity);
    this.values = new Uint8Array((this.rows + 7) >> 3);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const values = this.values;
    const validity = this.validity;
    let failures = 0;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const r = rows[i];
      const k = recordFieldBase[r] + column;
      let s = fieldStart[k];
      let e = fieldEnd[k];
      if (s === e) { this.nullCount++; continue; }
      let b = scanner.buf;
      if (isEscaped(fieldFlags[k])) { e = unescapeToScratch(scanner, k); s = 0; b = scratchBytes(); }
      const v = parseBoolBytes(b, s, e);
      if (v < 0) { failed[failures++] = r; this.nullCount++; continue; }
      if (v === 1) values[at >> 3] |= 1 << (at & 7);
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return failures;
  }

  protected override truncateValues(length: number): void {
    for (let i = length; i < this.rows; i++) this.values[i >> 3] &= ~(1 << (i & 7));
  }

  protected growValues(rows: number): void {
    this.values = grownTo(this.values, (rows + 7) >> 3);
  }

  finish(): Data {
    const length = this.length;
    const data = makeData({ type: this.type, ...this.takeValidity(), data: fitted(this.values, (length + 7) >> 3) });
    this.values = new Uint8Array((this.rows + 7) >> 3);
    return data;
  }
}

const latin1 = new TextDecoder('latin1');
const DECIMAL_TEXT = /^[ \t]*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?[ \t]*$/;

/** Decimal(p, s) in 128 bits. Parsed through BigInt: exact, slower than the other types. */
export class DecimalBuilder extends BuilderBase implements ColumnBuilder {
  readonly label: string;
  private values: Uint32Array;
  private readonly limit: bigint;

  constructor(readonly type: Decimal, capacity: number) {
    super(capacity);
    this.label = `decimal(${type.precision},${type.scale})`;
    this.values = new Uint32Array(this.rows * 4);
    this.limit = 10n ** BigInt(type.precision);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, recordFieldBase } = scanner;
    let failures = 0;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const r = rows[i];
      const k = recordFieldBase[r] + column;
      if (fieldStart[k] === fieldEnd[k]) { this.nullCount++; continue; }
      const v = this.parse(latin1.decode(scanner.buf.subarray(fieldStart[k], fieldEnd[k])));
      if (v === undefined) { failed[failures++] = r; this.nullCount++; continue; }
      let word = BigInt.asUintN(128, v);
      for (let w = 0; w < 4; w++, word >>= 32n) this.values[at * 4 + w] = Number(word & 0xffffffffn);
      this.validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    return failures;
  }

  /** The unscaled value, rounded half-up to the scale; undefined when invalid or too wide. */
  private parse(text: string): bigint | undefined {
    const m = DECIMAL_TEXT.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
    const exponent = Number(m[4] ?? 0) - (m[3] ?? '').length + this.type.scale;
    let unscaled = BigInt(`${m[2]}${m[3] ?? ''}` || '0');
    if (exponent >= 0) {
      if (exponent > 1000) return unscaled === 0n ? 0n : undefined;
      unscaled *= 10n ** BigInt(exponent);
    } else {
      const divisor = 10n ** BigInt(Math.min(-exponent, 1000));
      unscaled = (unscaled + divisor / 2n) / divisor;
    }
    if (unscaled >= this.limit) return undefined;
    return m[1] === '-' ? -unscaled : unscaled;
  }

  protected growValues(rows: number): void {
    this.values = grownTo(this.values, rows * 4);
  }

  finish(): Data {
    const length = this.length;
    const data = makeData({ type: this.type, ...this.takeValidity(), data: fitted(this.values, length * 4) });
    this.values = new Uint32Array(this.rows * 4);
    return data;
  }
}
