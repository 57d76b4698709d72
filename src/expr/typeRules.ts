import {
  Bool, DataType, DateDay, Decimal, Dictionary, Float64, Int as IntType, Int32, Int64, Null, TimeUnit, Timestamp,
  TimestampMicrosecond, TimestampMillisecond, Type, Utf8,
} from 'apache-arrow';
import type { ArithOp } from './ast.js';
import { typeName } from '../types/typeNames.js';
import { asDecimalType, decimalResultType, widerDecimalType } from './decimalTypes.js';

/**
 * Spark's type rules in one place, shared by inferType (plans) and evaluate (kernels) so the
 * type a plan promises is the type a batch delivers.
 */

/** The logical type a column presents: a dictionary of strings is a string. */
export const logicalType = (type: DataType): DataType =>
  type.typeId === Type.Dictionary ? (type as Dictionary).dictionary : type;

export const isNullType = (t: DataType) => t.typeId === Type.Null;
export const isBoolType = (t: DataType) => t.typeId === Type.Bool;
export const isStringType = (t: DataType) => logicalType(t).typeId === Type.Utf8 || logicalType(t).typeId === Type.LargeUtf8;
export const isIntegerType = (t: DataType) => t.typeId === Type.Int;
export const isFloatType = (t: DataType) => t.typeId === Type.Float;
export const isDecimalType = (t: DataType) => t.typeId === Type.Decimal;
export const isNumericType = (t: DataType) => isIntegerType(t) || isFloatType(t) || isDecimalType(t);
export const isDateType = (t: DataType) => t.typeId === Type.Date;
export const isTimestampType = (t: DataType) => t.typeId === Type.Timestamp;
export const isTemporalType = (t: DataType) => isDateType(t) || isTimestampType(t);

/** 64-bit integers (and unsigned 32-bit, which does not fit int32) compute as int64. */
const isWideInteger = (t: DataType) => {
  const int = t as IntType;
  return int.bitWidth === 64 || (int.bitWidth === 32 && !int.isSigned);
};

/** Microseconds per unit of a timestamp type (seconds: 1e6, ms: 1e3, µs: 1, ns: 1e-3). */
export function microsPerUnit(t: DataType): number {
  switch ((t as Timestamp).unit) {
    case TimeUnit.SECOND: return 1e6;
    case TimeUnit.MILLISECOND: return 1e3;
    case TimeUnit.MICROSECOND: return 1;
    default: return 1e-3;
  }
}

export const timestampType = (unit: 'ms' | 'us'): DataType =>
  unit === 'ms' ? new TimestampMillisecond('UTC') : new TimestampMicrosecond('UTC');

export const describeType = (t: DataType): string => typeName(t);

/**
 * The type of `a op b` (a string operand counts as double): int32 for small ints, int64 if either
 * is 64-bit, a decimal by Spark's precision rules when a decimal meets a decimal or an integer,
 * float64 otherwise; `/` of integers is float64 (as in Spark).
 */
export function arithResultType(op: ArithOp, a0: DataType, b0: DataType, literals: IntegerLiterals = {}): DataType | undefined {
  // Spark's implicit cast: a string in arithmetic is a double ('5' + 1 = 6.0; bad text is null).
  const a = isStringType(a0) ? new Float64() : a0;
  const b = isStringType(b0) ? new Float64() : b0;
  if (isNullType(a) && isNullType(b)) return new Null();
  const left = isNullType(a) ? b : a;
  const right = isNullType(b) ? a : b;
  if (!isNumericType(left) || !isNumericType(right)) return undefined;
  // Decimal with decimal or integer stays decimal (exact); with a double it is a double, as in Spark.
  if ((isDecimalType(left) || isDecimalType(right)) && !isFloatType(left) && !isFloatType(right)) {
    return decimalResultType(op, asDecimalType(left, literals.left)!, asDecimalType(right, literals.right)!);
  }
  if (op === '/') return new Float64();
  if (isIntegerType(left) && isIntegerType(right)) {
    return isWideInteger(left) || isWideInteger(right) ? new Int64() : new Int32();
  }
  return new Float64();
}

/** Integer literal operands of an arithmetic node: against a decimal they count as the smallest decimal holding them (Spark's literal.pickMinimumPrecision). */
export interface IntegerLiterals {
  left?: number | bigint;
  right?: number | bigint;
}

/** The type two values are brought to before comparing them (undefined: not comparable). */
export function comparisonType(a: DataType, b: DataType): DataType | undefined {
  const l = logicalType(a);
  const r = logicalType(b);
  if (isNullType(l)) return isNullType(r) ? new Null() : r;
  if (isNullType(r)) return l;
  if (isStringType(l) && isStringType(r)) return new Utf8();
  if (isBoolType(l) && isBoolType(r)) return new Bool();
  if (isNumericType(l) && isNumericType(r)) return numericCommonType(l, r);
  if (isTemporalType(l) && isTemporalType(r)) return temporalCommonType(l, r);
  // Spark casts the string side: '2024-01-01' against a date is a date, '5' against an int a double.
  if (isStringType(l)) return stringAgainst(r);
  if (isStringType(r)) return stringAgainst(l);
  return undefined;
}

function stringAgainst(other: DataType): DataType | undefined {
  if (isTemporalType(other) || isBoolType(other)) return other;
  if (isNumericType(other)) return new Float64();
  return undefined;
}

/** The type of a value that may come from several branches (CASE, COALESCE, IN lists). */
export function mergeType(a: DataType, b: DataType): DataType | undefined {
  const l = logicalType(a);
  const r = logicalType(b);
  if (isNullType(l)) return r;
  if (isNullType(r)) return l;
  if (isStringType(l) || isStringType(r)) {
    // Spark widens a string and any atomic type to string.
    return isStringType(l) && isStringType(r) ? new Utf8() : comparisonType(l, r) && new Utf8();
  }
  return comparisonType(l, r);
}

function numericCommonType(l: DataType, r: DataType): DataType {
  if (isIntegerType(l) && isIntegerType(r)) return isWideInteger(l) || isWideInteger(r) ? new Int64() : new Int32();
  // A decimal with a decimal or an integer: the decimal that holds both (Spark's widerDecimalType).
  if ((isDecimalType(l) || isDecimalType(r)) && !isFloatType(l) && !isFloatType(r)) return widerDecimalType(asDecimalType(l)!, asDecimalType(r)!);
  return new Float64();
}

function temporalCommonType(l: DataType, r: DataType): DataType {
  if (isDateType(l) && isDateType(r)) return new DateDay();
  const units = [l, r].filter(isTimestampType).map(microsPerUnit);
  // The finer unit wins so neither side loses precision.
  return Math.min(...units) < 1000 ? new TimestampMicrosecond('UTC') : new TimestampMillisecond('UTC');
}

/** Same physical type (Arrow's toString spells unit, width, precision and scale). */
export const sameType = (a: DataType, b: DataType): boolean => String(a) === String(b);
