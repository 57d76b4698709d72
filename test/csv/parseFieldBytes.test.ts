import { describe, expect, it } from 'vitest';
import {
  parseDateBytes, parseFloat64Bytes, parseInt32Bytes, parseInt64Bytes, parseTimestampBytes,
} from '../../src/io/formats/csv/parseFieldBytes.js';
import { daysFromCivil } from '../../src/expr/kernels/calendar.js';
import * as parsers from '../../src/io/formats/csv/parseFieldBytes.js';
import { seededRandom } from './helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const at = <T>(f: (b: Uint8Array, s: number, e: number) => T, text: string): T => f(bytes(text), 0, bytes(text).length);

describe('byte-level field parsers', () => {
  it('parses int32 and int64 with range checks', () => {
    expect(at(parseInt32Bytes, '-2147483648')).toBe(-2147483648);
    expect(at(parseInt32Bytes, '2147483648')).toBeNaN();
    expect(at(parseInt32Bytes, ' +42 ')).toBe(42);
    for (const text of ['0', '7', '000000042', '999999999', '1000000000', '2147483647']) expect(at(parseInt32Bytes, text)).toBe(Number(text));
    for (const bad of ['', '-', '1.0', '1e3', '0x10', '1 2']) expect(at(parseInt32Bytes, bad)).toBeNaN();
    expect(at(parseInt64Bytes, '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(at(parseInt64Bytes, '9223372036854775808')).toBeUndefined();
    expect(at(parseInt64Bytes, '123')).toBe(123);
  });

  it('parses floats exactly as Number() does', () => {
    const random = seededRandom(3);
    const samples = ['0', '-0.0', '.5', '5.', '1e10', '1E-7', '123456789012345678', '0.1', '2.5e-320', '1.7976931348623157e308',
      // Around the 15-digit bound of the bare-digits path: 16 digits round as Number() does.
      '9999999999999999', '9007199254740993', '999999999999999', '999999999999999.9', '99999999999999.99', '0000000000000001.5', '123456789.012345'];
    for (let i = 0; i < 3000; i++) {
      const digits = String(Math.floor(random() * 1e9)).padStart(1 + Math.floor(random() * 6), '0');
      const point = Math.floor(random() * (digits.length + 1));
      const exponent = random() < 0.3 ? `e${Math.floor(random() * 60) - 30}` : '';
      samples.push(`${random() < 0.5 ? '-' : ''}${digits.slice(0, point)}.${digits.slice(point)}${exponent}`);
    }
    for (const text of samples) {
      expect(at(parseFloat64Bytes, text), text).toBe(Number(text));
      expect(parsers.floatParsed).toBe(true);
    }
    for (const bad of ['', '.', 'e5', '1e', '1.2.3', 'abc', '0x10', '1,5']) {
      at(parseFloat64Bytes, bad);
      expect(parsers.floatParsed, bad).toBe(false);
    }
    expect(at(parseFloat64Bytes, '-Inf')).toBe(-Infinity);
    expect(at(parseFloat64Bytes, 'NaN')).toBeNaN();
    expect(parsers.floatParsed).toBe(true);
  });

  it('parses dates and timestamps as Date.UTC / Date.parse do', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 3000; i++) {
      const ms = Math.floor((random() - 0.5) * 2 * 8e12);
      const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
      expect(at(parseTimestampBytes, iso) * 1000 + parsers.timestampMicros / 1000, iso).toBe(ms);
      expect(at(parseDateBytes, iso.slice(0, 10))).toBe(Math.floor(ms / 86400000));
    }
    expect(at(parseTimestampBytes, '2024-03-05 10:11:12-0130')).toBe(Date.parse('2024-03-05T10:11:12-01:30') / 1000);
    expect(at(parseTimestampBytes, '2024-03-05T10:11:12.123456789')).toBe(Date.UTC(2024, 2, 5, 10, 11, 12) / 1000);
    expect(parsers.timestampMicros).toBe(123456);
    for (const bad of ['2024-13-01', '2023-02-29', '2024-03-05T24:00:00', '2024-03-05T10:11', '2024-03-05X10:11:12', '2024-03-05T10:11:12.', '2024-03-05T10:11:12+1']) {
      expect(at(parseTimestampBytes, bad), bad).toBeNaN();
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
  });

  it('reads YYYY-MM-DDTHH:MM:SS[Z] (the fast path) as the general parser does, valid or not', () => {
    const random = seededRandom(11);
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const texts = ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2000-02-29 12:00:00', '1900-02-29T00:00:00', '0000-01-01T00:00:00Z', '2024-02-30T00:00:00z', '1969-12-31t23:59:59'];
    for (let i = 0; i < 20000; i++) {
      const year = Math.floor(random() * 10000);
      const month = 1 + Math.floor(random() * 12);
      const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(1 + Math.floor(random() * 31), 2)}${'T tX'[Math.floor(random() * 4)]}${pad(Math.floor(random() * 25), 2)}:${pad(Math.floor(random() * 61), 2)}:${pad(Math.floor(random() * 61), 2)}${random() < 0.5 ? 'Z' : ''}`;
      // Some with one byte changed: a sign, a letter, a digit or punctuation where another was.
      const at_ = Math.floor(random() * text.length);
      texts.push(random() < 0.3 ? text.slice(0, at_) + '+-/:a9 '[Math.floor(random() * 7)] + text.slice(at_ + 1) : text);
    }
    let valid = 0;
    for (const text of texts) {
      // A leading blank takes the general path; the bare text takes the fast one.
      const general = at(parseTimestampBytes, ` ${text}`);
      const fast = at(parseTimestampBytes, text);
      expect(fast, text).toBe(general);
      if (fast === fast) {
        valid++;
        expect(parsers.timestampMicros).toBe(0);
        const [y, mo, d, h, mi, se] = text.split(/[-T tZz:]/).map(Number);
        const date = new Date(0);
        date.setUTCFullYear(y, mo - 1, d);
        date.setUTCHours(h, mi, se);
        expect(fast, text).toBe(date.getTime() / 1000);
      }
    }
    expect(valid).toBeGreaterThan(10000);
    expect(daysFromCivil(1600, 3, 1)).toBe(Date.UTC(1600, 2, 1) / 86400000);
  });
});
