import { DataType, DateDay, Field, Int32, List, TimestampMicrosecond, Type, Utf8 } from 'apache-arrow';
import type { Operand } from './operand.js';
import { describeType, isNullType, isNumericType, isStringType, isTemporalType, mergeType } from './typeRules.js';
import { concat, length, lower, regexpExtract, split, substring, trim, upper } from './kernels/string.js';
import { dateAdd, dateDiff, dateTrunc, extract, toTemporal } from './kernels/date.js';
import { coalesce } from './kernels/select.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * The named functions an expression can call, each with its arity, its result type (shared by
 * inferType and evaluate) and its kernel. Names are lower case; the parser lower-cases calls.
 */
export interface FunctionDef {
  minArgs: number;
  maxArgs: number;
  /** The result type for these argument types; throws a SluiceError naming the bad argument. */
  returnType(args: DataType[]): DataType;
  evaluate(args: Operand[], length: number, resultType: DataType): Operand;
}

const VARIADIC = Infinity;

function expect(fn: string, position: number, type: DataType, ok: boolean, wanted: string): void {
  if (!ok && !isNullType(type)) throw new SluiceError(`${fn}: argument ${position} must be ${wanted}, got ${describeType(type)}`);
}

const isTextLike = (t: DataType) => isStringType(t) || isNumericType(t) || isTemporalType(t) || t.typeId === Type.Bool;
const isIntegral = (t: DataType) => t.typeId === Type.Int;
const isDateLike = (t: DataType) => isTemporalType(t) || isStringType(t);

/** A string function: the first argument is text (others converted), the rest as given. */
function stringFn(name: string, min: number, max: number, result: DataType, kernel: (args: Operand[], n: number) => Operand,
  argKinds: ((t: DataType) => boolean)[] = [], kindNames: string[] = []): FunctionDef {
  return {
    minArgs: min, maxArgs: max,
    returnType(args) {
      args.forEach((t, i) => {
        if (i === 0 || max === VARIADIC) expect(name, i + 1, t, isTextLike(t), 'a string');
        else if (argKinds[i - 1]) expect(name, i + 1, t, argKinds[i - 1](t), kindNames[i - 1]);
      });
      return result;
    },
    evaluate: (args, n) => kernel(args, n),
  };
}

function extractFn(field: 'year' | 'month' | 'day' | 'hour'): FunctionDef {
  return {
    minArgs: 1, maxArgs: 1,
    returnType([t]) {
      expect(field, 1, t, isDateLike(t), 'a date or timestamp');
      return new Int32();
    },
    evaluate: (args, n) => extract(field, args, n),
  };
}

export const FUNCTIONS: Record<string, FunctionDef> = {
  coalesce: {
    minArgs: 1, maxArgs: VARIADIC,
    returnType(args) {
      return args.reduce((acc, t, i) => {
        const merged = mergeType(acc, t);
        if (!merged) throw new SluiceError(`coalesce: argument ${i + 1} (${describeType(t)}) does not match ${describeType(acc)}`);
        return merged;
      });
    },
    evaluate: (args, n, type) => coalesce(type, args, n),
  },
  lower: stringFn('lower', 1, 1, new Utf8(), lower),
  upper: stringFn('upper', 1, 1, new Utf8(), upper),
  trim: stringFn('trim', 1, 1, new Utf8(), trim),
  length: stringFn('length', 1, 1, new Int32(), length),
  substring: stringFn('substring', 2, 3, new Utf8(), substring, [isIntegral, isIntegral], ['an integer', 'an integer']),
  concat: stringFn('concat', 1, VARIADIC, new Utf8(), concat),
  split: stringFn('split', 2, 3, new List(new Field('element', new Utf8(), true)), split, [isStringType, isIntegral], ['a string pattern', 'an integer']),
  regexp_extract: stringFn('regexp_extract', 2, 3, new Utf8(), regexpExtract, [isStringType, isIntegral], ['a string pattern', 'an integer']),
  year: extractFn('year'),
  month: extractFn('month'),
  day: extractFn('day'),
  hour: extractFn('hour'),
  date_trunc: {
    minArgs: 2, maxArgs: 2,
    returnType([unit, t]) {
      expect('date_trunc', 1, unit, isStringType(unit), 'a unit name such as \'month\'');
      expect('date_trunc', 2, t, isDateLike(t), 'a date or timestamp');
      return t.typeId === Type.Timestamp ? t : new TimestampMicrosecond('UTC');
    },
    evaluate: (args, n) => dateTrunc(args, n),
  },
  to_date: {
    minArgs: 1, maxArgs: 2,
    returnType([t, format]) {
      expect('to_date', 1, t, isDateLike(t), 'a string, date or timestamp');
      if (format) expect('to_date', 2, format, isStringType(format), 'a format string');
      return new DateDay();
    },
    evaluate: (args, n) => toTemporal(args, n, 'date'),
  },
  to_timestamp: {
    minArgs: 1, maxArgs: 2,
    returnType([t, format]) {
      expect('to_timestamp', 1, t, isDateLike(t), 'a string, date or timestamp');
      if (format) expect('to_timestamp', 2, format, isStringType(format), 'a format string');
      return new TimestampMicrosecond('UTC');
    },
    evaluate: (args, n) => toTemporal(args, n, 'timestamp'),
  },
  date_add: {
    minArgs: 2, maxArgs: 2,
    returnType([d, days]) {
      expect('date_add', 1, d, isDateLike(d), 'a date');
      expect('date_add', 2, days, isIntegral(days), 'an integer number of days');
      return new DateDay();
    },
    evaluate: (args, n) => dateAdd(args, n),
  },
  date_sub: {
    minArgs: 2, maxArgs: 2,
    returnType([d, days]) {
      expect('date_sub', 1, d, isDateLike(d), 'a date');
      expect('date_sub', 2, days, isIntegral(days), 'an integer number of days');
      return new DateDay();
    },
    evaluate: (args, n) => dateAdd(args, n, -1),
  },
  datediff: {
    minArgs: 2, maxArgs: 2,
    returnType([end, start]) {
      expect('datediff', 1, end, isDateLike(end), 'a date');
      expect('datediff', 2, start, isDateLike(start), 'a date');
      return new Int32();
    },
    evaluate: (args, n) => dateDiff(args, n),
  },
};

/** Spark's other spellings of the same functions. */
const ALIASES: Record<string, string> = { substr: 'substring', dayofmonth: 'day', nvl: 'coalesce', ifnull: 'coalesce', char_length: 'length' };

export function lookupFunction(name: string, argCount: number): FunctionDef {
  const key = name.toLowerCase();
  const def = FUNCTIONS[ALIASES[key] ?? key];
  if (!def) throw new SluiceError(`unknown function '${name}': known functions are ${Object.keys(FUNCTIONS).sort().join(', ')}`);
  if (argCount < def.minArgs || argCount > def.maxArgs) {
    const range = def.maxArgs === VARIADIC ? `at least ${def.minArgs}` : def.minArgs === def.maxArgs ? `${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
    throw new SluiceError(`${key}() takes ${range} argument${range === '1' ? '' : 's'}, got ${argCount}`);
  }
  return def;
}
