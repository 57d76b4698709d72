/**
 * Proleptic Gregorian calendar arithmetic on integers (Howard Hinnant's civil/days algorithms),
 * and parsing/formatting of UTC dates and timestamps. No `Date` objects: they cost an allocation
 * per row and bring the host time zone along.
 */

export const MICROS_PER_DAY = 86_400_000_000;
export const MICROS_PER_SECOND = 1_000_000;

/** Days since 1970-01-01 of a civil date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil (proleptic Gregorian) date of a day number. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${year < 0 ? '-' + pad(-year, 4) : pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Spark's cast(timestamp as string): 'yyyy-MM-dd HH:mm:ss' plus the fraction without trailing zeros. */
export function formatTimestamp(micros: number): string {
  const days = Math.floor(micros / MICROS_PER_DAY);
  const inDay = micros - days * MICROS_PER_DAY;
  const seconds = Math.floor(inDay / MICROS_PER_SECOND);
  const fraction = inDay - seconds * MICROS_PER_SECOND;
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`;
  const frac = fraction ? '.' + pad(fraction, 6).replace(/0+$/, '') : '';
  return `${formatDate(days)} ${time}${frac}`;
}

const DATE_RE = /^\s*([+-]?\d{4,6})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*$/;

/** Spark's cast(string as date): 'yyyy', 'yyyy-[m]m', 'yyyy-[m]m-[d]d', optionally followed by a time. */
export function parseDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  return validCivil(year, month, day) ? daysFromCivil(year, month, day) : null;
}

const TIMESTAMP_RE =
  /^\s*([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?\s*$/i;

/** Spark's cast(string as timestamp), as microseconds since epoch (UTC unless an offset is given). */
export function parseTimestamp(text: string): number | null {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!validCivil(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const micros = m[7] ? Math.floor(Number((m[7] + '00000000').slice(0, 9)) / 1000) : 0;
  return toMicros(daysFromCivil(year, month, day), hour, minute, second, micros) - offsetMicros(m[8]);
}

function offsetMicros(zone: string | undefined): number {
  if (!zone || /^(z|utc)$/i.test(zone)) return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60) * MICROS_PER_SECOND;
}

const toMicros = (days: number, hour: number, minute: number, second: number, micros: number) =>
  days * MICROS_PER_DAY + ((hour * 60 + minute) * 60 + second) * MICROS_PER_SECOND + micros;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function validCivil(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= (month === 2 && !isLeap(year) ? 28 : DAYS_IN_MONTH[month - 1]);
}

/**
 * Compiles a Spark datetime pattern (yyyy, yy, MM, M, dd, d, HH, H, hh, h, mm, ss, S..., a,
 * XXX/Z offsets, 'quoted text', other punctuation literal) into a parser returning
 * microseconds since epoch, or null when the text does not match.
 */
export function compileDatetimePattern(pattern: string): (text: string) => number | null {
  type Field = 'year' | 'year2' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second' | 'fraction' | 'ampm' | 'zone';
  const fields: Field[] = [];
  let source = '';
  const letters: Record<string, Field> = { y: 'year', M: 'month', d: 'day', H: 'hour', h: 'hour12', m: 'minute', s: 'second', S: 'fraction', a: 'ampm', X: 'zone', Z: 'zone', x: 'zone' };
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in datetime pattern '${pattern}'`);
      source += escapeRegExp(end === i + 1 ? "'" : pattern.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === ch) run++;
    const field = letters[ch];
    if (!field) {
      if (/[A-Za-z]/.test(ch)) throw new Error(`unsupported letter '${ch}' in datetime pattern '${pattern}'`);
      source += escapeRegExp(ch.repeat(run));
    } else if (field === 'year') {
      fields.push(run === 2 ? 'year2' : 'year');
      source += run === 2 ? '(\\d{2})' : '([+-]?\\d{4,6})';
    } else if (field === 'fraction') {
      fields.push('fraction');
      source += `(\\d{1,${Math.max(run, 9)}})`;
    } else if (field === 'ampm') {
      fields.push('ampm');
      source += '(AM|PM|am|pm)';
    } else if (field === 'zone') {
      fields.push('zone');
      source += '(Z|[+-]\\d{2}:?\\d{2})';
    } else {
      fields.push(field);
      source += run === 1 ? '(\\d{1,2})' : `(\\d{${run}})`;
    }
    i += run;
  }
  const re = new RegExp(`^\\s*${source}\\s*$`);
  return (text) => {
    const m = re.exec(text);
    if (!m) return null;
    let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0, pm = -1, zone: string | undefined;
    for (let f = 0; f < fields.length; f++) {
      const v = m[f + 1];
      switch (fields[f]) {
        case 'year': year = Number(v); break;
        case 'year2': year = 2000 + Number(v); break;
        case 'month': month = Number(v); break;
        case 'day': day = Number(v); break;
        case 'hour': case 'hour12': hour = Number(v); break;
        case 'minute': minute = Number(v); break;
        case 'second': second = Number(v); break;
        case 'fraction': micros = Math.floor(Number((v + '00000000').slice(0, 9)) / 1000); break;
        case 'ampm': pm = /pm/i.test(v) ? 1 : 0; break;
        case 'zone': zone = v; break;
      }
    }
    if (pm >= 0) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    if (!validCivil(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
    return toMicros(daysFromCivil(year, month, day), hour, minute, second, micros) - offsetMicros(zone);
  };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
