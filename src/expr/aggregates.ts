import type { CallNode, ExprNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { formatExpr } from './format.js';

/**
 * Aggregate builders for `groupBy(...).agg(...)` (PySpark's `F.sum`, `F.count`, …). Each is a
 * plain call node (`sum(amount)`) that `agg` reads back into a GroupBy aggregation; they are no
 * scalar functions, so an aggregate used in `withColumn` or `filter` fails as an unknown function.
 */

/** The aggregate a call node names, under GroupBy's names, or undefined for any other node. */
export function aggregateOf(node: ExprNode): { fn: AggregateName; arg?: ExprNode } | undefined {
  if (node.kind !== 'call') return undefined;
  const fn = AGGREGATE_NAMES[node.fn.toLowerCase()];
  if (!fn) return undefined;
  const arg = node.args[0];
  // count(*) and count(1) count rows, nulls included.
  if (fn === 'count' && (!arg || (arg.kind === 'col' && arg.name === '*') || (arg.kind === 'lit' && arg.value !== null))) return { fn };
  return { fn, arg };
}

/** Spark's default name of an unaliased aggregate column: `sum(amount)`, `count(1)`, `count(DISTINCT id)`. */
export function aggregateColumnName(node: CallNode): string {
  const agg = aggregateOf(node)!;
  if (agg.fn === 'count' && !agg.arg) return 'count(1)';
  const inner = agg.arg ? formatExpr(agg.arg) : '';
  return agg.fn === 'countDistinct' ? `count(DISTINCT ${inner})` : `${agg.fn}(${inner})`;
}

export type AggregateName = 'count' | 'sum' | 'min' | 'max' | 'avg' | 'countDistinct';

const AGGREGATE_NAMES: Record<string, AggregateName> = {
  count: 'count', sum: 'sum', min: 'min', max: 'max', avg: 'avg', mean: 'avg', countdistinct: 'countDistinct', count_distinct: 'countDistinct',
};

const aggregate = (fn: string, x: ExprLike): Expr => new Expr({ kind: 'call', fn, args: [toNode(x)] });

/** Sum of the non-null values (Spark: `F.sum`). */
export const sum = (x: ExprLike): Expr => aggregate('sum', x);
/** Average of the non-null values (Spark: `F.avg`). */
export const avg = (x: ExprLike): Expr => aggregate('avg', x);
/** `avg` by its other Spark name. */
export const mean = (x: ExprLike): Expr => aggregate('avg', x);
/** Smallest non-null value (Spark: `F.min`). */
export const min = (x: ExprLike): Expr => aggregate('min', x);
/** Largest non-null value (Spark: `F.max`). */
export const max = (x: ExprLike): Expr => aggregate('max', x);
/** Non-null values of a column; `count('*')` or `count(lit(1))` counts rows (Spark: `F.count`). */
export const count = (x: ExprLike = '*'): Expr => aggregate('count', x);
/** Distinct non-null values of one column (Spark: `F.countDistinct`, `F.count_distinct`). */
export const countDistinct = (x: ExprLike): Expr => aggregate('countDistinct', x);
