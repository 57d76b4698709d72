import type { ExprNode } from '../expr/ast.js';
import { computedColumns } from './computedColumns.js';
import { GROUP_BY_FNS } from './compileAggregate.js';
import { literalFractions } from '../expr/aggregates.js';
import type { AggregateFn } from '../../transforms/aggregate/Accumulator.js';
import * as T from '../../transforms/index.js';
import type { SortKey, WindowFunction, WindowFn } from '../../transforms/index.js';
import type { SqlCallNode, SqlExpr } from './ast.js';
import { errorAt, project, type CompileContext, type Relation } from './Relation.js';

export function isWindowCall(node: SqlExpr): node is SqlCallNode {
  return node.kind === 'sqlCall' && node.over !== undefined;
}

/** SQL name → the Window transform's function. */
const WINDOW_FN: Record<string, WindowFn> = {
  row_number: 'row_number', rank: 'rank', dense_rank: 'dense_rank', percent_rank: 'percent_rank', cume_dist: 'cume_dist',
  ntile: 'ntile', lag: 'lag', lead: 'lead', first_value: 'first_value', last_value: 'last_value', first: 'first_value',
  last: 'last_value', count: 'count', sum: 'sum', avg: 'avg', mean: 'avg', min: 'min', max: 'max',
};

/** SQL aggregates a window computes over its frame through the GroupBy accumulators (fn 'aggregate'). */
const FRAME_AGGREGATES = new Set([
  'variance', 'var_samp', 'var_pop', 'stddev', 'stddev_samp', 'stddev_pop', 'approx_count_distinct', 'any_value',
  'collect_list', 'array_agg', 'collect_set', 'percentile_approx', 'approx_percentile', 'percentile', 'max_by', 'min_by',
]);

/** The column (and max_by's ordering column, a percentile's fractions) of a frame aggregate's call. */
function aggregateArgs(
  ctx: CompileContext, call: SqlCallNode, aggregate: AggregateFn, translate: (e: SqlExpr) => ExprNode, columnOf: (e: SqlExpr) => string,
): Pick<WindowFunction, 'column' | 'by' | 'percentage' | 'accuracy'> {
  const args = call.fn === 'approx_count_distinct' ? call.args.slice(0, 1) : call.args;
  if (aggregate === 'maxBy' || aggregate === 'minBy') {
    if (args.length !== 2) throw errorAt(ctx, call, `${call.fn} takes two arguments (the value, the column to order by), got ${args.length}`);
    return { column: columnOf(args[0]), by: columnOf(args[1]) };
  }
  if (aggregate === 'percentile' || aggregate === 'percentileApprox') {
    const percentage = args[1] === undefined ? undefined : literalFractions(translate(args[1]));
    if (args.length < 2 || percentage === undefined) throw errorAt(ctx, call, `${call.fn} OVER (…) takes the column and a literal percentage (or array(…) of them)`);
    const accuracyNode = args[2] === undefined ? undefined : translate(args[2]);
    const accuracy = accuracyNode?.kind === 'lit' && typeof accuracyNode.value === 'number' ? { accuracy: accuracyNode.value } : {};
    return { column: columnOf(args[0]), percentage, ...accuracy };
  }
  if (args.length !== 1) throw errorAt(ctx, call, `${call.fn} takes one argument, got ${args.length}`);
  return { column: columnOf(args[0]) };
}

/** Functions whose result does not depend on a frame (Spark ignores one given to them). */
const FRAMELESS = new Set<WindowFn>(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead']);

/**
 * Window calls as Window transforms, one per distinct OVER (…): partition, order and argument
 * expressions are computed into columns first, then each call reads its result column.
 * lag/lead with a default become CASE WHEN <in range> THEN lag(…) ELSE default END.
 */
export function compileWindows(
  ctx: CompileContext, rel: Relation, calls: SqlCallNode[], translate: (e: SqlExpr) => ExprNode,
): { rel: Relation; names: Map<SqlCallNode, ExprNode> } {
  const results = new Map<SqlCallNode, ExprNode>();
  const groups = new Map<string, { partitionBy: string[]; orderBy: SortKey[]; functions: WindowFunction[] }>();
  const { computed, columnFor } = computedColumns(ctx);
  for (const call of calls) {
    const over = call.over!;
    // A window function, else any GroupBy aggregate over the frame (collect_list, stddev, max_by…).
    const aggregate = WINDOW_FN[call.fn] ? undefined : FRAME_AGGREGATES.has(call.fn) ? GROUP_BY_FNS[call.fn] : undefined;
    const fn: WindowFn | undefined = aggregate ? 'aggregate' : WINDOW_FN[call.fn];
    if (!fn) throw errorAt(ctx, call, `${call.fn}(…) OVER (…) is not supported yet; window functions: ${[...Object.keys(WINDOW_FN), ...FRAME_AGGREGATES].join(', ')}`);
    if (call.distinct) throw errorAt(ctx, call, `${call.fn}(DISTINCT …) OVER (…) is not supported`);
    const partitionBy = over.partitionBy.map((p) => columnFor(translate(p), 'part'));
    const orderBy = over.orderBy.map((o): SortKey => ({
      column: columnFor(translate(o.expr), 'sort'),
      ...(o.descending ? { descending: true } : {}),
      ...(o.nullsFirst !== undefined ? { nullsFirst: o.nullsFirst } : {}),
    }));
    if (['rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'row_number'].includes(fn) && orderBy.length === 0) {
      throw errorAt(ctx, call, `${call.fn}() needs ORDER BY in its window`);
    }
    const key = JSON.stringify([partitionBy, orderBy]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { partitionBy, orderBy, functions: [] }));
    const add = (f: Omit<WindowFunction, 'name'>): ExprNode => {
      const name = ctx.fresh(f.fn);
      group!.functions.push({ name, ...f });
      return { kind: 'col', name };
    };
    const frame = !FRAMELESS.has(fn) && over.frame ? { frame: over.frame } : {};
    const intArg = (i: number, fallback: number) => {
      const a = call.args[i];
      if (a === undefined) return fallback;
      if (a.kind !== 'lit' || typeof a.value !== 'number' || !Number.isInteger(a.value) || a.value < 0) throw errorAt(ctx, call, `argument ${i + 1} of ${call.fn} must be a whole number`);
      return a.value;
    };
    if (fn === 'ntile') {
      results.set(call, add({ fn, n: intArg(0, 1) }));
    } else if (fn === 'lag' || fn === 'lead') {
      if (call.args.length < 1 || call.args.length > 3) throw errorAt(ctx, call, `${call.fn} takes (column[, offset[, default]])`);
      const k = intArg(1, 1);
      const value = add({ fn, column: columnFor(translate(call.args[0]), 'arg'), n: k });
      if (call.args.length < 3) { results.set(call, value); continue; }
      const rn = add({ fn: 'row_number' });
      const inRange: ExprNode = fn === 'lag'
        ? { kind: 'compare', op: '>', left: rn, right: { kind: 'lit', value: k } }
        : { kind: 'compare', op: '<=', left: { kind: 'arith', op: '+', left: rn, right: { kind: 'lit', value: k } }, right: add({ fn: 'count', frame: { unit: 'rows', start: null, end: null } }) };
      results.set(call, { kind: 'case', branches: [{ when: inRange, then: value }], otherwise: translate(call.args[2]) });
    } else if (aggregate) {
      results.set(call, add({ fn, aggregate, ...aggregateArgs(ctx, call, aggregate, translate, (e) => columnFor(translate(e), 'arg')), ...frame }));
    } else if (fn === 'count' && (call.star || (call.args.length === 1 && call.args[0].kind === 'lit' && call.args[0].value !== null))) {
      results.set(call, add({ fn, ...frame }));
    } else if (['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist'].includes(fn)) {
      if (call.args.length) throw errorAt(ctx, call, `${call.fn}() takes no arguments`);
      results.set(call, add({ fn }));
    } else {
      if (call.args.length < 1) throw errorAt(ctx, call, `${call.fn} needs a column`);
      results.set(call, add({ fn, column: columnFor(translate(call.args[0]), 'arg'), ...frame }));
    }
  }
  let df = project(rel.df, computed);
  for (const g of groups.values()) df = T.Window.apply({ frame: df, partitionBy: g.partitionBy, orderBy: g.orderBy, functions: g.functions });
  return { rel: { df, columns: rel.columns }, names: results };
}
