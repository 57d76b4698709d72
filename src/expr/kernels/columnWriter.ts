import { Data, DataType, Decimal, Type } from 'apache-arrow';
import { bitmapBytes, makeResult, Utf8Builder, writeDecimalWords } from '../vectors.js';

/**
 * Writes one value per row into the typed buffers of any fixed-width result type (and strings),
 * for kernels whose rows cannot be computed by one typed-array expression (casts, CASE, COALESCE).
 * Values follow the scalar conventions of operand.ts; a decimal also accepts its unscaled bigint.
 */
export class ColumnWriter {
  private readonly validity: Uint8Array;
  private readonly values: Int8Array | Int16Array | Int32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array | Uint32Array | null;
  private readonly strings: Utf8Builder | null;
  private readonly scaleFactor: number;
  private nextStringRow = 0;

  constructor(readonly type: DataType, readonly length: number) {
    this.validity = new Uint8Array(bitmapBytes(length));
    this.scaleFactor = type.typeId === Type.Decimal ? 10 ** (type as Decimal).scale : 1;
    if (type.typeId === Type.Utf8) {
      this.strings = new Utf8Builder(length);
      this.values = null;
    } else {
      this.strings = null;
      if (type.typeId === Type.Bool) this.values = new Uint8Array(bitmapBytes(length));
      else if (type.typeId === Type.Decimal) this.values = new Uint32Array(length * 4);
      else if (type.typeId === Type.Null) this.values = null;
      else {
        const ArrayType = (type as DataType & { ArrayType: new (n: number) => NonNullable<ColumnWriter['values']> }).ArrayType;
        this.values = new ArrayType(length);
      }
    }
  }

  /** Rows must be written in increasing order when the type is a string; others in any order. */
  write(i: number, value: number | bigint | boolean | string | null): void {
    if (value === null) return this.strings ? this.fillStringsTo(i + 1) : undefined;
    this.validity[i >> 3] |= 1 << (i & 7);
    const values = this.values;
    switch (this.type.typeId) {
      case Type.Utf8:
        this.fillStringsTo(i);
        this.strings!.append(String(value));
        this.nextStringRow = i + 1;
        return;
      case Type.Bool:
        if (value) (values as Uint8Array)[i >> 3] |= 1 << (i & 7);
        return;
      case Type.Decimal: {
        const unscaled = typeof value === 'bigint' ? value : BigInt(Math.round(Number(value) * this.scaleFactor));
        writeDecimalWords(values as Uint32Array, i, unscaled);
        return;
      }
      default:
        if (values instanceof BigInt64Array) values[i] = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
        else values![i] = Number(value);
    }
  }

  finish(): Data {
    if (this.strings) {
      this.fillStringsTo(this.length);
      return this.strings.finish();
    }
    if (this.type.typeId === Type.Null) return makeResult(this.type, this.length, this.validity, {});
    return makeResult(this.type, this.length, this.validity, { data: this.values! });
  }

  private fillStringsTo(row: number): void {
    for (; this.nextStringRow < row; this.nextStringRow++) this.strings!.appendNull();
  }
}
