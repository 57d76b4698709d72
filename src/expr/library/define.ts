import { Bool, DataType, Float64, Int32, Int64, Type, Utf8 } from 'apache-arrow';
import { column, type Operand, scalar, scalarAt, typeOf } from '../operand.js';
import { describeType, isNullType, isNumericType, isStringType, isTemporalType } from '../typeRules.js';
import { andValidity, bitmapBytes, float64ToInt64, makeBool, makeDateDay, makeFloat64, makeInt32, makeInt64 as makeInt64Data, numbersOf, validityOf } from '../vectors.js';
import { castOperand } from '../kernels/castOperand.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { ExprNode } from '../ast.js';

/**
 * One SQL function: its names, its documentation (read by `sluice functions` and the F
 * namespace), its arity, its result type (shared by inferType and evaluate) and its kernel.
 */
export interface FunctionDef {
  /** The canonical lower-case name. */
  name: string;
  /** Other spellings Spark accepts for the same function (lower case). */
  aliases?: string[];
  category: 'math' | 'string' | 'conditional' | 'datetime' | 'json' | 'hash' | 'collection';
  /** e.g. `round(x: number, scale: int = 0) → number`. */
  signature: string;
  description: string;
  minArgs: number;
  maxArgs: number;
  /**
   * The result type for these argument types; throws a SluiceError naming the bad argument.
   * `nodes`, the argument expressions, name struct fields (`struct(a, b)`, `named_struct('x', a)`).
   */
  returnType(args: DataType[], nodes?: ExprNode[]): DataType;
  evaluate(args: Operand[], length: number, resultType: DataType, context?: EvalContext): Operand;
  /**
   * false for functions whose value is not a function of their arguments (rand, randn, uuid):
   * evaluation does not fold them into a constant, and filters holding them stay where they are.
   */
  deterministic?: false;
}

/** Where a batch sits in its stream, for functions whose value depends on the row's position (rand). */
export interface EvalContext {
  /** The split (partition) the batch belongs to; 0 when a plan runs in one piece. */
  partition: number;
  /** How many rows of the same stream came before the batch's first row. */
  rowOffset: number;
}

export const VARIADIC = Infinity;

/** Argument kinds, with Spark's implicit casts: a string is accepted where a number or date is. */
export type ArgKind = 'any' | 'number' | 'int' | 'string' | 'date' | 'bool';

const KIND_TEST: Record<ArgKind, (t: DataType) => boolean> = {
  any: () => true,
  number: (t) => isNumericType(t) || isStringType(t),
  int: (t) => t.typeId === Type.Int,
  string: (t) => isStringType(t) || isNumericType(t) || isTemporalType(t) || t.typeId === Type.Bool,
  date: (t) => isTemporalType(t) || isStringType(t),
  bool: (t) => t.typeId === Type.Bool,
};
const KIND_NAME: Record<ArgKind, string> = {
  any: 'a value', number: 'a number', int: 'an integer', string: 'a string', date: 'a date or timestamp', bool: 'a boolean',
};

export function expectArg(fn: string, position: number, type: DataType, ok: boolean, wanted: string): void {
  if (!ok && !isNullType(type)) throw new SluiceError(`${fn}: argument ${position} must be ${wanted}, got ${describeType(type)}`);
}

/** Checks argument types against kinds (the last kind repeats for variadic functions). */
export function checkArgs(fn: string, types: DataType[], kinds: ArgKind[]): void {
  types.forEach((t, i) => {
    const kind = kinds[Math.min(i, kinds.length - 1)];
    expectArg(fn, i + 1, t, KIND_TEST[kind](t), KIND_NAME[kind]);
  });
}

export interface Spec {
  name: string;
  aliases?: string[];
  category: FunctionDef['category'];
  signature: string;
  description: string;
  args: ArgKind[];
  /** Defaults to args.length (all required). */
  min?: number;
  max?: number;
  result: DataType | ((args: DataType[], nodes?: ExprNode[]) => DataType);
  evaluate(args: Operand[], length: number, resultType: DataType, context?: EvalContext): Operand;
  deterministic?: false;
}

/** A FunctionDef from a compact spec: arity and argument kinds checked, result type fixed or computed. */
export function define(spec: Spec): FunctionDef {
  const { result } = spec;
  return {
    name: spec.name, aliases: spec.aliases, category: spec.category, signature: spec.signature, description: spec.description,
    minArgs: spec.min ?? spec.args.length, maxArgs: spec.max ?? spec.args.length,
    returnType(types, nodes) {
      checkArgs(spec.name, types, spec.args);
      return typeof result === 'function' ? result(types, nodes) : result;
    },
    evaluate: spec.evaluate,
    ...(spec.deterministic === false ? { deterministic: false as const } : {}),
  };
}

/** A literal argument's value (options such as a pattern or a unit must be constants). */
export function literalArg(op: Operand | undefined, fn: string, what: string): string | number | boolean | bigint | null {
  if (!op) return null;
  // A constant call runs on one-row columns (evaluate's constant folding): its row is the literal.
  if (op.kind === 'column' && op.data.length === 1) return scalarAt(op.data, 0);
  if (op.kind !== 'scalar') throw new SluiceError(`${fn}: ${what} must be a literal`);
  return op.value;
}

/** Any operand as float64 numbers (strings cast as Spark does; bad text → null). */
export function asNumbers(op: Operand, length: number): Operand {
  const t = typeOf(op);
  if (isStringType(t)) return castOperand(op, new Float64(), length);
  return op;
}

type NumFn = (a: number, b: number, c: number) => number;

/**
 * The numeric kernel loop: each argument read as numbers (a typed array, or one number for a
 * scalar), `fn` applied row by row into a typed array of the output type; a row is null when any
 * argument is, or when `isNull(result, a, b)` says so (ln(0), x / 0, ...).
 */
export function mapNumbers(args: Operand[], length: number, outType: DataType, fn: NumFn,
  isNull?: (r: number, a: number, b: number) => boolean): Operand {
  const ops = args.map((a) => asNumbers(a, length));
  if (ops.some((o) => isNullType(typeOf(o)) || (o.kind === 'scalar' && o.value === null))) return scalar(outType, null);
  const arrays = ops.map((o) => (o.kind === 'scalar' ? new Float64Array(length).fill(Number(o.value)) : numbersOf(o.data)));
  let validity: Uint8Array | null = null;
  for (const o of ops) if (o.kind === 'column') validity = andValidity(validity, validityOf(o.data));
  const a = arrays[0];
  const b = arrays[1] ?? a;
  const c = arrays[2] ?? a;
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = fn(a[i], b[i], c[i]);
  if (isNull) {
    for (let i = 0; i < length; i++) {
      if (isNull(out[i], a[i], b[i])) {
        validity ??= new Uint8Array(bitmapBytes(length)).fill(0xff);
        validity[i >> 3] &= ~(1 << (i & 7));
      }
    }
  }
  return column(numbersResult(out, validity, outType));
}

const LONG_MAX = 9223372036854775807;

/** A float64 result array as a column of `type` (int32, int64 with Java's saturation, float64, bool). */
export function numbersResult(values: Float64Array, validity: Uint8Array | null, type: DataType) {
  if (type.typeId === Type.Int && (type as Int64).bitWidth === 64) {
    // Java's (long) cast: NaN is 0, out-of-range values saturate at Long.MIN_VALUE / MAX_VALUE.
    let overflow = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) values[i] = 0;
      else if (v >= LONG_MAX || v < -LONG_MAX) overflow = true;
    }
    const out = float64ToInt64(values);
    if (overflow) {
      for (let i = 0; i < values.length; i++) {
        if (values[i] >= LONG_MAX) out[i] = 9223372036854775807n;
        else if (values[i] < -LONG_MAX) out[i] = -9223372036854775808n;
      }
    }
    return makeInt64Data(out, validity);
  }
  if (type.typeId === Type.Int) return makeInt32(Int32Array.from(values), validity);
  if (type.typeId === Type.Date) return makeDateDay(Int32Array.from(values), validity);
  if (type.typeId === Type.Bool) {
    const bits = new Uint8Array(bitmapBytes(values.length));
    for (let i = 0; i < values.length; i++) if (values[i]) bits[i >> 3] |= 1 << (i & 7);
    return makeBool(values.length, bits, validity);
  }
  return makeFloat64(values, validity);
}

export const FLOAT64 = new Float64();
export const INT32 = new Int32();
export const INT64 = new Int64();
export const UTF8 = new Utf8();
export const BOOL = new Bool();
