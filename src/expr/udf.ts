import type { DataType } from 'apache-arrow';
import type { CallNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { asColumn } from './operand.js';
import { registerInlineFunction } from './functions.js';
import { columnFromValues } from '../columns/fromValues.js';
import { columnValues } from '../columns/toValues.js';
import { parseType, typeName } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { column } from './operand.js';

/** A user function of one value per argument, as PySpark's `udf` wraps. */
export type UdfFunction = (...values: any[]) => unknown;

/** What `F.udf` returns: call it on columns or expressions to get an expression. */
export type UserDefinedFunction = (...args: ExprLike[]) => Expr;

let registered = 0;

/**
 * A row UDF (Spark: `F.udf(fn, returnType)`): `fn` runs once per row on the arguments' values as
 * plain JS (null for SQL NULL, Date for dates and timestamps, bigint beyond 2^53) and its result
 * is stored as `returnType`. Slow, like a Python UDF: each row crosses from Arrow buffers to JS
 * values and back; prefer the built-in functions of `F` where one fits.
 *
 * The function lives in this process: an expression holding it runs on the calling thread (the
 * parallel planner keeps such steps inline), and a plan carrying it cannot travel to a job spec,
 * a worker or Lambda. A row on which `fn` throws fails the step with an error naming the UDF and
 * the row.
 *
 * @param fn the function, one parameter per argument.
 * @param returnType a type name (`'string'`, the default as in Spark; `'int'`, `'double'`,
 *   `'array<string>'`, …) or an Arrow DataType.
 * @example
 * ```ts
 * const initials = F.udf((first: string | null, last: string | null) => `${first?.[0] ?? ''}${last?.[0] ?? ''}`, 'string');
 * df.withColumn('initials', initials('first_name', 'last_name'));
 * ```
 */
export function udf(fn: UdfFunction, returnType: string | DataType = 'string'): UserDefinedFunction {
  if (typeof fn !== 'function') throw new SluiceError(`F.udf needs a function, got ${typeof fn}`);
  const type = typeof returnType === 'string' ? parseType(returnType) : returnType;
  const label = fn.name || 'lambda';
  const name = `udf:${label.toLowerCase()}#${++registered}`;
  registerInlineFunction({
    name, category: 'conditional', signature: `${label}(...) → ${typeName(type)}`, description: 'a row UDF (F.udf)',
    minArgs: 0, maxArgs: Infinity,
    returnType: () => type,
    evaluate(args, length) {
      const values = args.map((a) => columnValues(asColumn(a, length)));
      const out = new Array<unknown>(length);
      const row = new Array<unknown>(args.length);
      for (let i = 0; i < length; i++) {
        for (let k = 0; k < values.length; k++) row[k] = values[k][i];
        try {
          out[i] = fn(...row);
        } catch (e) {
          throw new SluiceError(`udf '${label}' threw on row ${i + 1} of a batch (arguments ${preview(row)}): ${(e as Error)?.message ?? String(e)}`);
        }
        if (out[i] === undefined) out[i] = null;
      }
      return column(columnFromValues(type, out));
    },
  });
  return (...args: ExprLike[]): Expr => {
    // `inline` holds the function itself: a node with a function in it is no plain JSON, so the
    // parallel planner runs its step on this thread (exec/parallel/planRegions.ts, isPlainJson).
    const node: CallNode & { inline: UdfFunction } = { kind: 'call', fn: name, args: args.map(toNode), inline: fn };
    return new Expr(node, undefined);
  };
}

const preview = (row: unknown[]): string => {
  const text = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
};
