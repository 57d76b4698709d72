import { randomUUID } from 'node:crypto';

import { asColumn, column, type Operand } from '../operand.js';
import { mapRows } from '../kernels/rowwise.js';
import { castOperand } from '../kernels/castOperand.js';
import { Utf8Builder } from '../vectors.js';
import { columnValues } from '../../columns/toValues.js';
import { define, type FunctionDef, literalArg, UTF8, VARIADIC, FLOAT64 } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** Number and text formatting as Java formats them for Spark: DecimalFormat, Formatter, Soundex. */

/** Java's DecimalFormat('#,##0.00…') with HALF_EVEN rounding, as Spark's format_number. */
export function formatNumber(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  const scale = 10 ** digits;
  const scaled = Math.abs(x) * scale;
  let fixed = Math.abs(x).toFixed(digits);
  // toFixed rounds an exact tie (0.125 → 0.13) away from zero; HALF_EVEN keeps an even last digit.
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5 && (floor + 0.5) / scale === Math.abs(x) && floor % 2 === 0) fixed = (floor / scale).toFixed(digits);
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = fraction ? `${grouped}.${fraction}` : grouped;
  return x < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

const formatNumberDef = define({
  name: 'format_number', category: 'string', signature: 'format_number(x: number, d: int) → string',
  description: "x with thousands separators and d decimals, rounded half-even ('#,###.##' as Java's DecimalFormat); NULL for d < 0.",
  args: ['number', 'number'], result: UTF8,
  evaluate(args, n) {
    return mapRows([castOperand(args[0], FLOAT64, n), args[1]], n, UTF8, ([x, d]) => {
      if (x === null || d === null) return null;
      if (typeof d === 'string') throw new SluiceError('format_number: a format pattern is not supported; give the number of decimals');
      const digits = Number(d);
      return digits < 0 ? null : formatNumber(Number(x), Math.trunc(digits));
    });
  },
});

const SPEC = /%(\d+\$)?([-#+ 0,(]*)(\d+)?(\.\d+)?([a-zA-Z%])/g;

/** java.util.Formatter's common conversions: %s %d %f %e %x %o %b %c %% %n, flags - + 0 , ( space, width, precision, n$. */
export function javaFormat(format: string, args: unknown[]): string {
  let next = 0;
  return format.replace(SPEC, (spec, position: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string) => {
    if (conversion === '%') return pad('%', flags, width);
    if (conversion === 'n') return '\n';
    const index = position ? Number(position.slice(0, -1)) - 1 : next++;
    if (index >= args.length) throw new SluiceError(`format_string: '${spec}' has no argument (${args.length} given)`);
    const value = args[index];
    // Java prints a null argument as 'null', space-padded to the width, whatever the conversion.
    if (value === null) return pad('null', flags.replace('0', ''), width);
    const digits = precision === undefined ? undefined : Number(precision.slice(1));
    let text: string;
    switch (conversion) {
      case 's': case 'S':
        text = value === null ? 'null' : value instanceof Date ? value.toISOString() : String(value);
        if (digits !== undefined) text = text.slice(0, digits);
        if (conversion === 'S') text = text.toUpperCase();
        break;
      case 'b': case 'B': text = String(value !== null && value !== false); break;
      case 'c': text = value === null ? 'null' : typeof value === 'number' ? String.fromCodePoint(value) : String(value)[0]; break;
      case 'd': case 'x': case 'X': case 'o': {
        if (value === null) { text = 'null'; break; }
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
          throw new SluiceError(`format_string: '${spec}' needs an integer, got ${JSON.stringify(value)}`);
        }
        const big = BigInt(value);
        const negative = big < 0n;
        const abs = negative ? -big : big;
        text = conversion === 'd' ? abs.toString() : conversion === 'o' ? abs.toString(8) : abs.toString(16);
        if (conversion === 'X') text = text.toUpperCase();
        if (flags.includes(',') && conversion === 'd') text = text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
        text = sign(text, negative, flags);
        break;
      }
      case 'f': case 'e': case 'E': {
        if (value === null) { text = 'null'; break; }
        if (typeof value !== 'number' && typeof value !== 'bigint') throw new SluiceError(`format_string: '${spec}' needs a number, got ${JSON.stringify(value)}`);
        const x = Number(value);
        const p = digits ?? 6;
        if (conversion === 'f') {
          text = Math.abs(x).toFixed(p);
          if (flags.includes(',')) text = text.replace(/^(\d+)/, (w) => w.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
        } else {
          text = Math.abs(x).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2');
          if (conversion === 'E') text = text.toUpperCase();
        }
        text = sign(text, x < 0 || Object.is(x, -0), flags);
        break;
      }
      default:
        throw new SluiceError(`format_string: unsupported conversion '${spec}'; use %s, %d, %f, %e, %x, %o, %b, %c or %%`);
    }
    return pad(text, flags, width);
  });
}

function sign(text: string, negative: boolean, flags: string): string {
  if (negative) return flags.includes('(') ? `(${text})` : `-${text}`;
  return flags.includes('+') ? `+${text}` : flags.includes(' ') ? ` ${text}` : text;
}

function pad(text: string, flags: string, width: string | undefined): string {
  const w = width ? Number(width) : 0;
  if (text.length >= w) return text;
  if (flags.includes('-')) return text.padEnd(w);
  if (flags.includes('0')) {
    const signed = /^[-+ (]/.test(text) ? text[0] : '';
    return signed + text.slice(signed.length).padStart(w - signed.length, '0');
  }
  return text.padStart(w);
}

const formatString = define({
  name: 'format_string', aliases: ['printf'], category: 'string', signature: 'format_string(format: string, args...) → string',
  description: "printf-style formatting as Java's String.format: %s %d %f %e %x %o %b %c %%, flags - + 0 , ( space, width, .precision, n$ positions; a NULL argument prints 'null'.",
  args: ['string', 'any'], min: 1, max: VARIADIC, result: UTF8,
  evaluate(args, n) {
    const format = literalArg(args[0], 'format_string', 'the format');
    if (format === null) return mapRows([args[0]], n, UTF8, () => null);
    const values = args.slice(1).map((a) => columnValues(asColumn(a, n)));
    const out = new Utf8Builder(n);
    const row = new Array<unknown>(values.length);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < values.length; k++) row[k] = values[k][i];
      out.append(javaFormat(String(format), row));
    }
    return column(out.finish());
  },
});

const SOUNDEX_CODES = '01230127022455012623017202';

/** Spark's Soundex (UTF8String.soundex): text not starting with an ASCII letter comes back unchanged. */
export function soundex(text: string): string {
  if (text === '') return '';
  const upper = (c: number) => (c >= 97 && c <= 122 ? c - 32 : c);
  const first = upper(text.charCodeAt(0));
  if (first < 65 || first > 90) return text;
  const out = [String.fromCharCode(first)];
  let last = SOUNDEX_CODES[first - 65];
  for (let i = 1; i < text.length && out.length < 4; i++) {
    const c = upper(text.charCodeAt(i));
    if (c < 65 || c > 90) { last = '0'; continue; }
    const code = SOUNDEX_CODES[c - 65];
    if (code === '7') continue;
    if (code !== '0' && code !== last) out.push(code);
    last = code;
  }
  return out.join('').padEnd(4, '0');
}

const soundexDef = define({
  name: 'soundex', category: 'string', signature: 'soundex(s: string) → string',
  description: 'The Soundex code of s (M460 for Miller); text that does not start with a letter comes back unchanged.',
  args: ['string'], result: UTF8,
  evaluate: (args, n) => mapRows([castOperand(args[0], UTF8, n)], n, UTF8, ([s]) => (s === null ? null : soundex(String(s)))),
});

const uuid = define({
  name: 'uuid', category: 'string', signature: 'uuid() → string',
  description: 'A random version-4 UUID per row (not repeatable across runs).',
  args: [], min: 0, max: 0, result: UTF8, deterministic: false,
  evaluate(_args: Operand[], n) {
    const out = new Utf8Builder(n, n * 36);
    for (let i = 0; i < n; i++) out.append(randomUUID());
    return column(out.finish());
  },
});

export const FORMATTING: FunctionDef[] = [formatNumberDef, formatString, soundexDef, uuid];
