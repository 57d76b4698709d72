import { DateDay, TimestampMicrosecond, Type } from 'apache-arrow';
import type { LitNode } from '../ast.js';
import { type Operand, scalar, typeOf } from '../operand.js';
import { isStringType } from '../typeRules.js';
import { castOperand } from '../kernels/castOperand.js';
import { mapRows } from '../kernels/rowwise.js';
import { civilFromDays, compileDatetimePattern, daysFromCivil, formatDate, formatTimestamp, MICROS_PER_DAY } from '../kernels/calendar.js';
import { dateAdd, dateDiff, dateTrunc, extract, toTemporal, type DateField } from '../kernels/date.js';
import { roundDecimal } from './math.js';
import { define, FLOAT64, type FunctionDef, INT32, INT64, literalArg, mapNumbers, UTF8 } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Date and time functions in UTC (sluice's session time zone), with integer calendar arithmetic
 * in typed loops. Text arguments are cast to dates or timestamps first, as Spark does.
 */

const DATE = new DateDay();
const TIMESTAMP = new TimestampMicrosecond('UTC');
const MICROS_PER_SECOND = 1_000_000;

const asDays = (op: Operand, n: number) => castOperand(op, DATE, n);
const asMicros = (op: Operand, n: number) => castOperand(op, TIMESTAMP, n);
const floorMod = (a: number, b: number) => a - Math.floor(a / b) * b;
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysInMonth = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);

/** An int32 field of a date (computed from days since epoch). */
const dayField = (name: string, aliases: string[] | undefined, description: string, fn: (days: number) => number): FunctionDef => define({
  name, aliases, category: 'datetime', signature: `${name}(d: date) → int`, description, args: ['date'], result: INT32,
  evaluate: (args, n, t) => mapNumbers([asDays(args[0], n)], n, t, fn),
});

/** An int32 field of a timestamp (computed from microseconds since epoch). */
const timeField = (name: string, description: string, fn: (micros: number) => number): FunctionDef => define({
  name, category: 'datetime', signature: `${name}(ts: timestamp) → int`, description, args: ['date'], result: INT32,
  evaluate: (args, n, t) => mapNumbers([asMicros(args[0], n)], n, t, fn),
});

const existingField = (field: DateField, description: string, aliases?: string[]): FunctionDef => define({
  name: field, aliases, category: 'datetime', signature: `${field}(d: date|timestamp) → int`, description, args: ['date'], result: INT32,
  evaluate: (args, n) => extract(field, args, n),
});

/** ISO-8601 week number: weeks start on Monday, week 1 holds the year's first Thursday. */
export function isoWeek(days: number): number {
  const mondayBased = floorMod(days + 3, 7);
  const thursday = days - mondayBased + 3;
  const year = civilFromDays(thursday).year;
  return Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
}

export function addMonths(days: number, months: number): number {
  const { year, month, day } = civilFromDays(days);
  const total = year * 12 + (month - 1) + months;
  const y = Math.floor(total / 12), m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
}

export function lastDay(days: number): number {
  const { year, month } = civilFromDays(days);
  return daysFromCivil(year, month, daysInMonth(year, month));
}

/** Spark's months_between: whole months when the days of month match or both are month ends, else a 31-day-month fraction. */
export function monthsBetween(t1: number, t2: number, roundOff: boolean): number {
  const d1 = Math.floor(t1 / MICROS_PER_DAY), d2 = Math.floor(t2 / MICROS_PER_DAY);
  const a = civilFromDays(d1), b = civilFromDays(d2);
  const monthDiff = (a.year * 12 + a.month) - (b.year * 12 + b.month);
  if (a.day === b.day || (a.day === daysInMonth(a.year, a.month) && b.day === daysInMonth(b.year, b.month))) return monthDiff;
  const s1 = Math.floor((t1 - d1 * MICROS_PER_DAY) / MICROS_PER_SECOND), s2 = Math.floor((t2 - d2 * MICROS_PER_DAY) / MICROS_PER_SECOND);
  const diff = monthDiff + ((a.day - b.day) * 86400 + s1 - s2) / (31 * 86400);
  return roundOff ? roundDecimal(diff, 8, false) : diff;
}

const WEEKDAYS: Record<string, number> = {}; // Monday = 0
['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].forEach((d, k) => {
  WEEKDAYS[d] = k; WEEKDAYS[d.slice(0, 3)] = k; WEEKDAYS[d.slice(0, 2)] = k;
});

const TRUNC_FORMATS: Record<string, 'year' | 'quarter' | 'month' | 'week'> = {
  YEAR: 'year', YYYY: 'year', YY: 'year', QUARTER: 'quarter', MONTH: 'month', MON: 'month', MM: 'month', WEEK: 'week',
};

export function truncDays(days: number, unit: 'year' | 'quarter' | 'month' | 'week'): number {
  if (unit === 'week') return days - floorMod(days + 3, 7);
  const { year, month } = civilFromDays(days);
  return daysFromCivil(year, unit === 'year' ? 1 : unit === 'quarter' ? month - ((month - 1) % 3) : month, 1);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const pad = (v: number, width: number) => (v < 0 ? '-' + String(-v).padStart(width, '0') : String(v).padStart(width, '0'));

/**
 * Compiles a Spark datetime pattern into a formatter of microseconds since epoch (UTC):
 * y yy yyyy, M MM MMM MMMM (and L), d dd, D, H HH, h hh, k, K, m mm, s ss, S... (fraction),
 * E..EEE (Mon) EEEE (Monday), a (AM/PM), Q/q, G, z/VV (UTC), Z/X/x (offsets), 'quoted text'.
 */
export function compileFormatter(pattern: string): (micros: number) => string {
  type Part = string | ((f: Fields) => string);
  interface Fields { year: number; month: number; day: number; doy: number; dow: number; hour: number; minute: number; second: number; micros: number }
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new SluiceError(`date_format: unterminated quote in pattern '${pattern}'`);
      parts.push(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === ch) run++;
    i += run;
    const part = formatPart(ch, run, pattern);
    parts.push(part ?? ch.repeat(run));
  }
  function formatPart(ch: string, run: number, source: string): Part | undefined {
    switch (ch) {
      case 'y': case 'u': return run === 2 ? (f) => pad(floorMod(f.year, 100), 2) : (f) => pad(f.year, run);
      case 'M': case 'L':
        if (run >= 4) return (f) => MONTHS[f.month - 1];
        if (run === 3) return (f) => MONTHS[f.month - 1].slice(0, 3);
        return (f) => pad(f.month, run);
      case 'd': return (f) => pad(f.day, run);
      case 'D': return (f) => pad(f.doy, run);
      case 'H': return (f) => pad(f.hour, run);
      case 'h': return (f) => pad(f.hour % 12 || 12, run);
      case 'k': return (f) => pad(f.hour || 24, run);
      case 'K': return (f) => pad(f.hour % 12, run);
      case 'm': return (f) => pad(f.minute, run);
      case 's': return (f) => pad(f.second, run);
      case 'S': return (f) => String(f.micros).padStart(6, '0').padEnd(run, '0').slice(0, run);
      case 'E': return run >= 4 ? (f) => DAYS[f.dow] : (f) => DAYS[f.dow].slice(0, 3);
      case 'a': return (f) => (f.hour < 12 ? 'AM' : 'PM');
      case 'Q': case 'q': return run <= 2 ? (f) => pad(Math.floor((f.month - 1) / 3) + 1, run) : run === 3 ? (f) => `Q${Math.floor((f.month - 1) / 3) + 1}` : (f) => `${['1st', '2nd', '3rd', '4th'][Math.floor((f.month - 1) / 3)]} quarter`;
      case 'G': return run >= 4 ? (f) => (f.year > 0 ? 'Anno Domini' : 'Before Christ') : (f) => (f.year > 0 ? 'AD' : 'BC');
      case 'z': case 'V': case 'O': return () => 'UTC';
      case 'Z': return () => (run === 4 ? 'GMT' : run === 5 ? 'Z' : '+0000');
      case 'X': return () => 'Z';
      case 'x': return () => (run === 1 ? '+00' : run === 2 || run === 4 ? '+0000' : '+00:00');
      default:
        if (/[A-Za-z]/.test(ch)) throw new SluiceError(`date_format: unsupported pattern letter '${ch}' in '${source}'`);
        return undefined;
    }
  }
  const fields: Fields = { year: 0, month: 0, day: 0, doy: 0, dow: 0, hour: 0, minute: 0, second: 0, micros: 0 };
  return (micros) => {
    const days = Math.floor(micros / MICROS_PER_DAY);
    const inDay = micros - days * MICROS_PER_DAY;
    const civil = civilFromDays(days);
    fields.year = civil.year; fields.month = civil.month; fields.day = civil.day;
    fields.doy = days - daysFromCivil(civil.year, 1, 1) + 1;
    fields.dow = floorMod(days + 3, 7);
    const seconds = Math.floor(inDay / MICROS_PER_SECOND);
    fields.hour = Math.floor(seconds / 3600); fields.minute = Math.floor(seconds / 60) % 60; fields.second = seconds % 60;
    fields.micros = inDay - seconds * MICROS_PER_SECOND;
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : p(fields);
    return out;
  };
}

function formatterArg(op: Operand | undefined, fn: string): ((micros: number) => string) | null {
  const format = op ? literalArg(op, fn, 'the format') : 'yyyy-MM-dd HH:mm:ss';
  return format === null ? null : compileFormatter(String(format));
}

/** Seconds since epoch of a timestamp, a date, or text parsed with a pattern (null when it does not parse). */
function unixSeconds(args: Operand[], n: number, fn: string): Operand {
  const [value, formatOp] = args;
  if (isStringType(typeOf(value))) {
    const format = formatOp ? literalArg(formatOp, fn, 'the format') : 'yyyy-MM-dd HH:mm:ss';
    if (format === null) return scalar(INT64, null);
    let parse: (text: string) => number | null;
    try { parse = compileDatetimePattern(String(format)); } catch (error) { throw new SluiceError(`${fn}: ${(error as Error).message}`); }
    return mapRows([value], n, INT64, ([s]) => {
      if (s === null) return null;
      const micros = parse(String(s));
      return micros === null ? null : BigInt(Math.floor(micros / MICROS_PER_SECOND));
    });
  }
  return mapNumbers([asMicros(value, n)], n, INT64, (m) => Math.floor(m / MICROS_PER_SECOND));
}

/** now() for the parser: one reading per parsed expression (see FunctionDef.fold). */
const currentMicros = (nowMs: number) => nowMs * 1000;

export interface FoldableDef extends FunctionDef {
  /** Replaces a call by a literal when the expression is parsed: current_date() is fixed once per query. */
  fold(nowMs: number): LitNode;
}

export const DATETIME: (FunctionDef | FoldableDef)[] = [
  existingField('year', 'The year.'),
  existingField('month', 'The month, 1 to 12.'),
  existingField('day', 'The day of the month, 1 to 31.', ['dayofmonth']),
  existingField('hour', 'The hour, 0 to 23.'),
  timeField('minute', 'The minute, 0 to 59.', (t) => Math.floor(floorMod(t, 3_600_000_000) / 60_000_000)),
  timeField('second', 'The second, 0 to 59.', (t) => Math.floor(floorMod(t, 60_000_000) / MICROS_PER_SECOND)),
  dayField('quarter', undefined, 'The quarter of the year, 1 to 4.', (d) => Math.floor((civilFromDays(d).month - 1) / 3) + 1),
  dayField('dayofweek', undefined, 'The day of the week, 1 (Sunday) to 7 (Saturday).', (d) => floorMod(d + 4, 7) + 1),
  dayField('weekday', undefined, 'The day of the week, 0 (Monday) to 6 (Sunday).', (d) => floorMod(d + 3, 7)),
  dayField('dayofyear', undefined, 'The day of the year, 1 to 366.', (d) => d - daysFromCivil(civilFromDays(d).year, 1, 1) + 1),
  dayField('weekofyear', undefined, 'The ISO-8601 week of the year (weeks start on Monday; week 1 has the first Thursday).', isoWeek),
  define({
    name: 'date_trunc', category: 'datetime', signature: 'date_trunc(unit: string, ts: timestamp) → timestamp',
    description: "The timestamp truncated to the start of its 'year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', ...",
    args: ['string', 'date'], result: ([, t]) => (t.typeId === Type.Timestamp ? t : TIMESTAMP), evaluate: (a, n) => dateTrunc(a, n),
  }),
  define({
    name: 'trunc', category: 'datetime', signature: 'trunc(d: date, unit: string) → date',
    description: "The date truncated to the start of its 'year' (yyyy, yy), 'quarter', 'month' (mon, mm) or 'week'; null for other units.",
    args: ['date', 'string'], result: DATE,
    evaluate(args, n) {
      const unitName = literalArg(args[1], 'trunc', 'the unit');
      const unit = unitName === null ? undefined : TRUNC_FORMATS[String(unitName).toUpperCase()];
      if (!unit) return scalar(DATE, null);
      return mapNumbers([asDays(args[0], n)], n, DATE, (d) => truncDays(d, unit));
    },
  }),
  define({
    name: 'to_date', category: 'datetime', signature: 'to_date(x: string|timestamp[, format: string]) → date', description: 'A date from text (parsed with a Spark pattern) or a timestamp.',
    args: ['date', 'string'], min: 1, max: 2, result: DATE, evaluate: (a, n) => toTemporal(a, n, 'date'),
  }),
  define({
    name: 'to_timestamp', category: 'datetime', signature: 'to_timestamp(x: string|date[, format: string]) → timestamp', description: 'A timestamp from text (parsed with a Spark pattern) or a date.',
    args: ['date', 'string'], min: 1, max: 2, result: TIMESTAMP, evaluate: (a, n) => toTemporal(a, n, 'timestamp'),
  }),
  define({
    name: 'date_add', category: 'datetime', signature: 'date_add(d: date, days: int) → date', description: 'd plus a number of days.',
    args: ['date', 'int'], result: DATE, evaluate: (a, n) => dateAdd(a, n),
  }),
  define({
    name: 'date_sub', category: 'datetime', signature: 'date_sub(d: date, days: int) → date', description: 'd minus a number of days.',
    args: ['date', 'int'], result: DATE, evaluate: (a, n) => dateAdd(a, n, -1),
  }),
  define({
    name: 'datediff', category: 'datetime', signature: 'datediff(end: date, start: date) → int', description: 'Days from start to end.',
    args: ['date', 'date'], result: INT32, evaluate: (a, n) => dateDiff(a, n),
  }),
  define({
    name: 'add_months', category: 'datetime', signature: 'add_months(d: date, months: int) → date', description: 'd plus a number of months; the day is clamped to the end of a shorter month.',
    args: ['date', 'int'], result: DATE, evaluate: (args, n, t) => mapNumbers([asDays(args[0], n), args[1]], n, t, addMonths),
  }),
  define({
    name: 'last_day', category: 'datetime', signature: 'last_day(d: date) → date', description: 'The last day of the month of d.',
    args: ['date'], result: DATE, evaluate: (args, n, t) => mapNumbers([asDays(args[0], n)], n, t, lastDay),
  }),
  define({
    name: 'next_day', category: 'datetime', signature: "next_day(d: date, dayOfWeek: string) → date", description: "The first date after d that is the named day ('Mon', 'MO', 'Monday', ...); null for another name.",
    args: ['date', 'string'], result: DATE,
    evaluate(args, n) {
      const name = literalArg(args[1], 'next_day', 'the day of the week');
      const target = name === null ? undefined : WEEKDAYS[String(name).trim().toUpperCase()];
      if (target === undefined) return scalar(DATE, null);
      return mapNumbers([asDays(args[0], n)], n, DATE, (d) => d + floorMod(target - floorMod(d + 3, 7) - 1, 7) + 1);
    },
  }),
  define({
    name: 'make_date', category: 'datetime', signature: 'make_date(year: int, month: int, day: int) → date', description: 'The date of a year, month and day; null when it does not exist.',
    args: ['number', 'number', 'number'], result: DATE,
    evaluate: (args, n) => mapNumbers(args, n, DATE, (y, m, d) => (Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d)
      && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) ? daysFromCivil(y, m, d) : NaN), (r) => r !== r),
  }),
  define({
    name: 'months_between', category: 'datetime', signature: 'months_between(end: timestamp, start: timestamp[, roundOff: boolean = true]) → double',
    description: 'Months from start to end: whole when the days of month match or both are month ends, else with a fraction of a 31-day month (rounded to 8 digits unless roundOff is false).',
    args: ['date', 'date', 'bool'], min: 2, max: 3, result: FLOAT64,
    evaluate(args, n) {
      const roundOff = args.length < 3 || literalArg(args[2], 'months_between', 'roundOff') !== false;
      return mapNumbers([asMicros(args[0], n), asMicros(args[1], n)], n, FLOAT64, (a, b) => monthsBetween(a, b, roundOff));
    },
  }),
  define({
    name: 'date_format', category: 'datetime', signature: 'date_format(ts: timestamp, format: string) → string',
    description: 'The timestamp as text in a Spark datetime pattern (yyyy MM dd HH mm ss SSS E a ...), in UTC.',
    args: ['date', 'string'], result: UTF8,
    evaluate(args, n) {
      const format = formatterArg(args[1], 'date_format');
      if (!format) return scalar(UTF8, null);
      return mapRows([asMicros(args[0], n)], n, UTF8, ([t]) => (t === null ? null : format(Number(t))));
    },
  }),
  define({
    name: 'unix_timestamp', aliases: ['to_unix_timestamp'], category: 'datetime', signature: "unix_timestamp([x: string|timestamp[, format: string = 'yyyy-MM-dd HH:mm:ss']]) → bigint",
    description: 'Seconds since 1970-01-01 UTC of a timestamp, or of text parsed with format (null when it does not parse); now without arguments.',
    args: ['date', 'string'], min: 0, max: 2, result: INT64,
    evaluate: (args, n) => (args.length === 0 ? scalar(INT64, BigInt(Math.floor(Date.now() / 1000))) : unixSeconds(args, n, 'unix_timestamp')),
  }),
  define({
    name: 'from_unixtime', category: 'datetime', signature: "from_unixtime(seconds: bigint[, format: string = 'yyyy-MM-dd HH:mm:ss']) → string",
    description: 'Seconds since 1970-01-01 UTC as text in a Spark datetime pattern.', args: ['number', 'string'], min: 1, max: 2, result: UTF8,
    evaluate(args, n) {
      const format = formatterArg(args[1], 'from_unixtime');
      if (!format) return scalar(UTF8, null);
      const seconds = mapNumbers([args[0]], n, INT64, Math.floor);
      return mapRows([seconds], n, UTF8, ([s]) => (s === null ? null : format(Number(s) * MICROS_PER_SECOND)));
    },
  }),
  {
    ...define({
      name: 'current_date', aliases: ['curdate'], category: 'datetime', signature: 'current_date() → date', description: "Today's date (UTC), fixed when the expression is parsed.",
      args: [], result: DATE, evaluate: () => scalar(DATE, Math.floor(Date.now() / 86_400_000)),
    }),
    fold: (nowMs: number): LitNode => ({ kind: 'lit', value: formatDate(Math.floor(nowMs / 86_400_000)), type: 'date' }),
  },
  {
    ...define({
      name: 'current_timestamp', aliases: ['now'], category: 'datetime', signature: 'current_timestamp() → timestamp', description: 'The current time (UTC), fixed when the expression is parsed.',
      args: [], result: TIMESTAMP, evaluate: () => scalar(TIMESTAMP, currentMicros(Date.now())),
    }),
    fold: (nowMs: number): LitNode => ({ kind: 'lit', value: formatTimestamp(currentMicros(nowMs)), type: 'timestamp' }),
  },
];

