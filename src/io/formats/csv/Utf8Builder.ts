import { makeData, Utf8, type Data } from 'apache-arrow';
import { FIELD_ESCAPED, FIELD_QUOTED, type CsvScanner } from './CsvScanner.js';
import { BuilderBase, fitted, grownTo, type ColumnBuilder } from './ColumnBuilder.js';

/**
 * Utf8 columns as offsets + one byte buffer, filled by copying the field bytes as they are (the
 * file is UTF-8 already; there is no decode/encode round trip). Fields with escapes are
 * unescaped while copying. The bytes are not validated, as in Spark.
 */
export class Utf8Builder extends BuilderBase implements ColumnBuilder {
  readonly type = new Utf8();
  readonly label = 'utf8';
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private byteLength = 0;

  constructor(capacity: number) {
    super(capacity);
    this.offsets = new Int32Array(this.rows + 1);
    this.bytes = new Uint8Array(Math.max(1024, this.rows * 8));
  }

  append(scanner: CsvScanner, rows: Int32Array, count: number, column: number, _failed: Int32Array): number {
    this.reserve(this.length + count);
    const { fieldStart, fieldEnd, fieldFlags, recordFieldBase } = scanner;
    const buf = scanner.buf;
    const offsets = this.offsets;
    const validity = this.validity;
    let bytes = this.bytes;
    let pos = this.byteLength;
    let at = this.length;
    for (let i = 0; i < count; i++, at++) {
      const k = recordFieldBase[rows[i]] + column;
      const s = fieldStart[k];
      const e = fieldEnd[k];
      const flags = fieldFlags[k];
      // Unquoted empty is null; quoted empty ("") is the empty string (Spark's emptyValue).
      if (s === e && (flags & FIELD_QUOTED) === 0) {
        this.nullCount++;
        offsets[at + 1] = pos;
        continue;
      }
      if (pos + (e - s) > bytes.length) {
        this.bytes = bytes = grow(bytes, pos + (e - s));
      }
      if ((flags & FIELD_ESCAPED) !== 0) {
        pos = scanner.unescapeField(k, bytes, pos);
      } else if (e - s < 32) {
        for (let p = s; p < e; p++) bytes[pos++] = buf[p];
      } else {
        bytes.set(buf.subarray(s, e), pos);
        pos += e - s;
      }
      offsets[at + 1] = pos;
      validity[at >> 3] |= 1 << (at & 7);
    }
    this.length = at;
    this.byteLength = pos;
    return 0;
  }

  protected growValues(rows: number): void {
    this.offsets = grownTo(this.offsets, rows + 1);
  }

  protected override truncateValues(length: number): void {
    this.byteLength = this.offsets[length];
  }

  finish(): Data {
    const length = this.length;
    const valueOffsets = fitted(this.offsets, length + 1);
    const data = makeData({
      type: this.type,
      ...this.takeValidity(),
      valueOffsets,
      data: this.bytes.slice(0, this.byteLength),
    });
    this.offsets = new Int32Array(this.rows + 1);
    this.byteLength = 0;
    return data;
  }
}

function grow(bytes: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(needed, bytes.length * 2));
  next.set(bytes);
  return next;
}
