import { DateDay, makeData, TimeUnit, type Data, type Timestamp } from 'apache-arrow';
import type { CsvScanner } from './CsvScanner.js';
import { BuilderBase, fitted, grownTo, isEscaped, scratchBytes, setInt64, unescapeToScratch, type ColumnBuilder } from './ColumnBuilder.js';
import { parseDateBytes, parseTimestampBytes, timestampMicros } from './parseFieldBytes.js';

/** DateDay from `YYYY-MM-DD`. */
export class DateDayBuilder extends BuilderBase implements ColumnBuilder {
  readonly type = new DateDay();
  readonly label = 'date';
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
      const v = parseDateBytes(b, s, e);
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

const UNITS_PER_SECOND: Record<TimeUnit, number> = {
  [TimeUnit.SECOND]: 1,
  [TimeUnit.MILLISECOND]: 1e3,
  [TimeUnit.MICROSECOND]: 1e6,
  [TimeUnit.NANOSECOND]: 1e9,
};

/**
 * Timestamps of any unit from ISO-8601 text, parsed from the bytes at fixed positions (Date.parse
 * would cost ~0.35 µs a row). Values beyond 2^53 units (e.g. nanoseconds) take a BigInt path.
 */
export class TimestampBuilder extends BuilderBase implements ColumnBuilder {
  readonly label: string;
  private values: BigInt64Array;
  private readonly unitsPerSecond: number;

  constructor(readonly type: Timestamp, capacity: number) {
    super(capacity);
    this.unitsPerSecond = UNITS_PER_SECOND[type.unit];
    this.label = `timestamp[${TimeUnit[type.unit].toLowerCase()}${type.timezone ? `, ${type.timezone}` : ''}]`;
    this.values = new BigInt64Array(this.rows);
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const values = this.values;
    const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const validity = this.validity;
    const perSecond = this.unitsPerSecond;
    const microsPerUnit = 1e6 / perSecond;
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
      const seconds = parseTimestampBytes(b, s, e);
      if (seconds !== seconds) { failed[failures++] = r; this.nullCount++; continue; }
      // Fractions finer than the unit are cut (floor), like Spark's casts.
      const sub = microsPerUnit >= 1 ? Math.floor(timestampMicros / microsPerUnit) : timestampMicros * 1000;
      const v = seconds * perSecond + sub;
      if (v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER) setInt64(words, at, v);
      else values[at] = BigInt(seconds) * BigInt(perSecond) + BigInt(sub);
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
