import { Bool, Data, Type } from 'apache-arrow';
import { column, type Operand, scalar } from '../operand.js';
import { bitmapBytes, makeBool, stringReader, validityOf } from '../vectors.js';
import { setBitsFromIndices } from './compare.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { linearRegExp } from './safeRegExp.js';
import { dictionaryIndicesOf } from '../vectors.js';

/**
 * LIKE and RLIKE. A LIKE pattern becomes the cheapest test that is exact: equality,
 * startsWith, endsWith, includes, or an anchored RegExp. On a dictionary column the test runs
 * once per distinct value.
 */

export function likeMatcher(pattern: string, escape = '\\'): (s: string) => boolean {
  if (escape.length !== 1) throw new SluiceError(`LIKE escape must be one character, got '${escape}'`);
  // Tokens: literal text runs, '%' and '_'.
  const tokens: string[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === escape) {
      const next = pattern[i + 1];
      if (next === undefined) throw new SluiceError(`LIKE pattern '${pattern}' ends with the escape character`);
      literal += next;
      i++;
    } else if (ch === '%' || ch === '_') {
      if (literal) tokens.push('L' + literal);
      literal = '';
      tokens.push(ch);
    } else literal += ch;
  }
  if (literal) tokens.push('L' + literal);
  const lit = (t: string) => t.slice(1);
  const isLit = (t: string | undefined) => t !== undefined && t[0] === 'L';
  if (tokens.length === 0) return (s) => s === '';
  if (tokens.length === 1 && isLit(tokens[0])) return (s) => s === lit(tokens[0]);
  if (tokens.length === 1 && tokens[0] === '%') return () => true;
  if (tokens.length === 2 && isLit(tokens[0]) && tokens[1] === '%') { const p = lit(tokens[0]); return (s) => s.startsWith(p); }
  if (tokens.length === 2 && tokens[0] === '%' && isLit(tokens[1])) { const p = lit(tokens[1]); return (s) => s.endsWith(p); }
  if (tokens.length === 3 && tokens[0] === '%' && isLit(tokens[1]) && tokens[2] === '%') { const p = lit(tokens[1]); return (s) => s.includes(p); }
  const source = tokens.map((t) => (t === '%' ? '[\\s\\S]*' : t === '_' ? '[\\s\\S]' : escapeRegExp(lit(t)))).join('');
  // 'u' so that '_' matches one code point, as in Spark.
  const re = new RegExp(`^${source}$`, 'u');
  return (s) => re.test(s);
}

/** RLIKE: a regular expression, in linear time (safeRegExp.ts). */
export function rlikeMatcher(pattern: string): (s: string) => boolean {
  const re = linearRegExp(pattern, 'u', 'RLIKE');
  return (s) => re.test(s);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A boolean column: matcher(value) (negated if asked), null where the value is null. */
export function matchStrings(operand: Operand, matcher: (s: string) => boolean, negated: boolean, length: number): Operand {
  if (operand.kind === 'scalar') {
    return scalar(new Bool(), operand.value === null ? null : matcher(String(operand.value)) !== negated);
  }
  const data: Data = operand.data;
  if (data.typeId === Type.Null) return scalar(new Bool(), null);
  const bits = new Uint8Array(bitmapBytes(length));
  if (data.typeId === Type.Dictionary) {
    const dictionary = data.dictionary!.data[0];
    const read = stringReader(dictionary);
    const matches = new Uint8Array(dictionary.length);
    for (let k = 0; k < dictionary.length; k++) {
      const s = read(k);
      matches[k] = s !== null && matcher(s) !== negated ? 1 : 0;
    }
    setBitsFromIndices(dictionaryIndicesOf(data), matches, bits, length);
  } else {
    const read = stringReader(data);
    for (let i = 0; i < length; i++) {
      const s = read(i);
      if (s !== null && matcher(s) !== negated) bits[i >> 3] |= 1 << (i & 7);
    }
  }
  return column(makeBool(length, bits, validityOf(data)));
}
