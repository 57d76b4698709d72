import { DataType, Field, Int32, List, Type, Utf8 } from 'apache-arrow';
import { column, type Operand, rowReader, type Scalar, typeOf } from '../operand.js';
import { isStringType } from '../typeRules.js';
import { bitmapBytes, makeResult, Utf8Builder } from '../vectors.js';
import { castOperand } from './castOperand.js';
import { mapRows } from './rowwise.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { linearRegExp, type LinearRegExp } from './safeRegExp.js';

/**
 * String functions with Spark semantics: positions are 1-based and count code points, a null
 * argument gives null. Non-string arguments are cast to string first (Spark's implicit cast).
 */

const toText = (op: Operand, length: number): Operand =>
  isStringType(typeOf(op)) || typeOf(op).typeId === Type.Null ? op : castOperand(op, new Utf8(), length);

const hasSurrogates = (s: string) => /[\uD800-\uDFFF]/.test(s);

export const lower = (args: Operand[], n: number) =>
  mapRows([toText(args[0], n)], n, new Utf8(), ([s]) => (s === null ? null : String(s).toLowerCase()));

export const upper = (args: Operand[], n: number) =>
  mapRows([toText(args[0], n)], n, new Utf8(), ([s]) => (s === null ? null : String(s).toUpperCase()));

/** Spark's trim removes spaces only (not tabs or newlines). */
export const trim = (args: Operand[], n: number) =>
  mapRows([toText(args[0], n)], n, new Utf8(), ([s]) => (s === null ? null : String(s).replace(/^ +| +$/g, '')));

/** Number of characters (code points), as Spark's length(). */
export const length = (args: Operand[], n: number) =>
  mapRows([toText(args[0], n)], n, new Int32(), ([s]) => {
    if (s === null) return null;
    const text = String(s);
    return hasSurrogates(text) ? [...text].length : text.length;
  });

/** substring(str, pos[, len]): Spark's substringSQL (pos 0 is 1, negative counts from the end). */
export const substring = (args: Operand[], n: number) =>
  mapRows([toText(args[0], n), ...args.slice(1)], n, new Utf8(), ([s, pos, len]) => {
    if (s === null || pos === null || (args.length > 2 && len === null)) return null;
    const text = String(s);
    const chars = hasSurrogates(text) ? [...text] : null;
    const count = chars ? chars.length : text.length;
    const p = Number(pos);
    let start = p > 0 ? p - 1 : p < 0 ? count + p : 0;
    const end = args.length > 2 ? start + Number(len) : Infinity;
    start = Math.max(start, 0);
    if (start >= end) return '';
    return chars ? chars.slice(start, Math.min(end, count)).join('') : text.slice(start, Math.min(end, count));
  });

/** concat(a, b, ...): null if any argument is null (use concat_ws or coalesce to skip nulls). */
export const concat = (args: Operand[], n: number) =>
  mapRows(args.map((a) => toText(a, n)), n, new Utf8(), (values) => {
    let out = '';
    for (const v of values) {
      if (v === null) return null;
      out += String(v);
    }
    return out;
  });

/** Compiles a Java-style regular expression from a literal argument. */
function literalRegExp(op: Operand | undefined, fn: string, flags = 'u'): LinearRegExp {
  if (!op || op.kind !== 'scalar' || typeof op.value !== 'string') {
    throw new SluiceError(`${fn}: the pattern must be a string literal`);
  }
  return linearRegExp(op.value, flags, fn);
}

/** regexp_extract(str, regex[, group = 1]): '' when the regex does not match (as in Spark). */
export function regexpExtract(args: Operand[], n: number): Operand {
  const re = literalRegExp(args[1], 'regexp_extract');
  return mapRows([toText(args[0], n), ...args.slice(2)], n, new Utf8(), ([s, group]) => {
    if (s === null) return null;
    const g = args.length > 2 ? Number(group) : 1;
    const m = re.exec(String(s));
    if (!m) return '';
    if (g >= m.length) throw new SluiceError(`regexp_extract: group ${g} does not exist in '${re.source}'`);
    return m[g] ?? '';
  });
}

/** split(str, regex[, limit]) → array<string>, with Java's String.split rules for limit. */
export function split(args: Operand[], n: number): Operand {
  const re = literalRegExp(args[1], 'split', 'gu');
  const limitOp = args[2];
  if (limitOp && limitOp.kind !== 'scalar') throw new SluiceError('split: the limit must be a literal');
  const limit = limitOp ? Number((limitOp as { value: Scalar }).value) : -1;
  return stringLists(toText(args[0], n), n, (text) => splitText(text, re, limit));
}

const STRING_LIST: DataType = new List(new Field('element', new Utf8(), true));

/**
 * An array<string> column of `parts(text)` for each row's text (null stays null): the shape of
 * split and regexp_extract_all.
 */
export function stringLists(texts: Operand, n: number, parts: (text: string) => Iterable<string>): Operand {
  const read = rowReader(texts);
  const all: string[] = [];
  const offsets = new Int32Array(n + 1);
  const validity = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) {
    const s = read(i);
    if (s !== null) {
      validity[i >> 3] |= 1 << (i & 7);
      for (const p of parts(String(s))) all.push(p);
    }
    offsets[i + 1] = all.length;
  }
  const child = new Utf8Builder(all.length);
  for (const p of all) child.append(p);
  return column(makeResult(STRING_LIST, n, validity, { valueOffsets: offsets, child: child.finish() }));
}

function splitText(text: string, re: LinearRegExp, limit: number): string[] {
  const out: string[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (limit > 0 && out.length === limit - 1) break;
    if (m[0].length === 0) {
      // An empty match splits between characters, but never before the first one.
      if (m.index >= text.length) break;
      if (m.index === 0) { re.lastIndex++; continue; }
    }
    out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  out.push(text.slice(last));
  // Spark (limit <= 0 defaults to -1) keeps trailing empty strings.
  return out;
}
