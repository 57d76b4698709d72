import { DateDay, TimestampMicrosecond, Type, type DataType } from 'apache-arrow';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { asColumn } from '../operand.js';
import { castOperand } from '../kernels/castOperand.js';
import { MICROS_PER_DAY } from '../kernels/calendar.js';
import { float64ToInt64, makeResult, numbersOf, validityOf } from '../vectors.js';
import { isDateType, isNullType } from '../typeRules.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { addMonths } from './datetime.js';
import { expectArg, literalArg, type FunctionDef } from './define.js';

const DATE = new DateDay();
const TIMESTAMP = new TimestampMicrosecond('UTC');

/** An interval as sluice keeps it: months (years are 12) and microseconds (days are 86,400 s; UTC has no DST). */
export interface Interval {
  months: number;
  micros: number;
}

/** Spark's interval units (singular and plural) → months or microseconds per unit. */
const UNITS: Record<string, Interval> = {
  year: { months: 12, micros: 0 }, month: { months: 1, micros: 0 }, week: { months: 0, micros: 7 * MICROS_PER_DAY },
  day: { months: 0, micros: MICROS_PER_DAY }, hour: { months: 0, micros: 3_600_000_000 }, minute: { months: 0, micros: 60_000_000 },
  second: { months: 0, micros: 1_000_000 }, millisecond: { months: 0, micros: 1000 }, microsecond: { months: 0, micros: 1 },
};

/** The interval of `amount unit` ('3', 'days'), or undefined for an unknown unit. */
export function intervalOf(amount: number, unit: string): Interval | undefined {
  const per = UNITS[unit.toLowerCase().replace(/s$/, '')];
  if (!per) return undefined;
  if (per.months && !Number.isInteger(amount)) return undefined;
  return { months: amount * per.months, micros: Math.round(amount * per.micros) };
}

export const INTERVAL_UNITS = Object.keys(UNITS).map((u) => u.toUpperCase());

/**
 * `x + INTERVAL …` and `x - INTERVAL …`, which the parser writes as interval_add(x, months,
 * micros): the months first (the day clamped to a shorter month's end, as add_months), then the
 * microseconds. A date with an interval of whole days stays a date (Spark: DATE '2024-01-31' +
 * INTERVAL 1 MONTH is DATE '2024-02-29'); with hours, minutes or seconds it becomes a timestamp.
 */
export const intervalAdd: FunctionDef = {
  name: 'interval_add', category: 'datetime', signature: 'interval_add(x: date|timestamp, months: int, micros: bigint) → date|timestamp',
  description: "x plus an interval of months and microseconds; what SQL's `x + INTERVAL 1 MONTH 2 DAYS` means. A date plus whole days is a date.",
  minArgs: 3, maxArgs: 3,
  returnType(types, nodes) {
    expectArg('interval_add', 1, types[0], isDateType(types[0]) || types[0].typeId === Type.Timestamp || isNullType(types[0]) || types[0].typeId === Type.Utf8, 'a date or timestamp');
    const micros = nodes?.[2]?.kind === 'lit' ? Number(nodes[2].value) : NaN;
    return isDateType(types[0]) && micros % MICROS_PER_DAY === 0 ? DATE : TIMESTAMP;
  },
  evaluate(args: Operand[], n: number, type: DataType) {
    const months = Number(literalArg(args[1], 'interval_add', 'the months'));
    const micros = Number(literalArg(args[2], 'interval_add', 'the microseconds'));
    if (!Number.isFinite(months) || !Number.isFinite(micros)) throw new SluiceError('interval_add: the interval must be literal numbers');
    if (isNullType(typeOf(args[0]))) return scalar(type, null);
    if (type.typeId === Type.Date) {
      const days = asColumn(castOperand(args[0], DATE, n), n);
      const values = numbersOf(days);
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = addMonths(values[i], months) + micros / MICROS_PER_DAY;
      return column(makeResult(DATE, n, validityOf(days), { data: out }));
    }
    const ts = asColumn(castOperand(args[0], TIMESTAMP, n), n);
    const values = numbersOf(ts);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const day = Math.floor(values[i] / MICROS_PER_DAY);
      const timeOfDay = values[i] - day * MICROS_PER_DAY;
      out[i] = (months ? addMonths(day, months) : day) * MICROS_PER_DAY + timeOfDay + micros;
    }
    return column(makeResult(TIMESTAMP, n, validityOf(ts), { data: float64ToInt64(out) }));
  },
};

export const INTERVALS: FunctionDef[] = [intervalAdd];
