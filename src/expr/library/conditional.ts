import { DataType, Type } from 'apache-arrow';
import { column, type Operand, scalar, typeOf } from '../operand.js';
import { describeType, logicalType, mergeType } from '../typeRules.js';
import { bitmapBytes, makeBool, makeFloat64, numbersOf, validityOf } from '../vectors.js';
import { caseWhen, coalesce } from '../kernels/select.js';
import { compare } from '../kernels/compare.js';
import { isNull } from '../kernels/logic.js';
import { asNumbers, BOOL, define, expectArg, FLOAT64, type FunctionDef, VARIADIC } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** Conditional functions: each is a CASE or COALESCE over typed columns (no per-row objects). */

function merged(fn: string, types: DataType[], first = 0): DataType {
  return types.slice(first).reduce((acc, t, i) => {
    const m = mergeType(acc, t);
    if (!m) throw new SluiceError(`${fn}: argument ${first + i + 1} (${describeType(t)}) does not match ${describeType(acc)}`);
    return m;
  });
}

const isBoolOrNull = (t: DataType) => t.typeId === Type.Bool || t.typeId === Type.Null;

export const CONDITIONAL: FunctionDef[] = [
  {
    name: 'coalesce', category: 'conditional', signature: 'coalesce(a, b, ...) → the common type', description: 'The first non-null argument.',
    minArgs: 1, maxArgs: VARIADIC, returnType: (types) => merged('coalesce', types),
    evaluate: (args, n, type) => coalesce(type, args, n),
  },
  {
    name: 'nvl', aliases: ['ifnull'], category: 'conditional', signature: 'nvl(a, b) → the common type', description: 'a when it is not null, else b.',
    minArgs: 2, maxArgs: 2, returnType: (types) => merged('nvl', types),
    evaluate: (args, n, type) => coalesce(type, args, n),
  },
  {
    name: 'nvl2', category: 'conditional', signature: 'nvl2(a, b, c) → type of b and c', description: 'b when a is not null, else c.',
    minArgs: 3, maxArgs: 3, returnType: (types) => merged('nvl2', types, 1),
    evaluate: (args, n, type) => caseWhen(type, [isNull(args[0], true, n)], [args[1]], args[2], n),
  },
  {
    name: 'if', category: 'conditional', signature: 'if(cond: boolean, a, b) → the common type', description: 'a where cond is true, else b (a null cond picks b).',
    minArgs: 3, maxArgs: 3,
    returnType([c, ...rest]) {
      expectArg('if', 1, c, isBoolOrNull(c), 'a boolean');
      return merged('if', rest);
    },
    evaluate: (args, n, type) => caseWhen(type, [args[0]], [args[1]], args[2], n),
  },
  {
    name: 'nullif', category: 'conditional', signature: 'nullif(a, b) → type of a', description: 'Null when a = b, else a.',
    minArgs: 2, maxArgs: 2,
    returnType([a, b]) {
      merged('nullif', [a, b]);
      // A dictionary-encoded string gives a plain string (case/when builds its result column).
      return logicalType(a);
    },
    evaluate: (args, n, type) => caseWhen(type, [compare('=', args[0], args[1], n)], [scalar(type, null)], args[0], n),
  },
  define({
    name: 'isnan', category: 'conditional', signature: 'isnan(x: number) → boolean', description: 'True when x is NaN; false for null.',
    args: ['number'], result: BOOL,
    evaluate(args, n) {
      const op = asNumbers(args[0], n);
      if (op.kind === 'scalar') return scalar(BOOL, typeof op.value === 'number' && Number.isNaN(op.value));
      if (typeOf(op).typeId === Type.Null) return scalar(BOOL, false);
      const values = numbersOf(op.data), validity = validityOf(op.data);
      const bits = new Uint8Array(bitmapBytes(n));
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v !== v && (!validity || validity[i >> 3] & (1 << (i & 7)))) bits[i >> 3] |= 1 << (i & 7);
      }
      return column(makeBool(n, bits, null));
    },
  }),
  define({
    name: 'nanvl', category: 'conditional', signature: 'nanvl(a: double, b: double) → double', description: 'a when it is not NaN, else b (null when the chosen value is null).',
    args: ['number', 'number'], result: FLOAT64,
    evaluate(args, n) {
      const ops = args.map((a) => asNumbers(a, n));
      const read = (op: Operand) => (op.kind === 'scalar'
        ? { values: new Float64Array(n).fill(op.value === null ? NaN : Number(op.value)), validity: op.value === null ? new Uint8Array(bitmapBytes(n)) : null }
        : typeOf(op).typeId === Type.Null ? { values: new Float64Array(n), validity: new Uint8Array(bitmapBytes(n)) }
          : { values: numbersOf(op.data), validity: validityOf(op.data) });
      const a = read(ops[0]), b = read(ops[1]);
      const out = new Float64Array(n);
      const valid = new Uint8Array(bitmapBytes(n));
      for (let i = 0; i < n; i++) {
        const bit = 1 << (i & 7);
        const x = a.values[i];
        if (a.validity && !(a.validity[i >> 3] & bit)) continue;
        if (x === x) { out[i] = x; valid[i >> 3] |= bit; continue; }
        if (b.validity && !(b.validity[i >> 3] & bit)) continue;
        out[i] = b.values[i];
        valid[i >> 3] |= bit;
      }
      return column(makeFloat64(out, valid));
    },
  }),
];
