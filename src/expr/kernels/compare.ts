import { Bool, Data, DataType, Int64, Type } from 'apache-arrow';
import type { CompareOp } from '../ast.js';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { comparisonType, describeType, isDecimalType, isNullType, isStringType, isTemporalType, logicalType, sameType } from '../typeRules.js';
import { asDecimalType } from '../decimalTypes.js';
import { pow10, unscaledReader } from './decimalArith.js';
import {
  andBits, andValidity, bitmapBytes, dictionaryIndicesOf, encodeUtf8, int32PairsOf, makeBool, numbersOf, stringReader, validityOf,
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

/**
 * For a filter: the rows where `left op right` is TRUE (set and valid) as a bitmap, comparing only
 * the rows set in `within` (null: all; the others stay 0), so an AND compares its right side on
 * the left side's survivors only. Undefined unless a column meets a literal and neither needs a
 * cast, as numbers (integers up to 32 bits, floats) or as strings (Utf8 or a Utf8 dictionary):
 * the caller then uses `compare`. The same comparisons as `compare`, so the same rows.
 */
export function compareTruthBits(op: CompareOp, left: Operand, right: Operand, length: number, within: Uint8Array | null): Uint8Array | undefined {
  if (left.kind === 'scalar' && right.kind === 'column') return compareTruthBits(FLIPPED[op], right, left, length, within);
  if (left.kind !== 'column' || right.kind !== 'scalar' || right.value === null) return undefined;
  const type = comparisonType(typeOf(left), typeOf(right));
  if (!type || isExactDecimalPair(typeOf(left), typeOf(right)) || coerce(left, type, length) !== left) return undefined;
  const literal = coerce(right, type, length);
  if (literal.kind !== 'scalar' || literal.value === null) return undefined;
  const data = left.data;
  const bits = new Uint8Array(bitmapBytes(length));
  if (isStringType(type)) {
    const dictionary = data.typeId === Type.Dictionary && data.dictionary?.data.length === 1 ? data.dictionary.data[0] : undefined;
    if (data.typeId === Type.Utf8) utf8AgainstLiteral(op, data, encodeUtf8(String(literal.value)), bits, within);
    else if (dictionary?.typeId === Type.Utf8) {
      setBitsFromIndicesWithin(dictionaryIndicesOf(data), dictionaryMatches(op, dictionary, encodeUtf8(String(literal.value))), bits, length, within);
    } else return undefined;
  } else if (isSmallNumber(type) && isSmallNumber(data.type)) {
    // Every row: a number compares faster than `within` could be tested; the AND below keeps its rows.
    AGAINST_NUMBER[op](numbersOf(data), Number(literal.value), bits, length);
    if (within) andBits(bits, within);
  } else return undefined;
  const validity = validityOf(data);
  if (validity) andBits(bits, validity);
  return bits;
}

/** Compared as JS numbers without a copy: floats and integers up to 32 bits. */
const isSmallNumber = (type: DataType): boolean =>
  type.typeId === Type.Float || (type.typeId === Type.Int && (type as Int64).bitWidth <= 32);

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
  if (typeof b === 'number') return AGAINST_NUMBER[op](a, b, bits, n);
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
 * A column against a number, one loop per operator written out: the hot filter path, which in a
 * short run is still being compiled while it runs, so no per-row call (packEach's test) to inline.
 */
type AgainstNumber = (a: ArrayLike<number>, b: number, bits: Uint8Array, n: number) => void;

const AGAINST_NUMBER: Record<CompareOp, AgainstNumber> = {
  '=': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] === b) | (+(a[i + 1] === b) << 1) | (+(a[i + 2] === b) << 2) | (+(a[i + 3] === b) << 3)
        | (+(a[i + 4] === b) << 4) | (+(a[i + 5] === b) << 5) | (+(a[i + 6] === b) << 6) | (+(a[i + 7] === b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] === b) bits[i >> 3] |= 1 << (i & 7);
  },
  '<>': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] !== b) | (+(a[i + 1] !== b) << 1) | (+(a[i + 2] !== b) << 2) | (+(a[i + 3] !== b) << 3)
        | (+(a[i + 4] !== b) << 4) | (+(a[i + 5] !== b) << 5) | (+(a[i + 6] !== b) << 6) | (+(a[i + 7] !== b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] !== b) bits[i >> 3] |= 1 << (i & 7);
  },
  '<': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] < b) | (+(a[i + 1] < b) << 1) | (+(a[i + 2] < b) << 2) | (+(a[i + 3] < b) << 3)
        | (+(a[i + 4] < b) << 4) | (+(a[i + 5] < b) << 5) | (+(a[i + 6] < b) << 6) | (+(a[i + 7] < b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] < b) bits[i >> 3] |= 1 << (i & 7);
  },
  '<=': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] <= b) | (+(a[i + 1] <= b) << 1) | (+(a[i + 2] <= b) << 2) | (+(a[i + 3] <= b) << 3)
        | (+(a[i + 4] <= b) << 4) | (+(a[i + 5] <= b) << 5) | (+(a[i + 6] <= b) << 6) | (+(a[i + 7] <= b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] <= b) bits[i >> 3] |= 1 << (i & 7);
  },
  '>': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] > b) | (+(a[i + 1] > b) << 1) | (+(a[i + 2] > b) << 2) | (+(a[i + 3] > b) << 3)
        | (+(a[i + 4] > b) << 4) | (+(a[i + 5] > b) << 5) | (+(a[i + 6] > b) << 6) | (+(a[i + 7] > b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] > b) bits[i >> 3] |= 1 << (i & 7);
  },
  '>=': (a, b, bits, n) => {
    const whole = n & ~7;
    for (let i = 0; i < whole; i += 8) {
      bits[i >> 3] = +(a[i] >= b) | (+(a[i + 1] >= b) << 1) | (+(a[i + 2] >= b) << 2) | (+(a[i + 3] >= b) << 3)
        | (+(a[i + 4] >= b) << 4) | (+(a[i + 5] >= b) << 5) | (+(a[i + 6] >= b) << 6) | (+(a[i + 7] >= b) << 7);
    }
    for (let i = whole; i < n; i++) if (a[i] >= b) bits[i >> 3] |= 1 << (i & 7);
  },
};

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

/**
 * Sets bit i where `data[i] op literal` on a Utf8 Data, comparing bytes where they lie (no string
 * decoding); only the rows set in `within` are compared (null: all), the others stay 0.
 */
function utf8AgainstLiteral(op: CompareOp, data: Data, literal: Uint8Array, bits: Uint8Array, within: Uint8Array | null): void {
  if (op === '=' || op === '<>') utf8EqualsLiteral(data, literal, op === '<>' ? 1 : 0, bits, within);
  else utf8OrderedAgainstLiteral(op, data, literal, bits, within);
}

/** `=` (flip 0) or `<>` (flip 1): lengths and first bytes first, the rest only where those agree. */
function utf8EqualsLiteral(data: Data, literal: Uint8Array, flip: number, bits: Uint8Array, within: Uint8Array | null): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const litLength = literal.length;
  const first = literal[0];
  const n = data.length;
  for (let byteIndex = 0, base = 0; base < n; byteIndex++, base += 8) {
    const selected = within === null ? 0xff : within[byteIndex];
    if (selected === 0) continue;
    const end = Math.min(8, n - base);
    let byte = 0;
    let start = offsets[base];
    for (let k = 0; k < end; k++) {
      const next = offsets[base + k + 1];
      let equal = next - start === litLength && (litLength === 0 || bytes[start] === first) ? 1 : 0;
      for (let j = 1; equal === 1 && j < litLength; j++) if (bytes[start + j] !== literal[j]) equal = 0;
      byte |= (equal ^ flip) << k;
      start = next;
    }
    bits[byteIndex] = byte & selected;
  }
}

function utf8OrderedAgainstLiteral(op: CompareOp, data: Data, literal: Uint8Array, bits: Uint8Array, within: Uint8Array | null): void {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const n = data.length;
  for (let byteIndex = 0, base = 0; base < n; byteIndex++, base += 8) {
    const selected = within === null ? 0xff : within[byteIndex];
    if (selected === 0) continue;
    const end = Math.min(8, n - base);
    let byte = 0;
    for (let k = 0; k < end; k++) {
      const i = base + k;
      if (signMatches(op, compareBytes(bytes, offsets[i], offsets[i + 1], literal, 0, literal.length))) byte |= 1 << k;
    }
    bits[byteIndex] = byte & selected;
  }
}

/** One byte per dictionary entry: 1 where `entry op literal`. */
function dictionaryMatches(op: CompareOp, dictionary: Data, literal: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bitmapBytes(dictionary.length));
  utf8AgainstLiteral(op, dictionary, literal, bits, null);
  const matches = new Uint8Array(dictionary.length);
  for (let k = 0; k < matches.length; k++) matches[k] = (bits[k >> 3] >> (k & 7)) & 1;
  return matches;
}

function compareStrings(op: CompareOp, a: Data, b: Operand, bits: Uint8Array): void {
  if (b.kind === 'scalar') {
    const literal = encodeUtf8(String(b.value));
    if (a.typeId === Type.Dictionary) {
      setBitsFromIndices(dictionaryIndicesOf(a), dictionaryMatches(op, a.dictionary!.data[0], literal), bits, a.length);
    } else utf8AgainstLiteral(op, a, literal, bits, null);
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

/** As setBitsFromIndices, for the rows set in `within` only (null: all). */
function setBitsFromIndicesWithin(indices: ArrayLike<number>, matches: Uint8Array, bits: Uint8Array, n: number, within: Uint8Array | null): void {
  setBitsFromIndices(indices, matches, bits, n);
  if (within) andBits(bits, within);
}
