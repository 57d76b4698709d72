import { Decimal, Type, type DataType, type Int as IntType } from 'apache-arrow';
import type { ArithOp } from './ast.js';

/**
 * Spark's decimal result types (DecimalPrecision, with spark.sql.decimalOperations.allowPrecisionLoss
 * at its default, true). An integer operand counts as the decimal that holds all its values:
 * byte decimal(3,0), short (5,0), int (10,0), long (20,0).
 */

export const MAX_PRECISION = 38;
/** The scale Spark keeps at least when a result would need more than 38 digits. */
const MINIMUM_ADJUSTED_SCALE = 6;

/**
 * The decimal an integer or decimal type widens to, or undefined for other types. An integer
 * literal's `value` gives the smallest decimal holding it (Spark: 2 is decimal(1,0) next to a decimal).
 */
export function asDecimalType(type: DataType, value?: number | bigint): Decimal | undefined {
  if (type.typeId === Type.Decimal) return type as Decimal;
  if (type.typeId !== Type.Int) return undefined;
  if (value !== undefined) return new Decimal(0, String(value < 0 ? -BigInt(value) : BigInt(value)).length, 128);
  const int = type as IntType;
  const digits = int.bitWidth === 8 ? 3 : int.bitWidth === 16 ? 5 : int.bitWidth === 32 ? 10 : 20;
  return new Decimal(0, digits, 128);
}

/**
 * The type of `a op b` over decimals (p1, s1) and (p2, s2):
 * - `+`, `-`: scale max(s1, s2), precision max(p1 - s1, p2 - s2) + scale + 1;
 * - `*`: precision p1 + p2 + 1, scale s1 + s2;
 * - `/`: scale max(6, s1 + p2 + 1), precision p1 - s1 + s2 + scale;
 * - `%`: precision min(p1 - s1, p2 - s2) + max(s1, s2), scale max(s1, s2);
 * beyond 38 digits the integer digits are kept and the scale shrinks, to no less than 6 (or the
 * scale itself when smaller).
 */
export function decimalResultType(op: ArithOp, a: Decimal, b: Decimal): Decimal {
  const [p1, s1, p2, s2] = [a.precision, a.scale, b.precision, b.scale];
  switch (op) {
    case '+': case '-': {
      const scale = Math.max(s1, s2);
      return bounded(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case '*': return bounded(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(MINIMUM_ADJUSTED_SCALE, s1 + p2 + 1);
      return bounded(p1 - s1 + s2 + scale, scale);
    }
    case '%': {
      const scale = Math.max(s1, s2);
      return bounded(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

/** Spark's adjustPrecisionScale: keep the integer digits, give up scale down to min(scale, 6). */
function bounded(precision: number, scale: number): Decimal {
  if (precision <= MAX_PRECISION) return new Decimal(scale, precision, 128);
  const integerDigits = precision - scale;
  const minimumScale = Math.min(scale, MINIMUM_ADJUSTED_SCALE);
  return new Decimal(Math.max(MAX_PRECISION - integerDigits, minimumScale), MAX_PRECISION, 128);
}

/** Spark's avg of decimal(p, s): decimal(p + 4, s + 4), bounded. */
export function decimalAverageType(input: Decimal): Decimal {
  return bounded(input.precision + 4, input.scale + 4);
}

/** The decimal holding every value of both (Spark's widerDecimalType, for CASE, COALESCE and comparisons), capped at 38 digits. */
export function widerDecimalType(a: Decimal, b: Decimal): Decimal {
  if (a.precision === b.precision && a.scale === b.scale) return a;
  const scale = Math.max(a.scale, b.scale);
  const integerDigits = Math.max(a.precision - a.scale, b.precision - b.scale);
  return new Decimal(scale, Math.min(integerDigits + scale, MAX_PRECISION), 128); // DecimalType.bounded
}
