import type { ExprNode } from '../expr/ast.js';
import { literalFractions } from '../expr/aggregates.js';
import { computedColumns } from './computedColumns.js';
import * as T from '../../transforms/index.js';
import type { Aggregation } from '../../transforms/index.js';
import type { DataFrame } from '../frame/DataFrame.js';
import type { SqlCallNode, SqlExpr } from './ast.js';
import { mapChildren } from './exprWalk.js';
import { errorAt, pathOf, project, resolveExpr, type CompileContext, type Relation } from './Relation.js';

/** SQL aggregate → the GroupBy transform's aggregate. count(DISTINCT x) is countDistinct. */
export const GROUP_BY_FNS: Record<string, Aggregation['fn']> = {
  count: 'count', sum: 'sum', avg: 'avg', mean: 'avg', min: 'min', max: 'max',
  variance: 'variance', var_samp: 'variance', var_pop: 'variancePop', stddev: 'stddev', stddev_samp: 'stddev', stddev_pop: 'stddevPop',
  // Exact, so within any error bound Spark's HyperLogLog promises.
  approx_count_distinct: 'countDistinct',
  first: 'first', first_value: 'first', last: 'last', last_value: 'last', any_value: 'first', collect_list: 'collectList', array_agg: 'collectList',
  collect_set: 'collectSet', percentile_approx: 'percentileApprox', approx_percentile: 'percentileApprox', percentile: 'percentile',
  max_by: 'maxBy', min_by: 'minBy',
  // Boolean aggregates as min/max of a boolean (false < true; nulls skipped, as Spark's), count_if as a count.
  bool_and: 'min', every: 'min', bool_or: 'max', some: 'max', any: 'max', count_if: 'count',
};
const SUPPORTED = 'count, count(DISTINCT …), count_if, sum, avg, min, max, variance, var_samp, var_pop, stddev, stddev_samp, stddev_pop, approx_count_distinct, first, last, any_value, collect_list, collect_set, percentile_approx, percentile, max_by, min_by, bool_and/every, bool_or/some/any';

const BOOLEAN_AGGREGATES = new Set(['bool_and', 'every', 'bool_or', 'some', 'any']);

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
  const { computed, columnFor } = computedColumns(ctx);
  const keyExprs = groupBy.map((g) => resolveExpr(ctx, g, rel.columns, special));
  const keyNames = keyExprs.map((k) => columnFor(k, 'group'));
  const keyIndex = new Map(keyExprs.map((k, i) => [JSON.stringify(k), keyNames[i]]));
  const aggregations: Aggregation[] = [];
  const byKey = new Map<string, string>();
  const callExprs = new Map<SqlCallNode, ExprNode>();
  for (const call of calls) {
    if (call.fn === 'grouping' || call.fn === 'grouping_id') {
      // One key set: every key is grouped (grouping() is 0).
      callExprs.set(call, { kind: 'lit', value: 0 });
      continue;
    }
    const fn = call.distinct && call.fn === 'count' ? 'countDistinct' : GROUP_BY_FNS[call.fn];
    // approx_count_distinct's second argument is an error bound: an exact count meets any.
    let args = call.fn === 'approx_count_distinct' ? call.args.slice(0, 1) : call.args;
    let fnUsed: Aggregation['fn'] = fn;
    if ((fn === 'first' || fn === 'last') && args.length === 2) {
      const flag = args[1];
      if (flag.kind !== 'lit' || typeof flag.value !== 'boolean') throw errorAt(ctx, call, `the second argument of ${call.fn} is true or false (ignore nulls)`);
      if (flag.value) fnUsed = fn === 'first' ? 'firstIgnoreNulls' : 'lastIgnoreNulls';
      args = args.slice(0, 1);
    }
    if (!fn || (call.distinct && fn !== 'countDistinct' && fn !== 'min' && fn !== 'max' && fn !== 'collectSet')) {
      throw errorAt(ctx, call, `aggregate ${call.fn}(${call.distinct ? 'DISTINCT …' : '…'}) is not supported yet; supported: ${SUPPORTED}`);
    }
    if (call.star || (call.fn === 'count' && args.length === 1 && args[0].kind === 'lit' && args[0].value !== null)) {
      addAggregation(call, { fn: 'count' });
      continue;
    }
    if (fn === 'maxBy' || fn === 'minBy') {
      if (args.length !== 2) throw errorAt(ctx, call, `${call.fn} takes two arguments (the value, the column to order by), got ${args.length}`);
      const [arg, by] = args.map((a) => resolveExpr(ctx, a, rel.columns, special));
      addAggregation(call, { fn, column: columnFor(arg, 'arg'), arg, by: columnFor(by, 'arg'), byExpr: by });
      continue;
    }
    if (fn === 'percentileApprox' || fn === 'percentile') {
      const most = fn === 'percentile' ? 2 : 3;
      if (args.length < 2 || args.length > most) throw errorAt(ctx, call, `${call.fn} takes ${fn === 'percentile' ? 'two arguments (the column, the percentage)' : 'two or three arguments (the column, the percentage, the accuracy)'}, got ${args.length}`);
      const arg = resolveExpr(ctx, args[0], rel.columns, special);
      const percentage = literalFractions(resolveExpr(ctx, args[1], rel.columns, special));
      if (percentage === undefined) throw errorAt(ctx, args[1], `the percentage of ${call.fn} must be a literal between 0 and 1, or array(…) of them`);
      const accuracyNode = args[2] === undefined ? undefined : resolveExpr(ctx, args[2], rel.columns, special);
      if (accuracyNode && (accuracyNode.kind !== 'lit' || typeof accuracyNode.value !== 'number')) throw errorAt(ctx, args[2], `the accuracy of ${call.fn} must be a literal whole number`);
      const accuracy = accuracyNode ? (accuracyNode as { value: number }).value : undefined;
      addAggregation(call, { fn, column: columnFor(arg, 'arg'), arg, percentage, accuracy });
      continue;
    }
    if (args.length !== 1) throw errorAt(ctx, call, `${call.fn} takes one argument, got ${args.length}`);
    let arg = resolveExpr(ctx, args[0], rel.columns, special);
    if (BOOLEAN_AGGREGATES.has(call.fn)) arg = { kind: 'cast', expr: arg, to: 'bool' };
    // count_if(p) counts the rows where p is true: count(CASE WHEN p THEN 1 END).
    if (call.fn === 'count_if') arg = { kind: 'case', branches: [{ when: { kind: 'cast', expr: arg, to: 'bool' }, then: { kind: 'lit', value: 1 } }] };
    addAggregation(call, { fn: fnUsed, column: columnFor(arg, 'arg'), arg });
  }

  function addAggregation(
    call: SqlCallNode,
    a: { fn: Aggregation['fn']; column?: string; arg?: ExprNode; by?: string; byExpr?: ExprNode; percentage?: number | number[]; accuracy?: number },
  ) {
    const key = JSON.stringify([a.fn, a.arg ?? null, a.byExpr ?? null, a.percentage ?? null, a.accuracy ?? null]);
    let name = byKey.get(key);
    if (!name) {
      name = ctx.fresh('agg');
      byKey.set(key, name);
      const aggregation: Aggregation = { name, fn: a.fn };
      if (a.column !== undefined) aggregation.column = a.column;
      if (a.by !== undefined) aggregation.by = a.by;
      if (a.percentage !== undefined) aggregation.percentage = a.percentage;
      if (a.accuracy !== undefined) aggregation.accuracy = a.accuracy;
      aggregations.push(aggregation);
    }
    callExprs.set(call, { kind: 'col', name });
  }

  const input = project(rel.df, computed);
  const uniqueKeys = [...new Set(keyNames)];
  const df = aggregations.length
    ? T.GroupBy.apply({ frame: input, keys: uniqueKeys, aggregations })
    : T.DropDuplicates.apply({ frame: T.SelectFields.apply({ frame: input, paths: uniqueKeys.map(pathOf) }) });
  // Grouped plain columns keep their names (so `t.k` still reads the key).
  const columns = rel.columns.filter((c) => uniqueKeys.includes(c.internal));

  const translate = groupedTranslate(ctx, rel, keyIndex, callExprs, special);
  return { rel: { df, columns }, translate };
}

/**
 * How SELECT, HAVING and ORDER BY read a grouped relation: an aggregate call is its column, an
 * expression equal to a key is the key's column, and any other column is an error.
 */
function groupedTranslate(
  ctx: CompileContext, input: Relation, keyIndex: Map<string, string>, callExprs: Map<SqlCallNode, ExprNode>,
  special: (node: SqlExpr) => ExprNode | undefined,
): (expr: SqlExpr) => ExprNode {
  const translate = (expr: SqlExpr): ExprNode => {
    if (expr.kind === 'sqlCall' && callExprs.has(expr)) return callExprs.get(expr)!;
    const claimed = special(expr);
    if (claimed) return claimed;
    try {
      const key = keyIndex.get(JSON.stringify(resolveExpr(ctx, expr, input.columns, special)));
      if (key) return { kind: 'col', name: key };
    } catch {
      // An expression holding an aggregate does not resolve as a whole; its parts are tried below.
    }
    if (expr.kind === 'col' || (expr.kind === 'field' && expr.expr.kind === 'col')) {
      resolveExpr(ctx, expr, input.columns, special); // a name that does not exist says so first
      const name = expr.kind === 'col' ? expr.name : `${(expr.expr as { name: string }).name}.${expr.name}`;
      throw errorAt(ctx, expr.kind === 'col' ? expr : expr.expr, `column '${name}' must be in GROUP BY or inside an aggregate function`);
    }
    if (expr.kind === 'sqlCall') return resolveExpr(ctx, expr, input.columns, special);
    return mapChildren(expr, translate) as ExprNode;
  };
  return translate;
}

/**
 * grouping_id(k1, …, kn) (no arguments: every GROUP BY key, in order): grouping(k1) as the high
 * bit down to grouping(kn) as the low one, as in Spark.
 */
function groupingId(ctx: CompileContext, call: SqlCallNode, keys: string[], groupingNames: Map<string, string>): ExprNode {
  let id: ExprNode = { kind: 'lit', value: 0 };
  keys.forEach((k, i) => {
    const name = groupingNames.get(k);
    if (!name) throw errorAt(ctx, call, `grouping_id(…) takes columns of the GROUP BY; argument ${i + 1} is none`);
    const bit: ExprNode = { kind: 'arith', op: '*', left: { kind: 'col', name }, right: { kind: 'lit', value: 2 ** (keys.length - 1 - i) } };
    id = { kind: 'arith', op: '+', left: id, right: bit };
  });
  return id;
}

/**
 * GROUPING SETS / ROLLUP / CUBE: one GroupBy per key set, each projected onto common column
 * names (a key missing from a set is NULL there) and stacked by Union. `grouping(k)` is 1 in the
 * rows of sets without k.
 */
export function compileGroupingSets(
  ctx: CompileContext, rel: Relation, sets: SqlExpr[][], calls: SqlCallNode[], special: (node: SqlExpr) => ExprNode | undefined,
): Grouped {
  const keyOf = (e: SqlExpr) => JSON.stringify(resolveExpr(ctx, e, rel.columns, special));
  const keyNames = new Map<string, string>();
  for (const set of sets) for (const e of set) if (!keyNames.has(keyOf(e))) keyNames.set(keyOf(e), ctx.fresh('gkey'));
  const groupingNames = new Map([...keyNames.keys()].map((k) => [k, ctx.fresh('grouping')]));
  const aggregates = calls.filter((c) => c.fn !== 'grouping' && c.fn !== 'grouping_id');
  // Each set is a GroupBy, which needs an aggregate: count(*) when the query names none.
  const branchCalls = aggregates.length ? aggregates : [{ kind: 'sqlCall', fn: 'count', args: [], distinct: false, star: true, pos: 0 } as SqlCallNode];
  const aggNames = new Map(aggregates.map((c) => [c, ctx.fresh('agg')]));
  let union: DataFrame | undefined;
  for (const set of sets) {
    const grouped = compileAggregate(ctx, rel, set, branchCalls, special);
    const inSet = new Set(set.map(keyOf));
    const computed: Record<string, ExprNode> = {};
    for (const e of set) computed[keyNames.get(keyOf(e))!] = grouped.translate(e);
    for (const [k, name] of groupingNames) computed[name] = { kind: 'lit', value: inSet.has(k) ? 0 : 1 };
    for (const [c, name] of aggNames) computed[name] = grouped.translate(c);
    const branch = project(grouped.rel.df, computed, Object.keys(computed));
    union = union ? T.Union.apply({ frame1: union, frame2: branch }) : branch;
  }
  const callExprs = new Map<SqlCallNode, ExprNode>([...aggNames].map(([c, name]) => [c, { kind: 'col', name } as ExprNode]));
  for (const c of calls) {
    if (c.fn !== 'grouping' && c.fn !== 'grouping_id') continue;
    if (c.fn === 'grouping_id') {
      callExprs.set(c, groupingId(ctx, c, c.args.length ? c.args.map(keyOf) : [...keyNames.keys()], groupingNames));
      continue;
    }
    const name = c.args.length === 1 ? groupingNames.get(keyOf(c.args[0])) : undefined;
    if (!name) throw errorAt(ctx, c, 'grouping(…) takes one column of the GROUP BY');
    callExprs.set(c, { kind: 'col', name });
  }
  const keyIndex = new Map(keyNames);
  // Plain grouped columns keep their SQL names (so `t.k` reads the key column).
  const columns = rel.columns.flatMap((c) => {
    const name = keyNames.get(JSON.stringify({ kind: 'col', name: c.internal }));
    return name ? [{ ...c, internal: name }] : [];
  });
  const out: Relation = { df: union!, columns };
  return { rel: out, translate: groupedTranslate(ctx, rel, keyIndex, callExprs, special) };
}
