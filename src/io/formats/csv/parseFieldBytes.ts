import { daysFromCivil } from '../../../expr/kernels/calendar.js';
/**
 * Parsers that read values straight from UTF-8 bytes `b[s, e)`, without making JS strings.
 * Each returns NaN (or false) when the bytes are not a valid value; leading and trailing
 * spaces and tabs are ignored for every non-string type.
 */

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

const latin1 = new TextDecoder('latin1');

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/** Start of the bytes with leading blanks removed. */
export function trimStart(b: Uint8Array, s: number, e: number): number {
  while (s < e && isBlank(b[s])) s++;
  return s;
}

/** End of the bytes with trailing blanks removed. */
export function trimEnd(b: Uint8Array, s: number, e: number): number {
  while (e > s && isBlank(b[e - 1])) e--;
  return e;
}

/** A decimal integer in the int32 range, or NaN. */
export function parseInt32Bytes(b: Uint8Array, s: number, e: number): number {
  // Most fields are 1 to 9 bare digits, which cannot overflow: no trimming, sign or range check.
  if (e - s <= 9) {
    let v = 0;
    let i = s;
    for (; i < e; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === e && e > s) return v;
  }
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  let negative = false;
  if (s < e && (b[s] === 0x2d || b[s] === 0x2b)) { negative = b[s] === 0x2d; s++; }
  if (s === e) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
    if (v > 2147483648) return NaN;
  }
  if (negative) return -v;
  return v > 2147483647 ? NaN : v;
}

/**
 * A decimal integer in the int64 range: a number when it is a safe integer, a bigint beyond,
 * undefined when invalid.
 */
export function parseInt64Bytes(b: Uint8Array, s: number, e: number): number | bigint | undefined {
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  let negative = false;
  if (s < e && (b[s] === 0x2d || b[s] === 0x2b)) { negative = b[s] === 0x2d; s++; }
  if (s === e) return undefined;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  if (v <= Number.MAX_SAFE_INTEGER) return negative ? -v : v;
  let big = 0n;
  for (let i = s; i < e; i++) big = big * 10n + BigInt(b[i] - 0x30);
  if (negative) big = -big;
  return big > 9223372036854775807n || big < -9223372036854775808n ? undefined : big;
}

function matchesWord(b: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((b[s + i] | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** Set by `parseFloat64Bytes`: false when the bytes were not a number. */
export let floatParsed = false;

/**
 * A decimal floating-point number (`-1.5`, `2e-3`, `.5`, `NaN`, `Inf`, `-Infinity`).
 * Up to 15 significant digits and 22 powers of ten the result is exact (Clinger's fast path);
 * longer numbers go through Number() after the syntax is checked here.
 */
export function parseFloat64Bytes(b: Uint8Array, s: number, e: number): number {
  // Most fields are bare digits with at most one point, 15 digits or fewer: exact as below,
  // without trimming, sign, exponent or significant-digit bookkeeping.
  if (e - s <= 16) {
    let mantissa = 0;
    let point = -1;
    let i = s;
    for (; i < e; i++) {
      const c = b[i] - 0x30;
      if (c >= 0 && c <= 9) mantissa = mantissa * 10 + c;
      else if (c === 0x2e - 0x30 && point < 0) point = i;
      else break;
    }
    // A digit at least, and 15 digits at most (16 bytes with the point): exact below 2^53.
    if (i === e && (point < 0 ? e > s && e - s <= 15 : e - s > 1)) {
      floatParsed = true;
      return point < 0 ? mantissa : mantissa / POW10[e - point - 1];
    }
  }
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  floatParsed = false;
  let i = s;
  let negative = false;
  if (i < e && (b[i] === 0x2d || b[i] === 0x2b)) { negative = b[i] === 0x2d; i++; }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let exp10 = 0;
  let c = 0;
  for (; i < e; i++) {
    c = b[i] - 0x30;
    if (c < 0 || c > 9) break;
    digits++;
    if (significant > 0 || c !== 0) significant++;
    mantissa = mantissa * 10 + c;
  }
  if (i < e && b[i] === 0x2e) {
    for (i++; i < e; i++) {
      c = b[i] - 0x30;
      if (c < 0 || c > 9) break;
      digits++;
      if (significant > 0 || c !== 0) significant++;
      mantissa = mantissa * 10 + c;
      exp10--;
    }
  }
  if (digits === 0) return parseSpecialFloat(b, s, e);
  if (i < e && (b[i] | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    if (i < e && (b[i] === 0x2d || b[i] === 0x2b)) { expNegative = b[i] === 0x2d; i++; }
    if (i === e) return NaN;
    let exponent = 0;
    for (; i < e; i++) {
      c = b[i] - 0x30;
      if (c < 0 || c > 9) return NaN;
      if (exponent < 100000) exponent = exponent * 10 + c;
    }
    exp10 += expNegative ? -exponent : exponent;
  }
  if (i !== e) return NaN;
  floatParsed = true;
  let v: number;
  if (significant <= 15 && exp10 >= -22 && exp10 <= 22) {
    v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
  } else {
    return Number(latin1.decode(b.subarray(s, e)));
  }
  return negative ? -v : v;
}

function parseSpecialFloat(b: Uint8Array, s: number, e: number): number {
  let negative = false;
  if (s < e && (b[s] === 0x2d || b[s] === 0x2b)) { negative = b[s] === 0x2d; s++; }
  if (matchesWord(b, s, e, 'nan')) { floatParsed = true; return NaN; }
  if (matchesWord(b, s, e, 'inf') || matchesWord(b, s, e, 'infinity')) {
    floatParsed = true;
    return negative ? -Infinity : Infinity;
  }
  return NaN;
}

/** 1 for true, 0 for false (any case), -1 otherwise. */
export function parseBoolBytes(b: Uint8Array, s: number, e: number): number {
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  if (matchesWord(b, s, e, 'true')) return 1;
  if (matchesWord(b, s, e, 'false')) return 0;
  return -1;
}

const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digits2(b: Uint8Array, i: number): number {
  const h = b[i] - 0x30;
  const l = b[i + 1] - 0x30;
  return h >= 0 && h <= 9 && l >= 0 && l <= 9 ? h * 10 + l : NaN;
}

/** Days since the epoch of `YYYY-MM-DD` starting at `s` (exactly 10 bytes), or NaN. */
function parseDateAt(b: Uint8Array, s: number): number {
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d) return NaN;
  const year = digits2(b, s) * 100 + digits2(b, s + 2);
  const month = digits2(b, s + 5);
  const day = digits2(b, s + 8);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month])) return NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  return daysFromCivil(year, month, day);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or NaN. */
export function parseDateBytes(b: Uint8Array, s: number, e: number): number {
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  return e - s === 10 ? parseDateAt(b, s) : NaN;
}

/** A digit's value, or a negative number large enough to make any field it is part of negative. */
function digitAt(b: Uint8Array, i: number): number {
  const d = b[i] - 0x30;
  return d >>> 0 <= 9 ? d : -100_000;
}

/** Days before each month's first in a common year (index 1 = January). */
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
/** Leap days in years 1–1969: floor(1969/4) − floor(1969/100) + floor(1969/400). */
const LEAP_DAYS_BEFORE_1970 = 477;

/**
 * Seconds since the epoch of `YYYY-MM-DD[T ]HH:MM:SS` at `s`, years 1–9999, or NaN (then the
 * general parser decides). The common layout of CSV timestamps, in small-integer arithmetic: the
 * general path's NaN-carrying digits and floored divisions cost W2 ~3% of its CPU.
 */
function utcSecondsAt(b: Uint8Array, s: number): number {
  const t = b[s + 10];
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a || (t !== 0x54 && t !== 0x20 && t !== 0x74)) return NaN;
  const year = digitAt(b, s) * 1000 + digitAt(b, s + 1) * 100 + digitAt(b, s + 2) * 10 + digitAt(b, s + 3);
  const month = digitAt(b, s + 5) * 10 + digitAt(b, s + 6);
  const day = digitAt(b, s + 8) * 10 + digitAt(b, s + 9);
  const hour = digitAt(b, s + 11) * 10 + digitAt(b, s + 12);
  const minute = digitAt(b, s + 14) * 10 + digitAt(b, s + 15);
  const second = digitAt(b, s + 17) * 10 + digitAt(b, s + 18);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month]) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const leap = (year & 3) === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month === 2 && day === 29 && !leap) return NaN;
  const before = year - 1;
  const days = 365 * (year - 1970) + ((before / 4) | 0) - ((before / 100) | 0) + ((before / 400) | 0) - LEAP_DAYS_BEFORE_1970
    + DAYS_BEFORE_MONTH[month] + (month > 2 && leap ? 1 : 0) + day - 1;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

/** Set by a successful `parseTimestampBytes`: microseconds within the second (0..999,999). */
export let timestampMicros = 0;

/**
 * Seconds since the epoch (UTC) of `YYYY-MM-DD[T ]HH:MM:SS[.f…][Z|±HH:MM|±HHMM|±HH]`, or of a bare
 * `YYYY-MM-DD` (midnight); NaN when invalid. A time without a zone is read as UTC. The fraction
 * (1–9 digits) is left in `timestampMicros`, cut to microseconds.
 */
export function parseTimestampBytes(b: Uint8Array, s: number, e: number): number {
  const length = e - s;
  if (length === 19 || (length === 20 && (b[s + 19] === 0x5a || b[s + 19] === 0x7a))) {
    const seconds = utcSecondsAt(b, s);
    if (seconds === seconds) {
      timestampMicros = 0;
      return seconds;
    }
  }
  s = trimStart(b, s, e);
  e = trimEnd(b, s, e);
  const n = e - s;
  if (n < 10) return NaN;
  const days = parseDateAt(b, s);
  if (days !== days) return NaN;
  timestampMicros = 0;
  if (n === 10) return days * 86400;
  if (n < 19 || (b[s + 10] !== 0x54 && b[s + 10] !== 0x20 && b[s + 10] !== 0x74)) return NaN;
  if (b[s + 13] !== 0x3a || b[s + 16] !== 0x3a) return NaN;
  const hour = digits2(b, s + 11);
  const minute = digits2(b, s + 14);
  const second = digits2(b, s + 17);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  let i = s + 19;
  if (i < e && b[i] === 0x2e) {
    i++;
    const fractionStart = i;
    let micros = 0;
    for (; i < e; i++) {
      const d = b[i] - 0x30;
      if (d < 0 || d > 9) break;
      if (i - fractionStart < 6) micros = micros * 10 + d;
    }
    const count = i - fractionStart;
    if (count === 0 || count > 9) return NaN;
    for (let k = count; k < 6; k++) micros *= 10;
    timestampMicros = micros;
  }
  let offsetSeconds = 0;
  if (i < e) {
    const z = b[i];
    if ((z === 0x5a || z === 0x7a) && i + 1 === e) {
      i++;
    } else if (z === 0x2b || z === 0x2d) {
      const rest = e - i - 1;
      const oh = digits2(b, i + 1);
      let om = 0;
      if (rest === 5 && b[i + 3] === 0x3a) om = digits2(b, i + 4);
      else if (rest === 4) om = digits2(b, i + 3);
      else if (rest !== 2) return NaN;
      if (!(oh <= 18 && om <= 59)) return NaN;
      offsetSeconds = (z === 0x2d ? -1 : 1) * (oh * 3600 + om * 60);
      i = e;
    } else {
      return NaN;
    }
  }
  if (i !== e) return NaN;
  return days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
}
