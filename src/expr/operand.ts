import { Data, DataType, Decimal, Dictionary, Int32, makeData, Type, Utf8 } from 'apache-arrow';
import {
  bitIsSet, bitmapBytes, boolBitsOf, decimalToNumber, int32PairsOf, makeResult, numbersOf, stringReader,
  Utf8Builder, validityOf, writeDecimalWords,
} from './vectors.js';

/**
 * What a kernel consumes and produces: a whole column, or one value that stands for every row
 * (a literal, or anything computed only from literals). Keeping literals as scalars lets
 * `amount > 100` compare against one number instead of a broadcast column.
 *
 * Scalar conventions: bool → boolean; int8..int32, float, decimal → number (decimal as its real
 * value); int64 → bigint; utf8 → string; date → days since epoch; timestamp → count of the
 * type's unit since epoch (number).
 */
export type Scalar = null | boolean | number | bigint | string;
export type Operand =
  | { kind: 'column'; data: Data }
  | { kind: 'scalar'; type: DataType; value: Scalar };

export const column = (data: Data): Operand => ({ kind: 'column', data });
export const scalar = (type: DataType, value: Scalar): Operand => ({ kind: 'scalar', type, value });
export const typeOf = (op: Operand): DataType => (op.kind === 'column' ? op.data.type : op.type);

/** A column of `length` rows all holding `value` (strings become a one-entry dictionary). */
export function broadcast(type: DataType, value: Scalar, length: number): Data {
  const validity = value === null ? new Uint8Array(bitmapBytes(length)) : null;
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length, nullCount: length } as Parameters<typeof makeData>[0]) as Data;
    case Type.Bool: {
      const bits = new Uint8Array(bitmapBytes(length));
      if (value === true) bits.fill(0xff);
      return makeResult(type, length, validity, { data: bits });
    }
    case Type.Utf8: case Type.Dictionary: {
      const dict = new Utf8Builder(1);
      dict.append(value === null ? '' : String(value));
      return makeResult(new Dictionary(new Utf8(), new Int32()), length, validity, {
        data: new Int32Array(length), dictionary: dict.finish(),
      });
    }
    case Type.Decimal: {
      const words = new Uint32Array(length * 4);
      if (value !== null) {
        const unscaled = BigInt(Math.round(Number(value) * 10 ** (type as Decimal).scale));
        writeDecimalWords(words, 0, unscaled);
        for (let i = 1; i < length; i++) words.copyWithin(i * 4, 0, 4);
      }
      return makeResult(type, length, validity, { data: words });
    }
    default: {
      const ArrayType = (type as DataType & { ArrayType: new (n: number) => ArrayLike<number> | ArrayLike<bigint> }).ArrayType;
      const values = new ArrayType(length) as Int32Array | Float64Array | BigInt64Array;
      if (value !== null) {
        if (values instanceof BigInt64Array) values.fill(BigInt(value as number | bigint));
        else values.fill(Number(value));
      }
      return makeResult(type, length, validity, { data: values });
    }
  }
}

/** The value of row `i` in the scalar conventions above. */
export function scalarAt(data: Data, i: number): Scalar {
  if (data.typeId === Type.Null) return null;
  const validity = validityOf(data);
  if (validity && !bitIsSet(validity, i)) return null;
  switch (data.typeId) {
    case Type.Bool: return bitIsSet(boolBitsOf(data), i);
    case Type.Utf8: case Type.Dictionary: return stringReader(data)(i);
    case Type.Decimal: return decimalToNumber(data.values as Uint32Array, i, (data.type as Decimal).scale);
    default: {
      const values = data.values as ArrayLike<number> | BigInt64Array;
      if (values instanceof BigInt64Array) {
        if (data.typeId === Type.Int) return values[i];
        const pairs = int32PairsOf(values);
        return pairs[2 * i + 1] * 4294967296 + (pairs[2 * i] >>> 0);
      }
      return (values as ArrayLike<number>)[i];
    }
  }
}

/** A column for any operand (scalars broadcast to `length`). */
export const asColumn = (op: Operand, length: number): Data =>
  op.kind === 'column' ? op.data : broadcast(op.type, op.value, length);

/**
 * Row -> value reader for kernels that work row by row (string functions, CASE, COALESCE).
 * Strings decode per dictionary entry once; 64-bit integers come back as numbers.
 */
export function rowReader(op: Operand): (i: number) => Scalar {
  if (op.kind === 'scalar') {
    const value = op.value;
    return () => value;
  }
  const data = op.data;
  if (data.typeId === Type.Null) return () => null;
  if (data.typeId === Type.Utf8 || data.typeId === Type.Dictionary) return stringReader(data);
  const validity = validityOf(data);
  if (data.typeId === Type.Bool) {
    const bits = boolBitsOf(data);
    return (i) => (validity && !bitIsSet(validity, i) ? null : bitIsSet(bits, i));
  }
  const numbers = numbersOf(data);
  return (i) => (validity && !bitIsSet(validity, i) ? null : numbers[i]);
}
