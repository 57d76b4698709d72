import type { DataType } from 'apache-arrow';
import type { CallNode, ExprNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { registerInlineFunction } from './functions.js';
import { parseType, typeName } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { evaluateRows, type UdfFunction } from './evaluateRows.js';

export type { UdfFunction } from './evaluateRows.js';

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
  const inline = inlineUdf(fn, returnType);
  return (...args: ExprLike[]): Expr => new Expr(inline.call(args.map(toNode)), undefined);
}

/**
 * Registers `fn` as an in-process function under a fresh name (`udf:<label>#<n>`); `call` builds
 * a call node. The node holds the function itself (`inline`): a node with a function in it is no
 * plain JSON, so the parallel planner runs its step on this thread (exec/parallel/planRegions.ts, isPlainJson).
 */
export function inlineUdf(fn: UdfFunction, returnType: string | DataType, label = fn.name || 'lambda'): { name: string; call(args: ExprNode[]): ExprNode } {
  if (typeof fn !== 'function') throw new SluiceError(`F.udf needs a function, got ${typeof fn}`);
  const type = typeof returnType === 'string' ? parseType(returnType) : returnType;
  const name = `udf:${label.toLowerCase()}#${++registered}`;
  registerInlineFunction({
    name, category: 'conditional', signature: `${label}(...) → ${typeName(type)}`, description: 'a row UDF (F.udf)',
    minArgs: 0, maxArgs: Infinity,
    returnType: () => type,
    evaluate: (args, length) => evaluateRows(fn, label, args, length, type),
  });
  return { name, call: (args) => ({ kind: 'call', fn: name, args, inline: fn }) as CallNode & { inline: UdfFunction } };
}

