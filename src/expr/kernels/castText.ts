import { DataType, Decimal, Int as IntType, Type } from 'apache-arrow';
import { microsPerUnit } from '../typeRules.js';
import { formatDate, formatTimestamp, parseDate, parseTimestamp } from './calendar.js';

/**
 * Text ↔ value conversions for casts, following Spark's non-ANSI cast: surrounding whitespace
 * is ignored, and text that does not parse gives `undefined` (the caller makes it null and
 * reports it).
 */

const INTEGER_RE = /^[+-]?\d+$/;
const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** Integer ranges by bit width and sign. */
export function integerRange(type: DataType): [bigint, bigint] {
  const int = type as IntType;
  const bits = BigInt(int.bitWidth);
  return int.isSigned ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : [0n, (1n << bits) - 1n];
}

/** Parses text as a value of `to` (scalar conventions; decimals as unscaled bigint). */
export function parseText(text: string, to: DataType): number | bigint | boolean | string | undefined {
  const t = text.trim();
  switch (to.typeId) {
    case Type.Utf8: return text;
    case Type.Bool: {
      const lower = t.toLowerCase();
      return TRUE_WORDS.has(lower) ? true : FALSE_WORDS.has(lower) ? false : undefined;
    }
    case Type.Int: {
      // Spark truncates a fractional part: cast('7.9' as int) = 7.
      const whole = INTEGER_RE.test(t) ? t : DECIMAL_RE.test(t) && /\d/.test(t) && !/[eE]/.test(t) ? (t.split('.')[0] || '0') : undefined;
      if (whole === undefined || whole === '+' || whole === '-') return undefined;
      const v = BigInt(whole);
      const [min, max] = integerRange(to);
      if (v < min || v > max) return undefined;
      return (to as IntType).bitWidth === 64 ? v : Number(v);
    }
    case Type.Float: {
      if (!FLOAT_RE.test(t)) return undefined;
      const lower = t.toLowerCase().replace(/^\+/, '');
      if (lower === 'nan') return NaN;
      if (/^-?inf(inity)?$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
      return Number(t);
    }
    case Type.Decimal: return parseDecimal(t, to as Decimal);
    case Type.Date: return parseDate(t) ?? undefined;
    case Type.Timestamp: {
      const micros = parseTimestamp(t) ?? (parseDate(t) !== null && !/[T ]/.test(t) ? parseDate(t)! * 86_400_000_000 : null);
      return micros === null ? undefined : Math.floor(micros / microsPerUnit(to));
    }
    default: return undefined;
  }
}

/** Exact decimal parsing (no float detour), rounding half up to the scale; overflow gives undefined. */
export function parseDecimal(text: string, type: Decimal): bigint | undefined {
  const m = DECIMAL_RE.exec(text);
  if (!m || !(m[2] || m[3])) return undefined;
  const exponent = Number(m[4] ?? 0);
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let pointAt = (m[2] ?? '').length + exponent;
  if (pointAt < 0) {
    digits = '0'.repeat(-pointAt) + digits;
    pointAt = 0;
  }
  digits = digits.padEnd(pointAt, '0');
  const kept = digits.slice(0, pointAt + type.scale).padEnd(pointAt + type.scale, '0');
  let unscaled = BigInt(kept || '0');
  if ((digits[pointAt + type.scale] ?? '0') >= '5') unscaled += 1n;
  if (m[1] === '-') unscaled = -unscaled;
  return fitsPrecision(unscaled, type.precision) ? unscaled : undefined;
}

export const fitsPrecision = (unscaled: bigint, precision: number): boolean =>
  (unscaled < 0n ? -unscaled : unscaled) < 10n ** BigInt(precision);

/** Java's Double.toString, as Spark prints doubles: 1.0, 0.001, 1.0E7, 1.5E-4. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(v);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(v);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }
  const [mantissa, exp] = v.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : mantissa + '.0'}E${Number(exp)}`;
}

export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

/** Formats a value of `from` (scalar conventions) as Spark's cast(... as string) does. */
export function formatValue(value: number | bigint | boolean | string, from: DataType): string {
  switch (from.typeId) {
    case Type.Float: return formatDouble(Number(value));
    case Type.Date: return formatDate(Number(value));
    case Type.Timestamp: return formatTimestamp(Number(value) * microsPerUnit(from));
    default: return String(value);
  }
}
