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
 * argument must be an aggregate of `F` (sum, avg/mean, min, max, count, countDistinct); one over
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
      throw new SluiceError(`agg: ${formatExpr(node)} is not an aggregate; use F.sum, F.avg, F.mean, F.min, F.max, F.count or F.countDistinct`);
    }
    const name = (e instanceof Expr ? e.aliasName : undefined) ?? aggregateColumnName(node);
    if (!agg.arg) return { name, fn: agg.fn };
    if (agg.arg.kind === 'col') return { name, fn: agg.fn, column: agg.arg.name };
    const temp = `${TEMP}${i}`;
    computed[temp] = agg.arg;
    return { name, fn: agg.fn, column: temp };
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
