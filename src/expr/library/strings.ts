import { createHash } from 'node:crypto';
import { regexpExtractAll } from './regexpExtractAll.js';
import { Binary, DataType, Field, List } from 'apache-arrow';
import { column, type Operand, rowReader, type Scalar, scalar, typeOf } from '../operand.js';
import { isNullType, isStringType } from '../typeRules.js';
import { bitmapBytes, encodeUtf8, makeResult } from '../vectors.js';
import { castOperand } from '../kernels/castOperand.js';
import { mapRows } from '../kernels/rowwise.js';
import { matchStrings, rlikeMatcher } from '../kernels/like.js';
import { linearRegExp } from '../kernels/safeRegExp.js';
import { concat, length, lower, regexpExtract, split, substring, trim, upper } from '../kernels/string.js';
import { type ArgKind, BOOL, checkArgs, define, type FunctionDef, INT32, INT64, literalArg, UTF8, VARIADIC } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * String functions with Spark semantics: positions and lengths count characters (code points),
 * a null argument gives null, non-string arguments are cast to string. Each runs through mapRows,
 * which calls the function once per distinct value of a dictionary column.
 */

const toText = (op: Operand, n: number): Operand =>
  isStringType(typeOf(op)) || isNullType(typeOf(op)) ? op : castOperand(op, UTF8, n);

const hasSurrogates = (s: string) => /[\uD800-\uDFFF]/.test(s);
/** The characters (code points) of s; plain UTF-16 units when there are no surrogate pairs. */
const chars = (s: string): string[] | string => (hasSurrogates(s) ? [...s] : s);
const charCount = (s: string) => (hasSurrogates(s) ? [...s].length : s.length);
const sliceChars = (s: string, start: number, end: number): string => {
  const c = chars(s);
  return typeof c === 'string' ? c.slice(start, end) : c.slice(start, end).join('');
};

/**
 * A string function over rows: string-kind arguments are cast to text, the others passed as
 * they are; any null argument gives null unless `nullable` says the function handles nulls.
 */
function textFn(spec: { name: string; aliases?: string[]; signature: string; description: string; args: ArgKind[]; min?: number; max?: number;
  result: DataType; nullable?: boolean; category?: FunctionDef['category'] }, fn: (v: Scalar[], args: Operand[]) => Scalar): FunctionDef {
  return define({
    ...spec, category: spec.category ?? 'string',
    evaluate(args, n, type) {
      const ops = args.map((a, i) => (spec.args[Math.min(i, spec.args.length - 1)] === 'string' ? toText(a, n) : a));
      return mapRows(ops, n, type, (v) => {
        if (!spec.nullable) for (let k = 0; k < v.length; k++) if (v[k] === null) return null;
        return fn(v, args);
      });
    },
  });
}

const existing = (name: string, signature: string, description: string, args: ArgKind[], min: number, max: number, result: DataType,
  kernel: (args: Operand[], n: number) => Operand, aliases?: string[]): FunctionDef =>
  define({ name, aliases, category: 'string', signature, description, args, min, max, result, evaluate: (a, n) => kernel(a, n) });

/** Removes characters of a set (a space by default) from the ends of text, by code point; arguments (text, chars?). */
function trimmed(side: 'both' | 'leading' | 'trailing') {
  return (args: Operand[], n: number, type: DataType): Operand => mapRows(args.map((a) => toText(a, n)), n, type, (v) => {
    if (v[0] === null || (v.length > 1 && v[1] === null)) return null;
    const text = [...String(v[0])];
    const remove = new Set(v.length > 1 ? [...String(v[1])] : [' ']);
    let start = 0;
    let end = text.length;
    if (side !== 'trailing') while (start < end && remove.has(text[start])) start++;
    if (side !== 'leading') while (end > start && remove.has(text[end - 1])) end--;
    return text.slice(start, end).join('');
  });
}

function pad(left: boolean) {
  return (v: Scalar[]): Scalar => {
    const s = String(v[0]);
    const len = Number(v[1]);
    const p = v.length > 2 ? String(v[2]) : ' ';
    if (len <= 0) return '';
    const count = charCount(s);
    if (count >= len || p === '') return sliceChars(s, 0, len);
    const need = len - count;
    const pc = chars(p);
    let fill = '';
    for (let k = 0; k < need; k++) fill += pc[k % pc.length];
    return left ? fill + s : s + fill;
  };
}

/** Java's Matcher.appendReplacement: $n and ${name} are groups, a backslash quotes the next character. */
function expandReplacement(rep: string, m: RegExpExecArray): string {
  if (!rep.includes('$') && !rep.includes('\\')) return rep;
  let out = '';
  for (let i = 0; i < rep.length; i++) {
    const ch = rep[i];
    if (ch === '\\') { out += rep[++i] ?? ''; continue; }
    if (ch !== '$') { out += ch; continue; }
    if (rep[i + 1] === '{') {
      const end = rep.indexOf('}', i);
      const name = rep.slice(i + 2, end);
      const value = m.groups?.[name];
      if (end < 0 || value === undefined && !(m.groups && name in m.groups)) throw new SluiceError(`regexp_replace: no group named '${name}'`);
      out += value ?? '';
      i = end;
      continue;
    }
    let j = i + 1;
    if (!/[0-9]/.test(rep[j] ?? '')) throw new SluiceError(`regexp_replace: illegal group reference in '${rep}'`);
    let g = Number(rep[j]);
    // Java takes more digits while the group exists.
    while (j + 1 < rep.length && /[0-9]/.test(rep[j + 1]) && g * 10 + Number(rep[j + 1]) < m.length) g = g * 10 + Number(rep[++j]);
    if (g >= m.length) throw new SluiceError(`regexp_replace: no group ${g} in the pattern`);
    out += m[g] ?? '';
    i = j;
  }
  return out;
}

function levenshtein(a: string, b: string): number {
  const x = typeof chars(a) === 'string' ? a.split('') : [...a];
  const y = typeof chars(b) === 'string' ? b.split('') : [...b];
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Int32Array(y.length + 1), cur = new Int32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

const CRC_TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c;
}
function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const hash = (algorithm: string) => (v: Scalar[]): Scalar => createHash(algorithm).update(String(v[0]), 'utf8').digest('hex');

const SHA2: Record<number, string> = { 0: 'sha256', 224: 'sha224', 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/** unbase64: a Binary column decoded row by row (null for null rows). */
function unbase64(args: Operand[], n: number): Operand {
  const read = rowReader(toText(args[0], n));
  const decoded: (Buffer | null)[] = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = read(i);
    decoded[i] = s === null ? null : Buffer.from(String(s), 'base64');
    total += decoded[i]?.length ?? 0;
  }
  const bytes = new Uint8Array(total);
  const offsets = new Int32Array(n + 1);
  const validity = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const d = decoded[i];
    if (d) { bytes.set(d, offsets[i]); validity[i >> 3] |= 1 << (i & 7); }
    offsets[i + 1] = offsets[i] + (d?.length ?? 0);
  }
  const data = makeResult(new Binary(), n, validity, { data: bytes, valueOffsets: offsets });
  return column(data);
}

/** Text of a string or binary value (binary as UTF-8 bytes for the hash functions). */
const bytesOf = (v: Scalar | Uint8Array): Uint8Array => (v instanceof Uint8Array ? v : encodeUtf8(String(v)));

export const STRINGS: FunctionDef[] = [
  regexpExtractAll,
  existing('lower', 'lower(s: string) → string', 'Lower case.', ['string'], 1, 1, UTF8, lower, ['lcase']),
  existing('upper', 'upper(s: string) → string', 'Upper case.', ['string'], 1, 1, UTF8, upper, ['ucase']),
  define({
    name: 'trim', category: 'string', signature: "trim([chars: string, ] s: string) → string",
    description: "Removes leading and trailing spaces (not tabs or newlines), or any of the characters of chars (Spark's order: chars first); SQL also writes trim([BOTH|LEADING|TRAILING] [chars] FROM s).",
    args: ['string', 'string'], min: 1, max: 2, result: UTF8,
    evaluate: (args, n, type) => (args.length === 1 ? trim(args, n) : trimmed('both')([args[1], args[0]], n, type)),
  }),
  define({
    name: 'btrim', category: 'string', signature: "btrim(s: string[, chars: string = ' ']) → string", description: 'trim with the string first: removes leading and trailing spaces, or any of the characters of chars.',
    args: ['string', 'string'], min: 1, max: 2, result: UTF8, evaluate: trimmed('both'),
  }),
  existing('length', 'length(s: string) → int', 'Number of characters (code points).', ['string'], 1, 1, INT32, length, ['char_length', 'character_length', 'len']),
  existing('substring', 'substring(s: string, pos: int[, len: int]) → string', 'The characters from 1-based `pos` (negative counts from the end), `len` of them.',
    ['string', 'int', 'int'], 2, 3, UTF8, substring, ['substr']),
  existing('concat', 'concat(a: string, ...) → string', 'Joins the arguments; null if any argument is null.', ['string'], 1, VARIADIC, UTF8, concat),
  define({
    name: 'split', category: 'string', signature: 'split(s: string, regex: string[, limit: int]) → array<string>', description: 'Splits around matches of a regular expression (RE2).',
    args: ['string', 'string', 'int'], min: 2, max: 3, result: new List(new Field('element', UTF8, true)), evaluate: (a, n) => split(a, n),
  }),
  existing('regexp_extract', 'regexp_extract(s: string, regex: string[, group: int = 1]) → string', "The group's text of the first match; '' when there is none.",
    ['string', 'string', 'int'], 2, 3, UTF8, regexpExtract),
  {
    name: 'concat_ws', category: 'string', signature: 'concat_ws(sep: string, a: string, ...) → string', description: 'Joins the non-null arguments with sep; null only when sep is null.',
    minArgs: 1, maxArgs: VARIADIC,
    returnType: (types) => { checkArgs('concat_ws', types, ['string']); return UTF8; },
    evaluate: (args, n) => mapRows(args.map((a) => toText(a, n)), n, UTF8, (v) => {
      if (v[0] === null) return null;
      let out = '';
      let first = true;
      for (let k = 1; k < v.length; k++) {
        if (v[k] === null) continue;
        out += first ? String(v[k]) : String(v[0]) + String(v[k]);
        first = false;
      }
      return out;
    }),
  },
  textFn({ name: 'lpad', signature: "lpad(s: string, len: int[, pad: string = ' ']) → string", description: 'Left-pads s with pad to len characters (truncates a longer s).',
    args: ['string', 'int', 'string'], min: 2, max: 3, result: UTF8 }, pad(true)),
  textFn({ name: 'rpad', signature: "rpad(s: string, len: int[, pad: string = ' ']) → string", description: 'Right-pads s with pad to len characters (truncates a longer s).',
    args: ['string', 'int', 'string'], min: 2, max: 3, result: UTF8 }, pad(false)),
  define({
    name: 'ltrim', category: 'string', signature: "ltrim([chars: string, ] s: string) → string", description: 'Removes leading spaces, or any of the characters of chars (chars first, as in Spark).',
    args: ['string', 'string'], min: 1, max: 2, result: UTF8, evaluate: (args, n, type) => trimmed('leading')(args.length > 1 ? [args[1], args[0]] : args, n, type),
  }),
  define({
    name: 'rtrim', category: 'string', signature: "rtrim([chars: string, ] s: string) → string", description: 'Removes trailing spaces, or any of the characters of chars (chars first, as in Spark).',
    args: ['string', 'string'], min: 1, max: 2, result: UTF8, evaluate: (args, n, type) => trimmed('trailing')(args.length > 1 ? [args[1], args[0]] : args, n, type),
  }),
  textFn({ name: 'replace', signature: "replace(s: string, search: string[, replacement: string = '']) → string", description: 'Replaces every occurrence of search (an empty search changes nothing).',
    args: ['string', 'string', 'string'], min: 2, max: 3, result: UTF8 },
  (v) => (v[1] === '' ? String(v[0]) : String(v[0]).split(String(v[1])).join(v.length > 2 ? String(v[2]) : ''))),
  {
    name: 'regexp_replace', category: 'string', signature: 'regexp_replace(s: string, regex: string, replacement: string[, position: int = 1]) → string',
    description: 'Replaces every match of a regular expression (RE2) from `position`; $1 and ${name} in the replacement are groups.',
    minArgs: 3, maxArgs: 4,
    returnType: (types) => { checkArgs('regexp_replace', types, ['string', 'string', 'string', 'int']); return UTF8; },
    evaluate(args, n) {
      const pattern = literalArg(args[1], 'regexp_replace', 'the pattern');
      if (pattern === null) return scalar(UTF8, null);
      const re = linearRegExp(String(pattern), 'gu', 'regexp_replace');
      const ops = [toText(args[0], n), toText(args[2], n), ...args.slice(3)];
      return mapRows(ops, n, UTF8, (v) => {
        if (v[0] === null || v[1] === null || (v.length > 2 && v[2] === null)) return null;
        const s = String(v[0]);
        const rep = String(v[1]);
        const from = v.length > 2 ? Number(v[2]) - 1 : 0;
        if (from < 0) throw new SluiceError(`regexp_replace: the position must be positive, got ${from + 1}`);
        const start = typeof chars(s) === 'string' ? from : sliceChars(s, 0, from).length;
        if (start > s.length) return s;
        let out = s.slice(0, start);
        let last = start;
        re.lastIndex = start;
        for (let m = re.exec(s); m; m = re.exec(s)) {
          out += s.slice(last, m.index) + expandReplacement(rep, m);
          last = m.index + m[0].length;
          if (m[0].length === 0) {
            if (m.index >= s.length) break;
            const step = s.codePointAt(m.index)! > 0xffff ? 2 : 1;
            out += s.slice(m.index, m.index + step);
            last = m.index + step;
            re.lastIndex = last;
          }
        }
        return out + s.slice(last);
      });
    },
  },
  define({
    name: 'regexp_like', aliases: ['rlike', 'regexp'], category: 'string', signature: 'regexp_like(s: string, regex: string) → boolean',
    description: 'True when the regular expression (RE2) matches anywhere in s.', args: ['string', 'string'], result: BOOL,
    evaluate(args, n) {
      const pattern = literalArg(args[1], 'regexp_like', 'the pattern');
      if (pattern === null) return scalar(BOOL, null);
      return matchStrings(toText(args[0], n), rlikeMatcher(String(pattern)), false, n);
    },
  }),
  textFn({ name: 'instr', signature: 'instr(s: string, sub: string) → int', description: 'The 1-based position of the first sub in s, 0 when absent.', args: ['string', 'string'], result: INT32 },
    (v) => charIndex(String(v[0]), String(v[1]), 0)),
  textFn({ name: 'locate', aliases: ['position'], signature: 'locate(sub: string, s: string[, pos: int = 1]) → int', description: 'The 1-based position of the first sub in s at or after pos; 0 when absent or pos < 1.',
    args: ['string', 'string', 'int'], min: 2, max: 3, result: INT32, nullable: true },
  (v) => {
    if (v.length > 2 && v[2] === null) return 0;
    if (v[0] === null || v[1] === null) return null;
    const pos = v.length > 2 ? Number(v[2]) : 1;
    return pos < 1 ? 0 : charIndex(String(v[1]), String(v[0]), pos - 1);
  }),
  textFn({ name: 'initcap', signature: 'initcap(s: string) → string', description: 'Lower case, with the first letter of each space-separated word in upper case.', args: ['string'], result: UTF8 },
    (v) => String(v[0]).toLowerCase().split(' ').map((w) => {
      if (!w) return w;
      const first = String.fromCodePoint(w.codePointAt(0)!);
      return first.toUpperCase() + w.slice(first.length);
    }).join(' ')),
  textFn({ name: 'reverse', signature: 'reverse(s: string) → string', description: 'The characters in reverse order.', args: ['string'], result: UTF8 },
    (v) => [...String(v[0])].reverse().join('')),
  textFn({ name: 'repeat', signature: 'repeat(s: string, n: int) → string', description: 's repeated n times (empty for n <= 0).', args: ['string', 'int'], result: UTF8 },
    (v) => (Number(v[1]) <= 0 ? '' : String(v[0]).repeat(Number(v[1])))),
  textFn({ name: 'translate', signature: 'translate(s: string, from: string, to: string) → string', description: 'Replaces each character of from by the one at the same place in to; characters of from beyond to are removed.',
    args: ['string', 'string', 'string'], result: UTF8 },
  (v) => {
    const from = [...String(v[1])], to = [...String(v[2])];
    const map = new Map<string, string>();
    from.forEach((c, k) => { if (!map.has(c)) map.set(c, to[k] ?? ''); });
    let out = '';
    for (const c of String(v[0])) out += map.has(c) ? map.get(c) : c;
    return out;
  }),
  textFn({ name: 'left', signature: 'left(s: string, n: int) → string', description: 'The first n characters (empty for n <= 0).', args: ['string', 'int'], result: UTF8 },
    (v) => (Number(v[1]) <= 0 ? '' : sliceChars(String(v[0]), 0, Number(v[1])))),
  textFn({ name: 'right', signature: 'right(s: string, n: int) → string', description: 'The last n characters (empty for n <= 0).', args: ['string', 'int'], result: UTF8 },
    (v) => {
      const s = String(v[0]), k = Number(v[1]);
      if (k <= 0) return '';
      const count = charCount(s);
      return sliceChars(s, Math.max(0, count - k), count);
    }),
  textFn({ name: 'split_part', signature: 'split_part(s: string, delimiter: string, part: int) → string', description: "The part-th piece of s split on delimiter (negative counts from the end; '' when out of range; part 0 is an error).",
    args: ['string', 'string', 'int'], result: UTF8 },
  (v) => {
    const k = Number(v[2]);
    if (k === 0) throw new SluiceError('split_part: the part index must not be 0');
    const parts = v[1] === '' ? [String(v[0])] : String(v[0]).split(String(v[1]));
    const idx = k > 0 ? k - 1 : parts.length + k;
    return idx >= 0 && idx < parts.length ? parts[idx] : '';
  }),
  textFn({ name: 'ascii', signature: 'ascii(s: string) → int', description: 'The code point of the first character (0 for an empty string).', args: ['string'], result: INT32 },
    (v) => String(v[0]).codePointAt(0) ?? 0),
  textFn({ name: 'octet_length', signature: 'octet_length(s: string) → int', description: 'Length in UTF-8 bytes.', args: ['string'], result: INT32 },
    (v) => Buffer.byteLength(String(v[0]), 'utf8')),
  textFn({ name: 'bit_length', signature: 'bit_length(s: string) → int', description: 'Length in bits of the UTF-8 bytes.', args: ['string'], result: INT32 },
    (v) => 8 * Buffer.byteLength(String(v[0]), 'utf8')),
  textFn({ name: 'levenshtein', signature: 'levenshtein(a: string, b: string) → int', description: 'Edit distance in characters (insertions, deletions, substitutions).', args: ['string', 'string'], result: INT32 },
    (v) => levenshtein(String(v[0]), String(v[1]))),
  textFn({ name: 'md5', category: 'hash', signature: 'md5(s: string|binary) → string', description: 'MD5 of the UTF-8 bytes, as 32 hex digits.', args: ['string'], result: UTF8 }, hash('md5')),
  textFn({ name: 'sha1', aliases: ['sha'], category: 'hash', signature: 'sha1(s: string|binary) → string', description: 'SHA-1 of the UTF-8 bytes, as 40 hex digits.', args: ['string'], result: UTF8 }, hash('sha1')),
  textFn({ name: 'sha2', category: 'hash', signature: 'sha2(s: string|binary, bits: int) → string', description: 'SHA-2 (bits 224, 256, 384, 512; 0 means 256) as hex; null for other bit lengths.',
    args: ['string', 'int'], result: UTF8 },
  (v) => {
    const algorithm = SHA2[Number(v[1])];
    return algorithm ? createHash(algorithm).update(String(v[0]), 'utf8').digest('hex') : null;
  }),
  textFn({ name: 'crc32', category: 'hash', signature: 'crc32(s: string|binary) → bigint', description: 'CRC-32 of the UTF-8 bytes.', args: ['string'], result: INT64 },
    (v) => BigInt(crc32(bytesOf(v[0])))),
  textFn({ name: 'base64', signature: 'base64(s: string|binary) → string', description: 'Base64 of the UTF-8 bytes (no line breaks).', args: ['string'], result: UTF8 },
    (v) => Buffer.from(String(v[0]), 'utf8').toString('base64')),
  define({
    name: 'unbase64', category: 'string', signature: 'unbase64(s: string) → binary', description: 'The bytes a base64 string encodes.',
    args: ['string'], result: new Binary(), evaluate: unbase64,
  }),
];

/** 1-based code-point index of `sub` in `s` searching from character `from`; 0 when absent. */
function charIndex(s: string, sub: string, from: number): number {
  if (!hasSurrogates(s)) {
    const k = s.indexOf(sub, from);
    return k < 0 ? 0 : k + 1;
  }
  const c = [...s];
  const start = c.slice(0, from).join('').length;
  const k = s.indexOf(sub, start);
  return k < 0 ? 0 : [...s.slice(0, k)].length + 1;
}

