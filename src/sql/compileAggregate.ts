import type { ExprNode } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { Aggregation } from '../../transforms/index.js';
import type { SqlCallNode, SqlExpr } from './ast.js';
import { mapChildren } from './exprWalk.js';
import { errorAt, pathOf, project, resolveExpr, type CompileContext, type Relation } from './Relation.js';

/** SQL aggregate → the GroupBy transform's aggregate. count(DISTINCT x) is countDistinct. */
const GROUP_BY_FNS: Record<string, Aggregation['fn']> = {
  count: 'count', sum: 'sum', avg: 'avg', mean: 'avg', min: 'min', max: 'max',
  variance: 'variance', var_samp: 'variance', var_pop: 'variancePop', stddev: 'stddev', stddev_samp: 'stddev', stddev_pop: 'stddevPop',
  // Exact, so within any error bound Spark's HyperLogLog promises.
  approx_count_distinct: 'countDistinct',
};

export function isAggregateCall(node: SqlExpr): node is SqlCallNode {
  return node.kind === 'sqlCall' && !node.over;
}

/** The grouped relation and how to read an expression over it (keys and aggregates become its columns). */
export interface Grouped {
  rel: Relation;
  translate(expr: SqlExpr): ExprNode;
}

/**
 * GROUP BY as the GroupBy transform: key and argument expressions are computed into columns
 * first (WithColumns), then one GroupBy computes every aggregate the query names (each distinct
 * aggregate once). Without aggregates, GROUP BY is distinct keys (DropDuplicates).
 */
export function compileAggregate(
  ctx: CompileContext, rel: Relation, groupBy: SqlExpr[], calls: SqlCallNode[], special: (node: SqlExpr) => ExprNode | undefined,
): Grouped {
  const computed: Record<string, ExprNode> = {};
  const columnFor = (e: ExprNode, prefix: string) => {
    if (e.kind === 'col') return e.name;
    const name = ctx.fresh(prefix);
    computed[name] = e;
    return name;
  };
  const keyExprs = groupBy.map((g) => resolveExpr(ctx, g, rel.columns, special));
  const keyNames = keyExprs.map((k) => columnFor(k, 'group'));
  const keyIndex = new Map(keyExprs.map((k, i) => [JSON.stringify(k), keyNames[i]]));
  const aggregations: Aggregation[] = [];
  const byKey = new Map<string, string>();
  const callNames = new Map<SqlCallNode, string>();
  for (const call of calls) {
    const fn = call.distinct && call.fn === 'count' ? 'countDistinct' : GROUP_BY_FNS[call.fn];
    // approx_count_distinct's second argument is an error bound: an exact count meets any.
    const args = call.fn === 'approx_count_distinct' ? call.args.slice(0, 1) : call.args;
    if (!fn || (call.distinct && fn !== 'countDistinct' && fn !== 'min' && fn !== 'max')) {
      throw errorAt(ctx, call, `aggregate ${call.fn}(${call.distinct ? 'DISTINCT …' : '…'}) is not supported yet; supported: count, count(DISTINCT …), sum, avg, min, max, variance, var_samp, var_pop, stddev, stddev_samp, stddev_pop, approx_count_distinct`);
    }
    if (call.star || (fn === 'count' && args.length === 1 && args[0].kind === 'lit' && args[0].value !== null)) {
      addAggregation(call, { fn: 'count' });
      continue;
    }
    if (args.length !== 1) throw errorAt(ctx, call, `${call.fn} takes one argument, got ${args.length}`);
    const arg = resolveExpr(ctx, args[0], rel.columns, special);
    addAggregation(call, { fn, column: columnFor(arg, 'arg'), arg });
  }

  function addAggregation(call: SqlCallNode, a: { fn: Aggregation['fn']; column?: string; arg?: ExprNode }) {
    const key = JSON.stringify([a.fn, a.arg ?? null]);
    let name = byKey.get(key);
    if (!name) {
      name = ctx.fresh('agg');
      byKey.set(key, name);
      aggregations.push(a.column === undefined ? { name, fn: a.fn } : { name, fn: a.fn, column: a.column });
    }
    callNames.set(call, name);
  }

  const input = project(rel.df, computed);
  const uniqueKeys = [...new Set(keyNames)];
  const df = aggregations.length
    ? T.GroupBy.apply({ frame: input, keys: uniqueKeys, aggregations })
    : T.DropDuplicates.apply({ frame: T.SelectFields.apply({ frame: input, paths: uniqueKeys.map(pathOf) }) });
  // Grouped plain columns keep their names (so `t.k` still reads the key).
  const columns = rel.columns.filter((c) => uniqueKeys.includes(c.internal));

  function translate(expr: SqlExpr): ExprNode {
    if (expr.kind === 'sqlCall' && callNames.has(expr)) return { kind: 'col', name: callNames.get(expr)! };
    const claimed = special(expr);
    if (claimed) return claimed;
    try {
      const key = keyIndex.get(JSON.stringify(resolveExpr(ctx, expr, rel.columns, special)));
      if (key) return { kind: 'col', name: key };
    } catch {
      // An expression holding an aggregate does not resolve as a whole; its parts are tried below.
    }
    if (expr.kind === 'col' || (expr.kind === 'field' && expr.expr.kind === 'col')) {
      resolveExpr(ctx, expr, rel.columns, special); // a name that does not exist says so first
      const name = expr.kind === 'col' ? expr.name : `${(expr.expr as { name: string }).name}.${expr.name}`;
      throw errorAt(ctx, expr.kind === 'col' ? expr : expr.expr, `column '${name}' must be in GROUP BY or inside an aggregate function`);
    }
    if (expr.kind === 'sqlCall') return resolveExpr(ctx, expr, rel.columns, special);
    return mapChildren(expr, translate) as ExprNode;
  }

  return { rel: { df, columns }, translate };
}
