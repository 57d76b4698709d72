import { Bool, Data, DataType, Int64, Type } from 'apache-arrow';
import type { CompareOp } from '../ast.js';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { comparisonType, describeType, isDecimalType, isNullType, isStringType, isTemporalType, logicalType, sameType } from '../typeRules.js';
import { asDecimalType } from '../decimalTypes.js';
import { pow10, unscaledReader } from './decimalArith.js';
import {
  andValidity, bitmapBytes, dictionaryIndicesOf, encodeUtf8, int32PairsOf, makeBool, numbersOf, stringReader, validityOf,
} from '../vectors.js';
import { castOperand } from './castOperand.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * = <> < <= > >= with SQL null semantics (null on either side → null). Both sides are first
 * brought to Spark's comparison type. Hot paths: a numeric column against a literal, and a
 * dictionary string column against a literal, which compares the dictionary once and then only
 * maps the indices.
 */
export function compare(op: CompareOp, left: Operand, right: Operand, length: number): Operand {
  const type = comparisonType(typeOf(left), typeOf(right));
  if (!type) throw new SluiceError(`cannot compare ${describeType(typeOf(left))} with ${describeType(typeOf(right))}`);
  if (isNullType(type)) return scalar(new Bool(), null);
  if ((left.kind === 'scalar' && left.value === null) || (right.kind === 'scalar' && right.value === null)) {
    return scalar(new Bool(), null);
  }
  if (left.kind === 'scalar' && right.kind === 'column') return compare(FLIPPED[op], right, left, length);
  if (isExactDecimalPair(typeOf(left), typeOf(right)) && left.kind === 'column') return compareDecimals(op, left, right, length);
  const a = coerce(left, type, length);
  const b = coerce(right, type, length);
  if (a.kind !== 'column') throw new Error('compare: two scalars must be folded by the caller');
  const validity = andValidity(validityOf(a.data), b.kind === 'column' ? validityOf(b.data) : null);
  const bits = new Uint8Array(bitmapBytes(length));
  if (isStringType(type)) compareStrings(op, a.data, b, bits);
  else if (type.typeId === Type.Int && (type as Int64).bitWidth === 64) compareInt64(op, a.data, b, bits);
  else {
    const bValue = b.kind === 'scalar' ? Number(b.value) : numbersOf(b.data);
    compareNumbers(op, numbersOf(a.data), bValue, bits, length);
  }
  return column(makeBool(length, bits, validity));
}

/** A decimal against a decimal or an integer: compared exactly (Spark widens both to one decimal). */
const isExactDecimalPair = (a: DataType, b: DataType): boolean =>
  (isDecimalType(a) || isDecimalType(b)) && asDecimalType(a) !== undefined && asDecimalType(b) !== undefined;

/**
 * Decimals compared as doubles where the doubles are clearly apart, and exactly (unscaled BigInts
 * at a common scale) where they are within rounding of each other: 38-digit decimals that differ
 * only past a double's 16 digits still compare right, and the common case costs no BigInt.
 */
function compareDecimals(op: CompareOp, left: Operand & { kind: 'column' }, right: Operand, length: number): Operand {
  const da = numbersOf(left.data);
  const db = right.kind === 'scalar' ? Number(right.value) : numbersOf(right.data);
  const a = unscaledReader(left);
  const b = unscaledReader(right);
  const scale = Math.max(a.scale, b.scale);
  const fa = pow10(scale - a.scale);
  const fb = pow10(scale - b.scale);
  const validity = andValidity(validityOf(left.data), right.kind === 'column' ? validityOf(right.data) : null);
  const bits = new Uint8Array(bitmapBytes(length));
  for (let i = 0; i < length; i++) {
    if (validity && (validity[i >> 3] & (1 << (i & 7))) === 0) continue;
    const x = da[i];
    const y = typeof db === 'number' ? db : db[i];
    let sign: number;
    if (Math.abs(x - y) > 1e-9 * Math.max(Math.abs(x), Math.abs(y))) sign = x < y ? -1 : 1;
    else {
      const ex = a.at(i) * fa;
      const ey = b.at(i) * fb;
      sign = ex === ey ? 0 : ex < ey ? -1 : 1;
    }
    if (signMatches(op, sign)) bits[i >> 3] |= 1 << (i & 7);
  }
  return column(makeBool(length, bits, validity));
}

const FLIPPED: Record<CompareOp, CompareOp> = { '=': '=', '<>': '<>', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** Brings an operand to the comparison type; numbers of any width compare as they are. */
function coerce(op: Operand, type: DataType, length: number): Operand {
  const from = logicalType(typeOf(op));
  if (sameType(from, type)) return op;
  if (isStringType(type) && isStringType(from)) return op;
  const numericFamily = (t: DataType) => t.typeId === Type.Int || t.typeId === Type.Float || t.typeId === Type.Decimal;
  // int32 vs float64 needs no copy: numbersOf reads both as JS numbers.
  if (numericFamily(from) && numericFamily(type) && !(type.typeId === Type.Int && (type as Int64).bitWidth === 64)) return op;
  if (isTemporalType(from) && isTemporalType(type) && from.typeId === type.typeId && String(from) === String(type)) return op;
  return castOperand(op, type, length);
}

/** Sets bit i where `a[i] op b` (b a number or a column of numbers). */
export function compareNumbers(op: CompareOp, a: ArrayLike<number>, b: number | ArrayLike<number>, bits: Uint8Array, n: number): void {
  if (typeof b === 'number') {
    switch (op) {
      case '=': return packEach(n, bits, (i) => a[i] === b);
      case '<>': return packEach(n, bits, (i) => a[i] !== b);
      case '<': return packEach(n, bits, (i) => a[i] < b);
      case '<=': return packEach(n, bits, (i) => a[i] <= b);
      case '>': return packEach(n, bits, (i) => a[i] > b);
      case '>=': return packEach(n, bits, (i) => a[i] >= b);
    }
  }
  switch (op) {
    case '=': return packEach(n, bits, (i) => a[i] === b[i]);
    case '<>': return packEach(n, bits, (i) => a[i] !== b[i]);
    case '<': return packEach(n, bits, (i) => a[i] < b[i]);
    case '<=': return packEach(n, bits, (i) => a[i] <= b[i]);
    case '>': return packEach(n, bits, (i) => a[i] > b[i]);
    case '>=': return packEach(n, bits, (i) => a[i] >= b[i]);
  }
}

/**
 * Packs test(i) into bits eight rows per byte without a branch per row (random data would
 * mispredict half of them). Each call site passes one arrow function, so V8 inlines it.
 */
function packEach(n: number, bits: Uint8Array, test: (i: number) => boolean): void {
  const whole = n & ~7;
  for (let base = 0; base < whole; base += 8) {
    bits[base >> 3] = +test(base) | (+test(base + 1) << 1) | (+test(base + 2) << 2) | (+test(base + 3) << 3)
      | (+test(base + 4) << 4) | (+test(base + 5) << 5) | (+test(base + 6) << 6) | (+test(base + 7) << 7);
  }
  for (let i = whole; i < n; i++) if (test(i)) bits[i >> 3] |= 1 << (i & 7);
}

/** Whether a three-way comparison result (-1, 0, 1) satisfies `op`. */
export function signMatches(op: CompareOp, sign: number): boolean {
  switch (op) {
    case '=': return sign === 0;
    case '<>': return sign !== 0;
    case '<': return sign < 0;
    case '<=': return sign <= 0;
    case '>': return sign > 0;
    case '>=': return sign >= 0;
  }
}

/** Exact int64 comparison on (hi, lo) word pairs: no BigInt per row, no rounding above 2^53. */
function compareInt64(op: CompareOp, a: Data, b: Operand, bits: Uint8Array): void {
  const pa = int32PairsOf(a.values as BigInt64Array);
  let pb: Int32Array;
  let stride = 2;
  if (b.kind === 'scalar') {
    pb = int32PairsOf(BigInt64Array.of(BigInt(b.value as number | bigint)));
    stride = 0;
  } else pb = int32PairsOf(b.data.values as BigInt64Array);
  for (let i = 0; i < a.length; i++) {
    const hiA = pa[2 * i + 1], hiB = pb[stride * i + 1];
    const sign = hiA !== hiB ? (hiA < hiB ? -1 : 1) : Math.sign((pa[2 * i] >>> 0) - (pb[stride * i] >>> 0));
    if (signMatches(op, sign)) bits[i >> 3] |= 1 << (i & 7);
  }
}

/** UTF-8 byte order, which is code point order (Spark compares strings the same way). */
export function compareBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): number {
  const n = Math.min(aEnd - aStart, bEnd - bStart);
  for (let k = 0; k < n; k++) {
    const d = a[aStart + k] - b[bStart + k];
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return Math.sign((aEnd - aStart) - (bEnd - bStart));
}

/** Per-entry results of `entries op literal` for a Utf8 Data (used for dictionaries and plain columns). */
function utf8AgainstLiteral(op: CompareOp, data: Data, literal: Uint8Array, out: (i: number) => void): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const litLength = literal.length;
  for (let i = 0; i < data.length; i++) {
    const start = offsets[i];
    const end = offsets[i + 1];
    if (op === '=' || op === '<>') {
      let equal = end - start === litLength;
      for (let k = 0; equal && k < litLength; k++) equal = bytes[start + k] === literal[k];
      if (equal === (op === '=')) out(i);
    } else if (signMatches(op, compareBytes(bytes, start, end, literal, 0, litLength))) out(i);
  }
}

function compareStrings(op: CompareOp, a: Data, b: Operand, bits: Uint8Array): void {
  if (b.kind === 'scalar') {
    const literal = encodeUtf8(String(b.value));
    if (a.typeId === Type.Dictionary) {
      const dictionary = a.dictionary!.data[0];
      const matches = new Uint8Array(dictionary.length);
      utf8AgainstLiteral(op, dictionary, literal, (k) => { matches[k] = 1; });
      setBitsFromIndices(dictionaryIndicesOf(a), matches, bits, a.length);
    } else utf8AgainstLiteral(op, a, literal, (i) => { bits[i >> 3] |= 1 << (i & 7); });
    return;
  }
  const readA = stringReader(a);
  const readB = stringReader(b.data);
  for (let i = 0; i < a.length; i++) {
    const x = readA(i);
    const y = readB(i);
    if (x === null || y === null) continue;
    if (signMatches(op, x === y ? 0 : x < y ? -1 : 1)) bits[i >> 3] |= 1 << (i & 7);
  }
}

/** bits[i] = matches[indices[i]]: the dictionary hot path, one byte lookup per row. */
export function setBitsFromIndices(indices: ArrayLike<number>, matches: Uint8Array, bits: Uint8Array, n: number): void {
  const whole = n & ~7;
  for (let base = 0; base < whole; base += 8) {
    bits[base >> 3] = matches[indices[base]] | (matches[indices[base + 1]] << 1) | (matches[indices[base + 2]] << 2)
      | (matches[indices[base + 3]] << 3) | (matches[indices[base + 4]] << 4) | (matches[indices[base + 5]] << 5)
      | (matches[indices[base + 6]] << 6) | (matches[indices[base + 7]] << 7);
  }
  for (let i = whole; i < n; i++) if (matches[indices[i]]) bits[i >> 3] |= 1 << (i & 7);
}
