import { DataType, DateDay, Int32, TimestampMicrosecond, Type } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { column, type Operand, type Scalar, scalar, scalarAt, typeOf } from '../operand.js';
import { describeType, isStringType, microsPerUnit } from '../typeRules.js';
import { andValidity, float64ToInt64, int32PairsOf, makeDateDay, makeInt32, makeResult, numbersOf, validityOf } from '../vectors.js';
import { civilFromDays, compileDatetimePattern, daysFromCivil, MICROS_PER_DAY } from './calendar.js';
import { castOperand } from './castOperand.js';
import { mapRows } from './rowwise.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Date and time functions over UTC dates (days since epoch) and timestamps (units since epoch),
 * with integer calendar arithmetic in typed loops: no Date object per row.
 */

export type DateField = 'year' | 'month' | 'day' | 'hour';

/** A date or timestamp operand as raw numbers plus the number of its units in one day. */
export function temporalNumbers(op: Operand, length: number, fn: string, needTime: boolean): { values: ArrayLike<number> | number | null; unitsPerDay: number; validity: Uint8Array | null } {
  let operand = op;
  const t = typeOf(operand);
  if (isStringType(t)) operand = castOperand(operand, needTime ? new TimestampMicrosecond('UTC') : new DateDay(), length);
  const type = typeOf(operand);
  let unitsPerDay: number;
  if (type.typeId === Type.Date) unitsPerDay = (type as DateDay).unit === 0 ? 1 : 86_400_000;
  else if (type.typeId === Type.Timestamp) unitsPerDay = MICROS_PER_DAY / microsPerUnit(type);
  else if (type.typeId === Type.Null) return { values: null, unitsPerDay: 1, validity: null };
  else throw new SluiceError(`${fn} needs a date or timestamp, got ${describeType(t)}`);
  if (operand.kind === 'scalar') return { values: operand.value === null ? null : Number(operand.value), unitsPerDay, validity: null };
  return { values: numbersOf(operand.data), unitsPerDay, validity: validityOf(operand.data) };
}

/** year/month/day/hour as int32. */
export function extract(field: DateField, args: Operand[], length: number): Operand {
  const first = args[0];
  if (first.kind === 'column' && first.data.typeId === Type.Timestamp && first.data.values instanceof BigInt64Array) {
    return extractFromWords(field, first.data, length);
  }
  const { values, unitsPerDay, validity } = temporalNumbers(args[0], length, field, field === 'hour');
  if (values === null) return scalar(new Int32(), null);
  if (typeof values === 'number') return scalar(new Int32(), extractOne(field, values, unitsPerDay));
  const out = new Int32Array(length);
  if (field === 'hour') {
    const unitsPerHour = unitsPerDay / 24;
    for (let i = 0; i < length; i++) {
      const t = values[i];
      out[i] = Math.floor((t - Math.floor(t / unitsPerDay) * unitsPerDay) / unitsPerHour);
    }
  } else {
    const which = field === 'year' ? 0 : field === 'month' ? 1 : 2;
    for (let i = 0; i < length; i++) out[i] = civilField(Math.floor(values[i] / unitsPerDay), which);
  }
  return column(makeInt32(out, validity));
}

/**
 * extract over a 64-bit timestamp column, read as (lo, hi) word pairs: the same numbers as
 * temporalNumbers gives (exact below 2^53), without first copying the column to float64.
 */
function extractFromWords(field: DateField, data: Data, length: number): Operand {
  const unitsPerDay = MICROS_PER_DAY / microsPerUnit(data.type);
  const pairs = int32PairsOf(data.values as BigInt64Array);
  const out = new Int32Array(length);
  if (field === 'hour') {
    const unitsPerHour = unitsPerDay / 24;
    for (let i = 0; i < length; i++) {
      const t = pairs[2 * i + 1] * TWO_32 + (pairs[2 * i] >>> 0);
      out[i] = Math.floor((t - Math.floor(t / unitsPerDay) * unitsPerDay) / unitsPerHour);
    }
  } else {
    const which = field === 'year' ? 0 : field === 'month' ? 1 : 2;
    for (let i = 0; i < length; i++) out[i] = civilField(Math.floor((pairs[2 * i + 1] * TWO_32 + (pairs[2 * i] >>> 0)) / unitsPerDay), which);
  }
  return column(makeInt32(out, validityOf(data)));
}

const TWO_32 = 4294967296;

/**
 * Years 1900..2299 come from tables (a division by the mean year length, one correction and two
 * lookups); other days fall back to Hinnant's civil_from_days. which: 0 year, 1 month, 2 day.
 */
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 400;
const YEAR_START = new Float64Array(TABLE_YEARS + 1);
for (let y = 0; y <= TABLE_YEARS; y++) YEAR_START[y] = daysFromCivil(TABLE_FIRST_YEAR + y, 1, 1);
const MONTH_OF_DAY = [new Uint8Array(366), new Uint8Array(366)];
const DAY_OF_MONTH = [new Uint8Array(366), new Uint8Array(366)];
for (const leap of [0, 1]) {
  const year = leap ? 2000 : 2001;
  for (let doy = 0; doy < 365 + leap; doy++) {
    const { month, day } = civilFromDays(daysFromCivil(year, 1, 1) + doy);
    MONTH_OF_DAY[leap][doy] = month;
    DAY_OF_MONTH[leap][doy] = day;
  }
}

function civilField(days: number, which: number): number {
  let y = Math.floor(days / 365.2425 + 1970.0) - TABLE_FIRST_YEAR;
  if (y >= 0 && y < TABLE_YEARS) {
    if (days < YEAR_START[y]) y--;
    else if (days >= YEAR_START[y + 1]) y++;
  }
  if (y < 0 || y >= TABLE_YEARS) {
    const civil = civilFromDays(days);
    return which === 0 ? civil.year : which === 1 ? civil.month : civil.day;
  }
  if (which === 0) return y + TABLE_FIRST_YEAR;
  const leap = YEAR_START[y + 1] - YEAR_START[y] === 366 ? 1 : 0;
  const doy = days - YEAR_START[y];
  return which === 1 ? MONTH_OF_DAY[leap][doy] : DAY_OF_MONTH[leap][doy];
}

function extractOne(field: DateField, t: number, unitsPerDay: number): number {
  const days = Math.floor(t / unitsPerDay);
  if (field === 'hour') return Math.floor((t - days * unitsPerDay) / (unitsPerDay / 24));
  return civilFromDays(days)[field];
}

const TRUNC_UNITS: Record<string, 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond'> = {
  year: 'year', yyyy: 'year', yy: 'year', quarter: 'quarter', month: 'month', mon: 'month', mm: 'month',
  week: 'week', day: 'day', dd: 'day', hour: 'hour', minute: 'minute', second: 'second',
  millisecond: 'millisecond', microsecond: 'microsecond',
};

/** date_trunc(unit, ts): the timestamp truncated to the start of its year, month, week (Monday), day, ... */
export function dateTrunc(args: Operand[], length: number): Operand {
  const unitOp = args[0];
  if (unitOp.kind !== 'scalar' || typeof unitOp.value !== 'string' || !TRUNC_UNITS[unitOp.value.toLowerCase()]) {
    throw new SluiceError(`date_trunc: the first argument must be one of ${Object.keys(TRUNC_UNITS).join(', ')}`);
  }
  const unit = TRUNC_UNITS[unitOp.value.toLowerCase()];
  const inType = typeOf(args[1]);
  const outType: DataType = inType.typeId === Type.Timestamp ? inType : new TimestampMicrosecond('UTC');
  const ts = castOperand(args[1], outType, length);
  const { values, unitsPerDay, validity } = temporalNumbers(ts, length, 'date_trunc', true);
  if (values === null) return scalar(outType, null);
  const perMicro = 1 / microsPerUnit(outType);
  const truncate = (t: number): number => {
    const days = Math.floor(t / unitsPerDay);
    switch (unit) {
      case 'year': case 'quarter': case 'month': {
        const { year, month } = civilFromDays(days);
        const m = unit === 'year' ? 1 : unit === 'quarter' ? month - ((month - 1) % 3) : month;
        return daysFromCivil(year, m, 1) * unitsPerDay;
      }
      // 1970-01-01 was a Thursday: day 0 + 3 is a Monday's offset.
      case 'week': return (days - ((days + 3) % 7 + 7) % 7) * unitsPerDay;
      case 'day': return days * unitsPerDay;
      default: {
        const step = { hour: 3_600_000_000, minute: 60_000_000, second: 1_000_000, millisecond: 1000, microsecond: 1 }[unit] * perMicro;
        return step <= 1 ? t : Math.floor(t / step) * step;
      }
    }
  };
  if (typeof values === 'number') return scalar(outType, truncate(values));
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = truncate(values[i]);
  return column(makeResult(outType, length, validity, { data: float64ToInt64(out) }));
}

/** date_add(date, days) → date; date_sub is date_add with negated days. */
export function dateAdd(args: Operand[], length: number, sign = 1): Operand {
  return daysArith(args, length, 'date_add', (d, k) => d + sign * k, new DateDay());
}

/** datediff(end, start) → int32 days. */
export function dateDiff(args: Operand[], length: number): Operand {
  return daysArith(args, length, 'datediff', (a, b) => a - b, new Int32(), true);
}

function daysArith(args: Operand[], length: number, fn: string, op: (a: number, b: number) => number, outType: DateDay | Int32, bothDates = false): Operand {
  const a = castOperand(args[0], new DateDay(), length);
  const b = bothDates ? castOperand(args[1], new DateDay(), length) : castOperand(args[1], new Int32(), length);
  if (typeOf(args[0]).typeId !== Type.Date && typeOf(args[0]).typeId !== Type.Timestamp && !isStringType(typeOf(args[0])) && typeOf(args[0]).typeId !== Type.Null) {
    throw new SluiceError(`${fn} needs a date, got ${describeType(typeOf(args[0]))}`);
  }
  const read = (op: Operand) => (op.kind === 'scalar' ? (op.value === null ? null : Number(op.value)) : numbersOf(op.data));
  const x = read(a);
  const y = read(b);
  if (x === null || y === null) return scalar(outType, null);
  if (typeof x === 'number' && typeof y === 'number') return scalar(outType, op(x, y));
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) out[i] = op(typeof x === 'number' ? x : x[i], typeof y === 'number' ? y : y[i]);
  const validity = andValidity(a.kind === 'column' ? validityOf(a.data) : null, b.kind === 'column' ? validityOf(b.data) : null);
  return column(outType instanceof DateDay ? makeDateDay(out, validity) : makeInt32(out, validity));
}

/** to_date(x[, format]) and to_timestamp(x[, format]): text parsed with a Spark pattern, or cast. */
export function toTemporal(args: Operand[], length: number, to: 'date' | 'timestamp'): Operand {
  const outType: DataType = to === 'date' ? new DateDay() : new TimestampMicrosecond('UTC');
  if (args.length < 2) return castOperand(args[0], outType, length);
  // A constant call (both arguments literals) runs on one-row columns: that row is the literal.
  const format = args[1].kind === 'column' && args[1].data.length === 1 ? scalarAt(args[1].data, 0) : args[1].kind === 'scalar' ? args[1].value : undefined;
  if (typeof format !== 'string') throw new SluiceError(`to_${to}: the format must be a string literal`);
  let parse: (text: string) => number | null;
  try {
    parse = compileDatetimePattern(format);
  } catch (error) {
    throw new SluiceError(`to_${to}: ${(error as Error).message}`);
  }
  const input = isStringType(typeOf(args[0])) ? args[0] : castOperand(args[0], outType, length);
  if (!isStringType(typeOf(input))) return input;
  return mapRows([input], length, outType, ([s]: Scalar[]) => {
    if (s === null) return null;
    const micros = parse(String(s));
    if (micros === null) return null;
    return to === 'date' ? Math.floor(micros / MICROS_PER_DAY) : micros;
  });
}

