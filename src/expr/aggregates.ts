import type { CallNode, ExprNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';
import { formatExpr } from './format.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * Aggregate builders for `groupBy(...).agg(...)` (PySpark's `F.sum`, `F.count`, …). Each is a
 * plain call node (`sum(amount)`) that `agg` reads back into a GroupBy aggregation; they are no
 * scalar functions, so an aggregate used in `withColumn` or `filter` fails as an unknown function.
 */

/** An aggregate call read back: GroupBy's function, its argument and options (see GroupBy's aggregations). */
export interface AggregateCall {
  fn: AggregateName;
  arg?: ExprNode;
  /** max_by/min_by: the ordering expression. */
  by?: ExprNode;
  percentage?: number | number[];
  accuracy?: number;
}

/** The aggregate a call node names, under GroupBy's names, or undefined for any other node. */
export function aggregateOf(node: ExprNode): AggregateCall | undefined {
  if (node.kind !== 'call') return undefined;
  const name = node.fn.toLowerCase();
  const fn = AGGREGATE_NAMES[name];
  if (!fn) return undefined;
  const [arg, second, third] = node.args;
  // count(*) and count(1) count rows, nulls included.
  if (name === 'count' && (!arg || (arg.kind === 'col' && arg.name === '*') || (arg.kind === 'lit' && arg.value !== null))) return { fn };
  // Boolean aggregates are min/max of a boolean (false < true); count_if(p) counts CASE WHEN p THEN 1.
  if (arg && BOOLEAN_AGGREGATES.has(name)) return { fn, arg: { kind: 'cast', expr: arg, to: 'bool' } };
  if (arg && name === 'count_if') return { fn, arg: { kind: 'case', branches: [{ when: { kind: 'cast', expr: arg, to: 'bool' }, then: { kind: 'lit', value: 1 } }] } };
  if (fn === 'maxBy' || fn === 'minBy') return { fn, arg, by: second };
  if (fn === 'percentile' || fn === 'percentileApprox') {
    const percentage = second === undefined ? undefined : literalFractions(second);
    if (percentage === undefined) throw new SluiceError(`${name}: the percentage must be a literal fraction or array of them, got ${second ? formatExpr(second) : 'nothing'}`);
    if (third === undefined) return { fn, arg, percentage };
    if (fn === 'percentile' || third.kind !== 'lit' || typeof third.value !== 'number') throw new SluiceError(`${name}: ${fn === 'percentile' ? 'takes no third argument' : 'the accuracy must be a literal whole number'}, got ${formatExpr(third)}`);
    return { fn, arg, percentage, accuracy: third.value };
  }
  if ((fn === 'first' || fn === 'last') && second !== undefined) {
    if (second.kind !== 'lit' || typeof second.value !== 'boolean') throw new SluiceError(`${name}: the second argument is true or false (ignore nulls), got ${formatExpr(second)}`);
    return { fn: second.value ? (fn === 'first' ? 'firstIgnoreNulls' : 'lastIgnoreNulls') : fn, arg };
  }
  return { fn, arg };
}

/**
 * A percentage argument: a literal fraction (`0.5`) or an array of them (`array(0.25, 0.75)`,
 * a JS array in `F`), or undefined when the node is anything else.
 */
export function literalFractions(node: ExprNode): number | number[] | undefined {
  const one = (n: ExprNode): number | undefined => {
    if (n.kind === 'lit' && typeof n.value === 'number') return n.value;
    if (n.kind === 'lit' && typeof n.value === 'string' && n.type === undefined && /^-?\d+(\.\d*)?(e-?\d+)?$/i.test(n.value)) return Number(n.value);
    if (n.kind === 'cast') return one(n.expr);
    if (n.kind === 'neg') {
      const v = one(n.expr);
      return v === undefined ? undefined : -v;
    }
    return undefined;
  };
  if (node.kind === 'call' && node.fn.toLowerCase() === 'array') {
    const values = node.args.map(one);
    return values.every((v) => v !== undefined) ? (values as number[]) : undefined;
  }
  return one(node);
}

/** Spark's default name of an unaliased aggregate column: `sum(amount)`, `count(1)`, `count(DISTINCT id)`, `max_by(x, y)`. */
export function aggregateColumnName(node: CallNode): string {
  const agg = aggregateOf(node)!;
  if (agg.fn === 'count' && !agg.arg) return 'count(1)';
  const inner = node.args.map(formatExpr).join(', ');
  return agg.fn === 'countDistinct' ? `count(DISTINCT ${inner})` : `${agg.fn === 'avg' ? 'avg' : node.fn.toLowerCase()}(${inner})`;
}

/** GroupBy's aggregate functions (transforms/aggregate/Accumulator.ts `AggregateFn`, which this layer cannot import). */
export type AggregateName =
  | 'count' | 'sum' | 'min' | 'max' | 'avg' | 'countDistinct' | 'variance' | 'variancePop' | 'stddev' | 'stddevPop'
  | 'first' | 'last' | 'firstIgnoreNulls' | 'lastIgnoreNulls' | 'collectList' | 'collectSet'
  | 'percentileApprox' | 'percentile' | 'maxBy' | 'minBy';

const AGGREGATE_NAMES: Record<string, AggregateName> = {
  count: 'count', sum: 'sum', min: 'min', max: 'max', avg: 'avg', mean: 'avg', countdistinct: 'countDistinct', count_distinct: 'countDistinct',
  variance: 'variance', var_samp: 'variance', var_pop: 'variancePop', stddev: 'stddev', stddev_samp: 'stddev', stddev_pop: 'stddevPop',
  first: 'first', last: 'last', collect_list: 'collectList', collect_set: 'collectSet',
  percentile_approx: 'percentileApprox', approx_percentile: 'percentileApprox', percentile: 'percentile', max_by: 'maxBy', min_by: 'minBy',
  bool_and: 'min', every: 'min', bool_or: 'max', some: 'max', count_if: 'count',
};
const BOOLEAN_AGGREGATES = new Set(['bool_and', 'every', 'bool_or', 'some']);

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

/** Each group's values as a list, nulls skipped, in input order (Spark: `F.collect_list`). */
export const collectList = (x: ExprLike): Expr => aggregate('collect_list', x);
/** Each group's distinct non-null values as a list, in order of first appearance (Spark: `F.collect_set`; Spark's order is unspecified). */
export const collectSet = (x: ExprLike): Expr => aggregate('collect_set', x);
/** Sample variance (Spark: `F.variance`, `F.var_samp`). */
export const variance = (x: ExprLike): Expr => aggregate('variance', x);
/** Sample standard deviation (Spark: `F.stddev`, `F.stddev_samp`). */
export const stddev = (x: ExprLike): Expr => aggregate('stddev', x);
/** The first value in input order; `ignoreNulls` skips nulls (Spark: `F.first`). */
export const first = (x: ExprLike, ignoreNulls = false): Expr => new Expr({ kind: 'call', fn: 'first', args: [toNode(x), ...(ignoreNulls ? [{ kind: 'lit', value: true } as ExprNode] : [])] });
/** The last value in input order; `ignoreNulls` skips nulls (Spark: `F.last`). */
export const last = (x: ExprLike, ignoreNulls = false): Expr => new Expr({ kind: 'call', fn: 'last', args: [toNode(x), ...(ignoreNulls ? [{ kind: 'lit', value: true } as ExprNode] : [])] });
/** The `x` of the row with the largest `ord`; rows with a null `ord` are skipped, ties go to the first row (Spark: `F.max_by`). */
export const maxBy = (x: ExprLike, ord: ExprLike): Expr => new Expr({ kind: 'call', fn: 'max_by', args: [toNode(x), toNode(ord)] });
/** The `x` of the row with the smallest `ord` (Spark: `F.min_by`). */
export const minBy = (x: ExprLike, ord: ExprLike): Expr => new Expr({ kind: 'call', fn: 'min_by', args: [toNode(x), toNode(ord)] });

const fractionsNode = (p: number | number[]): ExprNode =>
  Array.isArray(p) ? { kind: 'call', fn: 'array', args: p.map((v) => ({ kind: 'lit', value: v }) as ExprNode) } : { kind: 'lit', value: p };

/**
 * A value of the column at percentage `p` (0…1), or a list of values for a list of percentages
 * (Spark: `F.percentile_approx(col, percentage, accuracy=10000)`). sluice's answer is exact: the
 * value of rank ceil(p·n), which is Spark's whenever a group has fewer than accuracy/2 values.
 * @example df.groupBy('k').agg(F.percentile_approx('latency', [0.5, 0.99]).alias('p'))
 */
export const percentileApprox = (x: ExprLike, p: number | number[], accuracy?: number): Expr =>
  new Expr({ kind: 'call', fn: 'percentile_approx', args: [toNode(x), fractionsNode(p), ...(accuracy === undefined ? [] : [{ kind: 'lit', value: accuracy } as ExprNode])] });
/** The exact percentile, interpolated between neighbouring values, as a double (Spark: `F.percentile`). */
export const percentile = (x: ExprLike, p: number | number[]): Expr => new Expr({ kind: 'call', fn: 'percentile', args: [toNode(x), fractionsNode(p)] });

/** True when every non-null value is true (Spark: `F.bool_and`, `F.every`). */
export const boolAnd = (x: ExprLike): Expr => aggregate('bool_and', x);
/** `boolAnd` by its other Spark name. */
export const every = (x: ExprLike): Expr => aggregate('every', x);
/** True when any non-null value is true (Spark: `F.bool_or`, `F.some`). */
export const boolOr = (x: ExprLike): Expr => aggregate('bool_or', x);
/** `boolOr` by its other Spark name. */
export const some = (x: ExprLike): Expr => aggregate('some', x);
/** The number of rows where the condition is true (Spark: `F.count_if`). */
export const countIf = (x: ExprLike): Expr => aggregate('count_if', x);
