import { Decimal, Type, type Data, type Int as IntType } from 'apache-arrow';
import type { ArithOp } from '../ast.js';
import { column, type Operand, typeOf } from '../operand.js';
import { andValidity, bitIsSet, bitmapBytes, decimalToBigInt, makeResult, validityOf, writeDecimalWords } from '../vectors.js';
import { asDecimalType } from '../decimalTypes.js';

/**
 * + - * / % where the result is a decimal (typeRules.arithResultType): exact, on the unscaled
 * 128-bit values as BigInt (never through doubles), rounding half up to the result scale as
 * Spark's Decimal does; a result beyond the result precision, or a division by zero, is null
 * (Spark without ANSI mode). Division follows Spark's two steps: the quotient to 38 decimal
 * places (half up), then to the result scale.
 */
export function decimalArith(op: ArithOp, left: Operand, right: Operand, length: number, type: Decimal): Operand {
  const a = unscaledReader(left);
  const b = unscaledReader(right);
  const validity = andValidity(left.kind === 'column' ? validityOf(left.data) : null, right.kind === 'column' ? validityOf(right.data) : null);
  const valid = validity ? validity.slice() : new Uint8Array(bitmapBytes(length)).fill(0xff);
  const words = new Uint32Array(length * 4);
  const limit = 10n ** BigInt(type.precision);
  const scale = type.scale;
  const common = Math.max(a.scale, b.scale);
  for (let i = 0; i < length; i++) {
    if (validity && !bitIsSet(validity, i)) continue;
    const x = a.at(i);
    const y = b.at(i);
    let value: bigint | undefined;
    switch (op) {
      case '+': value = rescale(x * pow10(common - a.scale) + y * pow10(common - b.scale), common, scale); break;
      case '-': value = rescale(x * pow10(common - a.scale) - y * pow10(common - b.scale), common, scale); break;
      case '*': value = rescale(x * y, a.scale + b.scale, scale); break;
      case '/': value = y === 0n ? undefined : rescale(divideHalfUp(x * pow10(38 - a.scale + b.scale), y), 38, scale); break;
      case '%': {
        const divisor = y * pow10(common - b.scale);
        value = divisor === 0n ? undefined : rescale((x * pow10(common - a.scale)) % divisor, common, scale);
        break;
      }
    }
    if (value === undefined || value >= limit || value <= -limit) valid[i >> 3] &= ~(1 << (i & 7));
    else writeDecimalWords(words, i, value);
  }
  return column(makeResult(type, length, valid, { data: words }));
}

/** Unary minus of a decimal column: the same type, each unscaled value negated. */
export function negateDecimal(data: Data): Data {
  const n = data.length;
  const words = new Uint32Array(n * 4);
  const source = data.values as Uint32Array;
  for (let i = 0; i < n; i++) writeDecimalWords(words, i, -decimalToBigInt(source, i));
  return makeResult(data.type, n, validityOf(data), { data: words });
}

export interface Unscaled {
  scale: number;
  at(i: number): bigint;
}

/** An integer or decimal operand's values as unscaled bigints with their scale. */
export function unscaledReader(op: Operand): Unscaled {
  const type = typeOf(op);
  const scale = asDecimalType(type)?.scale ?? 0;
  if (op.kind === 'scalar') {
    // Scalars hold a decimal as its value (a number), as broadcast reads it.
    const value = op.value as number | bigint;
    const unscaled = typeof value === 'bigint' ? value : BigInt(Math.round(value * 10 ** scale));
    return { scale, at: () => unscaled };
  }
  const data = op.data;
  if (type.typeId === Type.Decimal) {
    const words = data.values as Uint32Array;
    return { scale, at: (i) => decimalToBigInt(words, i) };
  }
  const values = data.values as ArrayLike<number | bigint>;
  const unsigned64 = (type as IntType).bitWidth === 64 && !(type as IntType).isSigned;
  return { scale: 0, at: (i) => (unsigned64 ? BigInt.asUintN(64, BigInt(values[i])) : BigInt(values[i])) };
}

const POWERS: bigint[] = [];
export function pow10(k: number): bigint {
  return (POWERS[k] ??= 10n ** BigInt(k));
}

/** n / d rounded half away from zero (Java's HALF_UP). */
function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  const away = (n < 0n) !== (d < 0n) ? -1n : 1n;
  return twice >= (d < 0n ? -d : d) ? q + away : q;
}

/** An unscaled value from scale `from` to scale `to`, half up when the scale shrinks. */
function rescale(value: bigint, from: number, to: number): bigint {
  return to >= from ? value * pow10(to - from) : divideHalfUp(value, pow10(from - to));
}
