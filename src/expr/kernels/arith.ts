import { Data, DataType, Decimal, Float64, Int64, Type } from 'apache-arrow';
import { decimalArith, negateDecimal } from './decimalArith.js';
import type { ArithOp } from '../ast.js';
import { asColumn, column, type Operand, scalar, typeOf } from '../operand.js';
import { arithResultType, describeType, isNullType, isStringType } from '../typeRules.js';
import { castOperand } from './castOperand.js';
import { andValidity, bitmapBytes, makeFloat64, makeInt32, makeInt64, numbersOf, validityOf } from '../vectors.js';
import { castData } from './cast.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * + - * / % over numeric columns, with Spark's result types (see typeRules.arithResultType):
 * int32 arithmetic wraps on overflow, int64 uses BigInt, decimals are exact (decimalArith.ts),
 * everything else is float64. Division or modulo by zero gives null, as in Spark.
 */
export function arith(op: ArithOp, leftIn: Operand, rightIn: Operand, length: number): Operand {
  const left = isStringType(typeOf(leftIn)) ? castOperand(leftIn, new Float64(), length) : leftIn;
  const right = isStringType(typeOf(rightIn)) ? castOperand(rightIn, new Float64(), length) : rightIn;
  const type = arithResultType(op, typeOf(left), typeOf(right), { left: integerScalar(left), right: integerScalar(right) });
  if (!type) throw new SluiceError(`cannot apply '${op}' to ${describeType(typeOf(left))} and ${describeType(typeOf(right))}`);
  if (isNullType(type) || isNullType(typeOf(left)) || isNullType(typeOf(right))) return scalar(type, null);
  if (left.kind === 'scalar' && left.value === null) return scalar(type, null);
  if (right.kind === 'scalar' && right.value === null) return scalar(type, null);
  if (type.typeId === Type.Int && (type as Int64).bitWidth === 64) return column(int64Arith(op, left, right, length));
  if (type.typeId === Type.Decimal) return decimalArith(op, left, right, length, type as Decimal);
  const a = left.kind === 'scalar' ? Number(left.value) : numbersOf(left.data);
  const b = right.kind === 'scalar' ? Number(right.value) : numbersOf(right.data);
  let validity = andValidity(validityOrNull(left), validityOrNull(right));
  if (type.typeId === Type.Int) {
    const out = new Int32Array(length);
    validity = int32Arith(op, a, b, out, validity);
    return column(makeInt32(out, validity));
  }
  const out = new Float64Array(length);
  validity = float64Arith(op, a, b, out, validity);
  return column(makeFloat64(out, validity));
}

/** Unary minus keeps the type (integers wrap, decimals stay exact), as in Spark. */
export function negate(operand: Operand, length: number): Operand {
  const type = typeOf(operand);
  if (operand.kind === 'scalar') {
    if (operand.value === null) return operand;
    return scalar(type, typeof operand.value === 'bigint' ? BigInt.asIntN(64, -operand.value) : -Number(operand.value));
  }
  if (type.typeId === Type.Decimal) return column(negateDecimal(operand.data));
  const isInt64 = type.typeId === Type.Int && (type as Int64).bitWidth === 64;
  return arith('-', scalar(type, isInt64 ? 0n : 0), operand, length);
}

/** A constant integer operand's value (a literal, as inferType sees it), for Spark's decimal literal rule. */
function integerScalar(op: Operand): number | bigint | undefined {
  return op.kind === 'scalar' && op.type.typeId === Type.Int && op.value !== null ? (op.value as number | bigint) : undefined;
}

const validityOrNull = (op: Operand): Uint8Array | null => (op.kind === 'column' ? validityOf(op.data) : null);

type Numbers = ArrayLike<number> | number;

/** Clears row i's validity bit, allocating the bitmap on first use. */
function clearBit(validity: Uint8Array | null, i: number, length: number): Uint8Array {
  const bits = validity ?? new Uint8Array(bitmapBytes(length)).fill(0xff);
  bits[i >> 3] &= ~(1 << (i & 7));
  return bits;
}

function float64Arith(op: ArithOp, a: Numbers, b: Numbers, out: Float64Array, validity: Uint8Array | null): Uint8Array | null {
  const n = out.length;
  if (typeof a === 'number' && typeof b === 'number') throw new Error('arith: two scalars must be folded by the caller');
  if (typeof a === 'number') {
    const filled = new Float64Array(n).fill(a);
    return float64Arith(op, filled, b, out, validity);
  }
  if (typeof b === 'number') {
    switch (op) {
      case '+': for (let i = 0; i < n; i++) out[i] = a[i] + b; return validity;
      case '-': for (let i = 0; i < n; i++) out[i] = a[i] - b; return validity;
      case '*': for (let i = 0; i < n; i++) out[i] = a[i] * b; return validity;
      case '/': case '%':
        if (b === 0) return new Uint8Array(bitmapBytes(n));
        if (op === '/') for (let i = 0; i < n; i++) out[i] = a[i] / b;
        else for (let i = 0; i < n; i++) out[i] = a[i] % b;
        return validity;
    }
  }
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return validity;
    case '-': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return validity;
    case '*': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return validity;
    case '/': case '%':
      for (let i = 0; i < n; i++) {
        const d = b[i];
        if (d === 0) validity = clearBit(validity, i, n);
        else out[i] = op === '/' ? a[i] / d : a[i] % d;
      }
      return validity;
  }
}

function int32Arith(op: ArithOp, a: Numbers, b: Numbers, out: Int32Array, validity: Uint8Array | null): Uint8Array | null {
  const n = out.length;
  const left = typeof a === 'number' ? new Int32Array(n).fill(a) : a;
  const right = typeof b === 'number' ? new Int32Array(n).fill(b) : b;
  switch (op) {
    case '+': for (let i = 0; i < n; i++) out[i] = (left[i] + right[i]) | 0; return validity;
    case '-': for (let i = 0; i < n; i++) out[i] = (left[i] - right[i]) | 0; return validity;
    case '*': for (let i = 0; i < n; i++) out[i] = Math.imul(left[i], right[i]); return validity;
    case '/': throw new Error('int32 division produces float64');
    case '%':
      for (let i = 0; i < n; i++) {
        if (right[i] === 0) validity = clearBit(validity, i, n);
        else out[i] = left[i] % right[i];
      }
      return validity;
  }
}

/** int64 arithmetic in BigInt, wrapping at 64 bits like Java longs. */
function int64Arith(op: ArithOp, left: Operand, right: Operand, length: number): Data {
  const int64 = new Int64();
  const a = asInt64Values(left, length, int64);
  const b = asInt64Values(right, length, int64);
  let validity = andValidity(validityOrNull(left), validityOrNull(right));
  const out = new BigInt64Array(length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    switch (op) {
      case '+': out[i] = BigInt.asIntN(64, x + y); break;
      case '-': out[i] = BigInt.asIntN(64, x - y); break;
      case '*': out[i] = BigInt.asIntN(64, x * y); break;
      case '/': case '%':
        if (y === 0n) validity = clearBit(validity, i, length);
        else out[i] = op === '/' ? x / y : x % y;
    }
  }
  return makeInt64(out, validity);
}

function asInt64Values(op: Operand, length: number, int64: DataType): BigInt64Array {
  const data = op.kind === 'scalar' ? asColumn(scalar(int64, BigInt(op.value as number | bigint)), length) : op.data;
  return (data.typeId === Type.Int && (data.type as Int64).bitWidth === 64 ? data : castData(data, int64).data).values as BigInt64Array;
}
