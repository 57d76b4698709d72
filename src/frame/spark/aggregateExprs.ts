import type { DataFrame, Row } from '../DataFrame.js';
import type { ExprNode } from '../../expr/ast.js';
import { Expr, toNode } from '../../expr/builders.js';
import { aggregateColumnName, aggregateOf } from '../../expr/aggregates.js';
import { formatExpr } from '../../expr/format.js';
import * as T from '../../../transforms/index.js';
import type { Aggregation } from '../../../transforms/index.js';
import { SluiceError } from '../../types/ErrorRecord.js';

const TEMP = '__sluice_agg_';

/**
 * Spark's `groupBy(keys).agg(F.sum('x').alias('total'), F.count('*'))` as one GroupBy: each
 * argument must be an aggregate of `F` (sum, avg/mean, min, max, count, countDistinct, variance,
 * stddev, first, last, collect_list, collect_set, percentile_approx, percentile, max_by, min_by,
 * bool_and/every, bool_or/some, count_if); one over
 * an expression (`F.sum(col('price').mul(col('qty')))`) computes it first in a WithColumns. An
 * unaliased aggregate is named as Spark names it (`sum(x)`, `count(1)`).
 */
export function aggregateExprs(frame: DataFrame<Row>, keys: string[], exprs: (Expr | ExprNode)[]): DataFrame<Row> {
  if (exprs.length === 0) throw new SluiceError('agg: give at least one aggregate, e.g. agg(F.sum(\'amount\').alias(\'total\'))');
  const computed: Record<string, ExprNode> = {};
  const aggregations: Aggregation[] = exprs.map((e, i) => {
    const node = e instanceof Expr ? e.node : toNode(e);
    const agg = aggregateOf(node);
    if (!agg || node.kind !== 'call') {
      throw new SluiceError(`agg: ${formatExpr(node)} is not an aggregate; use F.sum, F.avg, F.mean, F.min, F.max, F.count, F.countDistinct, F.variance, F.stddev, F.first, F.last, F.collect_list, F.collect_set, F.percentile_approx, F.percentile, F.max_by, F.min_by, F.bool_and, F.bool_or, F.every, F.some or F.count_if`);
    }
    const name = (e instanceof Expr ? e.aliasName : undefined) ?? aggregateColumnName(node);
    if (!agg.arg) return { name, fn: agg.fn };
    const columnOf = (arg: ExprNode, temp: string) => {
      if (arg.kind === 'col') return arg.name;
      computed[temp] = arg;
      return temp;
    };
    const aggregation: Aggregation = { name, fn: agg.fn, column: columnOf(agg.arg, `${TEMP}${i}`) };
    if (agg.by) aggregation.by = columnOf(agg.by, `${TEMP}${i}_by`);
    if (agg.percentage !== undefined) aggregation.percentage = agg.percentage;
    if (agg.accuracy !== undefined) aggregation.accuracy = agg.accuracy;
    return aggregation;
  });
  const names = new Set<string>(keys);
  for (const a of aggregations) {
    if (names.has(a.name)) throw new SluiceError(`agg: two output columns are named '${a.name}'; give one an alias (.alias('other'))`);
    names.add(a.name);
  }
  const input = Object.keys(computed).length ? frame.withColumns(computed) : frame;
  return T.GroupBy.apply({ frame: input, keys, aggregations });
}

/** PySpark's dict form `agg({'amount': 'sum', 'id': 'count'})`: one aggregate per column, named `sum(amount)`. */
export function aggregateDict(frame: DataFrame<Row>, keys: string[], spec: Record<string, string>): DataFrame<Row> {
  return aggregateExprs(frame, keys, Object.entries(spec).map(([column, fn]) => new Expr({ kind: 'call', fn, args: [{ kind: 'col', name: column }] })));
}
