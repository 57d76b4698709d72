import { Data, DataType, Decimal, Int as IntType, Type, Vector, makeVector } from 'apache-arrow';
import { SluiceError } from '../../types/ErrorRecord.js';
import { parseType } from '../../types/typeNames.js';
import { glueTypeName, isChoice } from '../../types/choice.js';
import { describeType, isNumericType, isStringType, isTemporalType, microsPerUnit, sameType } from '../typeRules.js';
import {
  bitIsSet, decimalToBigInt, float64ToInt64, makeResult, numbersOf, stringReader, validityOf,
} from '../vectors.js';
import { ColumnWriter } from './columnWriter.js';
import { fitsPrecision, formatDecimal, formatValue, integerRange, parseDecimal, parseText } from './castText.js';
import { MICROS_PER_DAY } from './calendar.js';

/** A row whose value could not be converted: it became null. */
export interface CastFailure { row: number; value: string }
export interface CastResult { data: Data; failures: CastFailure[] }

/**
 * Converts a column to another type the way Spark's (non-ANSI) CAST does, except that values
 * which do not fit — unparseable text, out-of-range numbers — become null AND are listed in
 * `failures`, so ApplyMapping can turn them into error records instead of losing them silently.
 *
 * Supported: string → int/float/bool/date/timestamp/decimal; numeric ↔ numeric (incl. decimal);
 * bool ↔ numeric; date ↔ timestamp; timestamp ↔ numeric (seconds since epoch); anything → string.
 */
export function castData(data: Data, to: DataType): CastResult {
  const from = data.type;
  if (sameType(from, to)) return { data, failures: [] };
  if (from.typeId === Type.Null) return { data: new ColumnWriter(to, data.length).finish(), failures: [] };
  if (to.typeId === Type.Utf8) return { data: castToString(data), failures: [] };
  if (isStringType(from)) return castFromString(data, to);
  if (isNumericType(from) || from.typeId === Type.Bool) {
    if (isNumericType(to) || to.typeId === Type.Bool || to.typeId === Type.Timestamp) return castNumeric(data, to);
  }
  if (isTemporalType(from)) {
    if (isTemporalType(to)) return { data: castTemporal(data, to), failures: [] };
    if (from.typeId === Type.Timestamp && isNumericType(to)) return castNumeric(data, to);
  }
  const hint = isChoice(from) ? `; resolve the choice first, e.g. ResolveChoice cast:${glueTypeName(to)}` : '';
  throw new SluiceError(`cannot cast ${describeType(from)} to ${describeType(to)}${hint}`);
}

/** castData for a whole Vector (all its chunks) and a type given as a DataType or a name ('decimal(10,2)'). */
export function castVector(vector: Vector, to: DataType | string): { vector: Vector; failures: CastFailure[] } {
  const type = typeof to === 'string' ? parseType(to) : to;
  const failures: CastFailure[] = [];
  const chunks: Data[] = [];
  let base = 0;
  for (const chunk of vector.data) {
    const result = castData(chunk, type);
    for (const f of result.failures) failures.push({ row: base + f.row, value: f.value });
    chunks.push(result.data);
    base += chunk.length;
  }
  return { vector: makeVector(chunks) as Vector, failures };
}

function castToString(data: Data): Data {
  const n = data.length;
  const out = new ColumnWriter(parseType('string'), n);
  const validity = validityOf(data);
  if (isStringType(data.type)) {
    const read = stringReader(data);
    for (let i = 0; i < n; i++) out.write(i, read(i));
    return out.finish();
  }
  if (data.typeId === Type.Decimal) {
    const scale = (data.type as Decimal).scale;
    for (let i = 0; i < n; i++) {
      out.write(i, validity && !bitIsSet(validity, i) ? null : formatDecimal(decimalToBigInt(data.values as Uint32Array, i), scale));
    }
    return out.finish();
  }
  if (data.typeId === Type.Int && (data.type as IntType).bitWidth === 64) {
    const values = data.values as BigInt64Array;
    for (let i = 0; i < n; i++) out.write(i, validity && !bitIsSet(validity, i) ? null : String(values[i]));
    return out.finish();
  }
  if (data.typeId === Type.Bool || isNumericType(data.type) || isTemporalType(data.type)) {
    const numbers = numbersOf(data);
    const isBool = data.typeId === Type.Bool;
    for (let i = 0; i < n; i++) {
      if (validity && !bitIsSet(validity, i)) out.write(i, null);
      else out.write(i, isBool ? String(numbers[i] === 1) : formatValue(numbers[i], data.type));
    }
    return out.finish();
  }
  throw new SluiceError(`cannot cast ${describeType(data.type)} to string`);
}

function castFromString(data: Data, to: DataType): CastResult {
  const n = data.length;
  const read = stringReader(data);
  const out = new ColumnWriter(to, n);
  const failures: CastFailure[] = [];
  for (let i = 0; i < n; i++) {
    const text = read(i);
    if (text === null) continue;
    const value = parseText(text, to);
    if (value === undefined) failures.push({ row: i, value: text });
    else out.write(i, value);
  }
  return { data: out.finish(), failures };
}

/** Numeric, bool and timestamp (as seconds) sources into numeric, bool or timestamp targets. */
function castNumeric(data: Data, to: DataType): CastResult {
  const n = data.length;
  const validity = validityOf(data);
  const failures: CastFailure[] = [];
  const from = data.type;
  // Exact paths for 64-bit and decimal sources, which float64 would round.
  if (from.typeId === Type.Decimal || (from.typeId === Type.Int && (from as IntType).bitWidth === 64)) {
    if (to.typeId === Type.Decimal || (to.typeId === Type.Int && (to as IntType).bitWidth === 64)) {
      return castExactInteger(data, to);
    }
  }
  const numbers = numbersOf(data);
  // Timestamps travel as seconds through numbers (Spark: cast(ts as double) = epoch seconds).
  const inScale = from.typeId === Type.Timestamp ? microsPerUnit(from) / 1e6 : 1;
  if (to.typeId === Type.Float && inScale === 1) {
    const values = new (to as DataType & { ArrayType: Float64ArrayConstructor }).ArrayType(n);
    values.set(numbers);
    return { data: makeResult(to, n, validity, { data: values }), failures };
  }
  if (to.typeId === Type.Int && (to as IntType).bitWidth <= 32 && from.typeId === Type.Int && (from as IntType).bitWidth <= 32 && (from as IntType).bitWidth < (to as IntType).bitWidth) {
    const values = new (to as DataType & { ArrayType: Int32ArrayConstructor }).ArrayType(n);
    values.set(numbers);
    return { data: makeResult(to, n, validity, { data: values }), failures };
  }
  const out = new ColumnWriter(to, n);
  const [min, max] = to.typeId === Type.Int ? integerRange(to).map(Number) : [-Infinity, Infinity];
  const outScale = to.typeId === Type.Timestamp ? 1e6 / microsPerUnit(to) : 1;
  const decimal = to.typeId === Type.Decimal ? (to as Decimal) : undefined;
  for (let i = 0; i < n; i++) {
    if (validity && !bitIsSet(validity, i)) continue;
    const v = numbers[i] * inScale;
    if (to.typeId === Type.Bool) out.write(i, v !== 0);
    else if (to.typeId === Type.Float) out.write(i, v);
    else if (decimal) {
      // Through the shortest decimal text of the double, as Spark's BigDecimal(d.toString): 1.005 → 1.01.
      const unscaled = Number.isFinite(v) ? parseDecimal(String(v), decimal) : undefined;
      if (unscaled === undefined) failures.push({ row: i, value: String(v) });
      else out.write(i, unscaled);
    } else {
      const whole = Math.trunc(v * outScale);
      if (!Number.isFinite(whole) || whole < min || whole > max) failures.push({ row: i, value: String(v) });
      else out.write(i, to.typeId === Type.Int && (to as IntType).bitWidth === 64 ? BigInt(whole) : whole);
    }
  }
  return { data: out.finish(), failures };
}

/** int64/decimal → int64/decimal through bigint, rescaling and checking range. */
function castExactInteger(data: Data, to: DataType): CastResult {
  const n = data.length;
  const validity = validityOf(data);
  const failures: CastFailure[] = [];
  const fromScale = data.typeId === Type.Decimal ? (data.type as Decimal).scale : 0;
  const toDecimal = to.typeId === Type.Decimal ? (to as Decimal) : undefined;
  const toScale = toDecimal?.scale ?? 0;
  const out = new ColumnWriter(to, n);
  const [min, max] = toDecimal ? [0n, 0n] : integerRange(to);
  for (let i = 0; i < n; i++) {
    if (validity && !bitIsSet(validity, i)) continue;
    const raw = data.typeId === Type.Decimal ? decimalToBigInt(data.values as Uint32Array, i) : (data.values as BigInt64Array)[i];
    const value = rescale(raw, fromScale, toScale, toDecimal !== undefined);
    const ok = toDecimal ? fitsPrecision(value, toDecimal.precision) : value >= min && value <= max;
    if (ok) out.write(i, value);
    else failures.push({ row: i, value: data.typeId === Type.Decimal ? formatDecimal(raw, fromScale) : String(raw) });
  }
  return { data: out.finish(), failures };
}

/** Changes the scale of an unscaled value; rounding half up when scale shrinks to a decimal, truncating to an integer (as Spark). */
function rescale(value: bigint, from: number, to: number, toDecimal: boolean): bigint {
  if (to >= from) return value * 10n ** BigInt(to - from);
  const divisor = 10n ** BigInt(from - to);
  if (!toDecimal) return value / divisor;
  const quotient = value / divisor;
  const remainder = value % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  return twice >= divisor ? quotient + (value < 0n ? -1n : 1n) : quotient;
}

/** date ↔ timestamp and timestamp unit changes; a timestamp becomes the date of its UTC day. */
function castTemporal(data: Data, to: DataType): Data {
  const n = data.length;
  const validity = validityOf(data);
  const numbers = numbersOf(data);
  const fromMicros = data.typeId === Type.Date
    ? ((data.type as DataType & { unit: number }).unit === 0 ? MICROS_PER_DAY : 1000)
    : microsPerUnit(data.type);
  if (to.typeId === Type.Date) {
    const days = new Int32Array(n);
    for (let i = 0; i < n; i++) days[i] = Math.floor((numbers[i] * fromMicros) / MICROS_PER_DAY);
    return makeResult(to, n, validity, { data: days });
  }
  const toMicros = microsPerUnit(to);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = Math.floor((numbers[i] * fromMicros) / toMicros);
  return makeResult(to, n, validity, { data: float64ToInt64(values) });
}
