import { DateDay, TimestampMicrosecond } from 'apache-arrow';
import { asColumn, column, type Operand, scalar } from '../operand.js';
import { castOperand } from '../kernels/castOperand.js';
import { andValidity, bitmapBytes, float64ToInt64, makeResult, numbersOf, validityOf } from '../vectors.js';
import { lookupFunction } from '../functions.js';
import { define, FLOAT64, type FunctionDef, INT32, literalArg, mapNumbers } from './define.js';
import { utcOfLocal, zoneOffset } from './timeZones.js';
import { civilFromDays, daysFromCivil } from '../kernels/calendar.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Time-zone shifts, make_timestamp and date_part. Timestamps are microseconds since the epoch in
 * UTC (sluice's session time zone), read and written as numbers in typed loops.
 */

const TIMESTAMP = new TimestampMicrosecond('UTC');
const DATE = new DateDay();
const floorMod = (a: number, b: number) => a - Math.floor(a / b) * b;

/** Each row's microseconds mapped by `fn` (NaN → null); nulls stay null. */
function mapMicros(op: Operand, length: number, fn: (micros: number) => number): Operand {
  const data = asColumn(castOperand(op, TIMESTAMP, length), length);
  const micros = numbersOf(data);
  const out = new Float64Array(length);
  let validity = validityOf(data);
  for (let i = 0; i < length; i++) out[i] = fn(micros[i]);
  for (let i = 0; i < length; i++) {
    if (out[i] !== out[i]) {
      validity ??= new Uint8Array(bitmapBytes(length)).fill(0xff);
      validity[i >> 3] &= ~(1 << (i & 7));
      out[i] = 0;
    }
  }
  return column(makeResult(TIMESTAMP, length, validity, { data: float64ToInt64(out) }));
}

function zoneArg(op: Operand, fn: string): string | null {
  const zone = literalArg(op, fn, 'the time zone');
  return zone === null ? null : String(zone);
}

const fromUtc = define({
  name: 'from_utc_timestamp', category: 'datetime', signature: 'from_utc_timestamp(ts: timestamp, zone: string) → timestamp',
  description: "The wall-clock time in zone of the UTC instant ts ('America/New_York', '+08:00'), as a timestamp.",
  args: ['date', 'string'], result: TIMESTAMP,
  evaluate([ts, tz], n) {
    const zone = zoneArg(tz, 'from_utc_timestamp');
    if (zone === null) return scalar(TIMESTAMP, null);
    const offsetOf = zoneOffset(zone, 'from_utc_timestamp');
    return mapMicros(ts, n, (us) => us + offsetOf(Math.floor(us / 1000)) * 1000);
  },
});

const toUtc = define({
  name: 'to_utc_timestamp', category: 'datetime', signature: 'to_utc_timestamp(ts: timestamp, zone: string) → timestamp',
  description: 'The UTC instant of the wall-clock time ts in zone (in a DST gap shifted forward, in an overlap the earlier instant).',
  args: ['date', 'string'], result: TIMESTAMP,
  evaluate([ts, tz], n) {
    const zone = zoneArg(tz, 'to_utc_timestamp');
    if (zone === null) return scalar(TIMESTAMP, null);
    const offsetOf = zoneOffset(zone, 'to_utc_timestamp');
    return mapMicros(ts, n, (us) => {
      const ms = Math.floor(us / 1000);
      return (utcOfLocal(ms, offsetOf) - ms) * 1000 + us;
    });
  },
});

const makeTimestamp = define({
  name: 'make_timestamp', category: 'datetime',
  signature: 'make_timestamp(year: int, month: int, day: int, hour: int, min: int, sec: double[, zone: string]) → timestamp',
  description: 'The timestamp of its fields (sec may hold microseconds; 60 only with no fraction, as the next minute), in UTC or the given zone; null when it does not exist.',
  args: ['number', 'number', 'number', 'number', 'number', 'number', 'string'], min: 6, max: 7, result: TIMESTAMP,
  evaluate(args, n) {
    const zone = args.length > 6 ? zoneArg(args[6], 'make_timestamp') : 'UTC';
    if (zone === null) return scalar(TIMESTAMP, null);
    const offsetOf = zoneOffset(zone, 'make_timestamp');
    const cols = args.slice(0, 6).map((a) => asColumn(castOperand(a, FLOAT64, n), n));
    const values = cols.map(numbersOf);
    let validity: Uint8Array | null = null;
    for (const c of cols) validity = andValidity(validity, validityOf(c));
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const [y, mo, d, h, mi, s] = values.map((v) => v[i]);
      out[i] = timestampOf(y, mo, d, h, mi, s, offsetOf);
    }
    const dataValidity = validity ?? new Uint8Array(bitmapBytes(n)).fill(0xff);
    let anyNull = validity !== null;
    for (let i = 0; i < n; i++) {
      if (out[i] !== out[i]) {
        dataValidity[i >> 3] &= ~(1 << (i & 7));
        out[i] = 0;
        anyNull = true;
      }
    }
    return column(makeResult(TIMESTAMP, n, anyNull ? dataValidity : null, { data: float64ToInt64(out) }));
  },
});

function timestampOf(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetOf: (ms: number) => number): number {
  const whole = [y, mo, d, h, mi].every(Number.isInteger);
  if (!whole || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || !(s >= 0 && s <= 60)) return NaN;
  const days = daysFromCivil(y, mo, d);
  const check = new Date(days * 86_400_000);
  if (check.getUTCDate() !== d) return NaN;
  // s = 60 (no fraction) is the next minute, as in Spark.
  const micros = Math.round(s * 1_000_000);
  const localMs = days * 86_400_000 + h * 3_600_000 + mi * 60_000;
  return utcOfLocal(localMs, offsetOf) * 1000 + micros;
}

/** date_part's field names (Spark's spellings) → the function computing it. */
export const FIELDS: Record<string, string> = {
  year: 'year', y: 'year', years: 'year', yr: 'year', yrs: 'year',
  quarter: 'quarter', qtr: 'quarter',
  month: 'month', mon: 'month', mons: 'month', months: 'month',
  week: 'weekofyear', w: 'weekofyear', weeks: 'weekofyear',
  day: 'day', d: 'day', days: 'day', dayofmonth: 'day',
  dayofweek: 'dayofweek', dow: 'dayofweek', dayofweek_iso: 'dayofweek_iso', dow_iso: 'dayofweek_iso', yearofweek: 'yearofweek',
  doy: 'dayofyear', dayofyear: 'dayofyear',
  hour: 'hour', h: 'hour', hours: 'hour', hr: 'hour', hrs: 'hour',
  minute: 'minute', m: 'minute', min: 'minute', mins: 'minute', minutes: 'minute',
  second: 'second', s: 'second', sec: 'second', seconds: 'second', secs: 'second',
};

const datePart = define({
  name: 'date_part', aliases: ['datepart'], category: 'datetime', signature: "date_part(field: string, source: date|timestamp) → int (double for 'SECOND')",
  description: "One field of a date or timestamp: YEAR, YEAROFWEEK (the ISO week's year), QUARTER, MONTH, WEEK, DAY, DAYOFWEEK (1 = Sunday), DAYOFWEEK_ISO (1 = Monday), DOY, HOUR, MINUTE, or SECOND with its fraction (Spark's spellings and plurals accepted).",
  args: ['string', 'date'],
  result(_types, nodes) {
    const field = nodes?.[0];
    if (!field || field.kind !== 'lit' || typeof field.value !== 'string') throw new SluiceError('date_part: the field must be a string literal such as \'YEAR\'');
    const fn = FIELDS[field.value.toLowerCase()];
    if (!fn) throw new SluiceError(`date_part: unknown field '${field.value}'; use YEAR, YEAROFWEEK, QUARTER, MONTH, WEEK, DAY, DAYOFWEEK, DAYOFWEEK_ISO, DOY, HOUR, MINUTE or SECOND`);
    return fn === 'second' ? FLOAT64 : INT32;
  },
  evaluate([field, source], n) {
    const fn = FIELDS[String(literalArg(field, 'date_part', 'the field')).toLowerCase()];
    if (fn === 'second') {
      const micros = numbersOf(asColumn(castOperand(source, TIMESTAMP, n), n));
      const data = asColumn(castOperand(source, TIMESTAMP, n), n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (((micros[i] % 60_000_000) + 60_000_000) % 60_000_000) / 1_000_000;
      return column(makeResult(FLOAT64, n, validityOf(data), { data: out }));
    }
    if (fn === 'dayofweek_iso' || fn === 'yearofweek') {
      const days = castOperand(source, DATE, n);
      // The ISO week's year is the year of its Thursday.
      const isoField = fn === 'dayofweek_iso' ? (d: number) => floorMod(d + 3, 7) + 1 : (d: number) => civilFromDays(d - floorMod(d + 3, 7) + 3).year;
      return mapNumbers([days], n, INT32, isoField);
    }
    const def = lookupFunction(fn, 1);
    return def.evaluate([source], n, INT32);
  },
});

export const DATE_PARTS: FunctionDef[] = [fromUtc, toUtc, makeTimestamp, datePart];
