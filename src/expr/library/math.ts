import { DataType, Int64, Type } from 'apache-arrow';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { arithResultType, describeType, isIntegerType, isNullType, isStringType, mergeType } from '../typeRules.js';
import { bitmapBytes, float64ToInt64, int32PairsOf, makeInt32, makeInt64, makeResult, numbersOf, validityOf } from '../vectors.js';
import { arith } from '../kernels/arith.js';
import { castOperand } from '../kernels/castOperand.js';
import { ColumnWriter } from '../kernels/columnWriter.js';
import { rowReader } from '../operand.js';
import { asNumbers, define, FLOAT64, type FunctionDef, INT64, literalArg, mapNumbers, numbersResult, VARIADIC } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { integralDivide } from './integralDivide.js';

/** Math functions with Spark's result types and null rules (ln of a non-positive number is null, x mod 0 is null). */

/** A string argument computes as double (Spark's implicit cast); decimals compute as double. */
const numericType = (t: DataType): DataType => (isIntegerType(t) || isNullType(t) ? t : FLOAT64);
const isInt64 = (t: DataType) => t.typeId === Type.Int && (t as Int64).bitWidth === 64;

const unary = (name: string, description: string, fn: (x: number) => number, nullIf?: (r: number, x: number) => boolean, aliases?: string[]): FunctionDef =>
  define({
    name, aliases, category: 'math', signature: `${name}(x: number) → double`, description, args: ['number'], result: FLOAT64,
    evaluate: (args, n, t) => mapNumbers(args, n, t, fn, nullIf),
  });

function absKernel(args: Operand[], n: number, type: DataType): Operand {
  const op = asNumbers(args[0], n);
  if (op.kind === 'scalar' || isNullType(type)) {
    return scalar(type, op.kind === 'scalar' && op.value !== null ? (typeof op.value === 'bigint' ? (op.value < 0n ? BigInt.asIntN(64, -op.value) : op.value) : Math.abs(Number(op.value))) : null);
  }
  const validity = validityOf(op.data);
  if (isInt64(type)) {
    // Two's complement negation on (lo, hi) int32 pairs: no BigInt per row; MIN_VALUE stays itself as in Java.
    const src = int32PairsOf(op.data.values as BigInt64Array);
    const out = new BigInt64Array(n);
    const dst = int32PairsOf(out);
    for (let i = 0; i < n; i++) {
      const lo = src[2 * i], hi = src[2 * i + 1];
      if (hi < 0) {
        dst[2 * i] = (~lo + 1) | 0;
        dst[2 * i + 1] = (~hi + (lo === 0 ? 1 : 0)) | 0;
      } else { dst[2 * i] = lo; dst[2 * i + 1] = hi; }
    }
    return column(makeInt64(out, validity));
  }
  if (type.typeId === Type.Int) {
    const src = numbersOf(op.data);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = src[i] < 0 ? -src[i] | 0 : src[i];
    return column(makeInt32(out, validity));
  }
  return mapNumbers([op], n, type, Math.abs);
}

/** Shifts a number's shortest decimal text by `s` places (exact, as Java's BigDecimal(double.toString)). */
function shiftDecimal(x: number, s: number): number {
  const text = String(x);
  const e = text.indexOf('e');
  return e < 0 ? Number(`${text}e${s}`) : Number(`${text.slice(0, e)}e${Number(text.slice(e + 1)) + s}`);
}

/** Spark's round (HALF_UP, away from zero on ties) and bround (HALF_EVEN) of a double's decimal value. */
export function roundDecimal(x: number, scale: number, even: boolean): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  let y = scale >= 0 ? ax * 10 ** scale : ax / 10 ** -scale;
  const quick = y - Math.floor(y);
  if (!(y < 4503599627370496 && Math.abs(quick - 0.5) > 1e-7)) y = shiftDecimal(ax, scale);
  if (y >= 4503599627370496) return x;
  let r = Math.floor(y);
  const frac = y - r;
  if (frac > 0.5 || (frac === 0.5 && (!even || r % 2 === 1))) r += 1;
  if (r === 0) return 0;
  const back = scale === 0 ? r : shiftDecimal(r, -scale);
  return x < 0 ? -back : back;
}

function roundFn(name: 'round' | 'bround', description: string): FunctionDef {
  const even = name === 'bround';
  return define({
    name, category: 'math', signature: `${name}(x: number, scale: int = 0) → same integer type, else double`, description,
    args: ['number', 'int'], min: 1, max: 2, result: ([t]) => numericType(t),
    evaluate(args, n, type) {
      const scaleArg = literalArg(args[1], name, 'the scale');
      if (args[1] && scaleArg === null) return scalar(type, null);
      const scale = Number(scaleArg ?? 0);
      if (type.typeId === Type.Int && scale >= 0) return castOperand(args[0], type, n);
      return mapNumbers([args[0]], n, type, (x) => roundDecimal(x, scale, even));
    },
  });
}

function extremum(name: 'greatest' | 'least'): FunctionDef {
  const wantGreater = name === 'greatest';
  return {
    name, category: 'math', signature: `${name}(a, b, ...) → the common type`,
    description: `The ${wantGreater ? 'largest' : 'smallest'} non-null argument (null only when all are null).`,
    minArgs: 2, maxArgs: VARIADIC,
    returnType(types) {
      return types.reduce((acc, t, i) => {
        const merged = mergeType(acc, t);
        if (!merged) throw new SluiceError(`${name}: argument ${i + 1} (${describeType(t)}) does not match ${describeType(acc)}`);
        return merged;
      });
    },
    evaluate(args, n, type) {
      const ops = args.map((a) => castOperand(a, type, n));
      if (!isStringType(type) && !isInt64(type) && type.typeId !== Type.Bool && type.typeId !== Type.Decimal) return numericExtremum(ops, n, type, wantGreater);
      const readers = ops.map(rowReader);
      const out = new ColumnWriter(type, n);
      const text = isStringType(type);
      for (let i = 0; i < n; i++) {
        let best: number | bigint | string | boolean | null = null;
        for (let a = 0; a < readers.length; a++) {
          const v = readers[a](i);
          if (v === null) continue;
          if (best === null) best = v;
          else if (text ? (compareText(String(v), String(best)) > 0) === wantGreater && v !== best : wantGreater ? v > best : v < best) best = v;
        }
        out.write(i, best);
      }
      return column(out.finish());
    },
  };
}

/** greatest/least over number columns (int32, double, date, timestamp) in typed arrays; NaN is the largest double, as in Spark. */
function numericExtremum(ops: Operand[], n: number, type: DataType, wantGreater: boolean): Operand {
  const out = new Float64Array(n);
  const valid = new Uint8Array(bitmapBytes(n));
  for (const op of ops) {
    if (op.kind === 'scalar' && op.value === null) continue;
    if (op.kind === 'column' && op.data.typeId === Type.Null) continue;
    const values = op.kind === 'scalar' ? new Float64Array(n).fill(Number(op.value)) : numbersOf(op.data);
    const validity = op.kind === 'scalar' ? null : validityOf(op.data);
    for (let i = 0; i < n; i++) {
      const bit = 1 << (i & 7);
      if (validity && !(validity[i >> 3] & bit)) continue;
      const v = values[i];
      if (!(valid[i >> 3] & bit)) { out[i] = v; valid[i >> 3] |= bit; continue; }
      const b = out[i];
      if (wantGreater ? v > b || (v !== v && b === b) : v < b || (b !== b && v === v)) out[i] = v;
    }
  }
  if (type.typeId === Type.Timestamp) return column(makeResult(type, n, valid, { data: float64ToInt64(out) }));
  return column(numbersResult(out, valid, type));
}

/** UTF-8 byte order (code point order), as Spark compares strings; no allocation per comparison. */
function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code point order only between surrogates and U+E000..U+FFFF.
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

const modType = (name: string) => ([a, b]: DataType[]) => {
  const t = arithResultType('%', numericType(a), numericType(b));
  if (!t) throw new SluiceError(`${name}: needs numbers, got ${describeType(a)} and ${describeType(b)}`);
  return t;
};

const LN_NULL = (_r: number, x: number) => x <= 0;

export const MATH: FunctionDef[] = [
  integralDivide,
  define({
    name: 'abs', category: 'math', signature: 'abs(x: number) → same type', description: 'Absolute value (integers wrap at their minimum, as in Java).',
    args: ['number'], result: ([t]) => numericType(t), evaluate: absKernel,
  }),
  roundFn('round', 'Rounds to `scale` decimal places, half away from zero (HALF_UP); a negative scale rounds to tens, hundreds, ...'),
  roundFn('bround', "Rounds to `scale` decimal places, half to even (banker's rounding, HALF_EVEN)."),
  define({
    name: 'floor', category: 'math', signature: 'floor(x: number) → bigint', description: 'The largest integer not greater than x.',
    args: ['number'], result: INT64, evaluate: (args, n, t) => mapNumbers(args, n, t, Math.floor),
  }),
  define({
    name: 'ceil', aliases: ['ceiling'], category: 'math', signature: 'ceil(x: number) → bigint', description: 'The smallest integer not less than x.',
    args: ['number'], result: INT64, evaluate: (args, n, t) => mapNumbers(args, n, t, Math.ceil),
  }),
  unary('sqrt', 'Square root (NaN for a negative number).', Math.sqrt),
  unary('cbrt', 'Cube root.', Math.cbrt),
  unary('exp', 'e raised to x.', Math.exp),
  unary('ln', 'Natural logarithm; null for x <= 0.', Math.log, LN_NULL),
  unary('log10', 'Base-10 logarithm; null for x <= 0.', Math.log10, LN_NULL),
  unary('log2', 'Base-2 logarithm; null for x <= 0.', Math.log2, LN_NULL),
  define({
    name: 'log', category: 'math', signature: 'log([base: number,] x: number) → double', description: 'Logarithm of x in `base` (natural logarithm with one argument); null for x <= 0 or base <= 0.',
    args: ['number', 'number'], min: 1, max: 2, result: FLOAT64,
    evaluate: (args, n, t) => (args.length === 1
      ? mapNumbers(args, n, t, Math.log, LN_NULL)
      : mapNumbers(args, n, t, (b, x) => Math.log(x) / Math.log(b), (_r, b, x) => b <= 0 || x <= 0)),
  }),
  define({
    name: 'pow', aliases: ['power'], category: 'math', signature: 'pow(x: number, y: number) → double', description: 'x raised to y.',
    args: ['number', 'number'], result: FLOAT64, evaluate: (args, n, t) => mapNumbers(args, n, t, (x, y) => (y === 0 ? 1 : x ** y)),
  }),
  extremum('greatest'),
  extremum('least'),
  define({
    name: 'mod', category: 'math', signature: 'mod(a: number, b: number) → numeric', description: 'a % b: the remainder with the sign of a; null when b is 0.',
    args: ['number', 'number'], result: modType('mod'),
    evaluate: (args, n) => arith('%', asNumbers(args[0], n), asNumbers(args[1], n), n),
  }),
  define({
    name: 'pmod', category: 'math', signature: 'pmod(a: number, n: number) → numeric', description: 'The positive remainder of a / n (for n > 0, in [0, n)); null when n is 0.',
    args: ['number', 'number'], result: modType('pmod'),
    evaluate(args, n, type) {
      const a = asNumbers(args[0], n), b = asNumbers(args[1], n);
      const r = arith('%', a, b, n);
      if (typeOf(r).typeId === Type.Null || (r.kind === 'scalar' && r.value === null)) return scalar(type, null);
      return mapNumbers([r, b], n, type, (x, d) => (x < 0 ? (x + d) % d : x));
    },
  }),
  define({
    name: 'signum', aliases: ['sign'], category: 'math', signature: 'signum(x: number) → double', description: '-1.0, 0.0 or 1.0 by the sign of x.',
    args: ['number'], result: FLOAT64, evaluate: (args, n, t) => mapNumbers(args, n, t, Math.sign),
  }),
];
