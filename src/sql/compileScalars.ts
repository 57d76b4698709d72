import type { ExprNode } from '../expr/ast.js';
import type { ScalarQueryNode, SelectItem, SelectQuery, SqlExpr } from './ast.js';
import { isAggregateCall } from './compileAggregate.js';
import { compileFrom, joinRelations } from './compileJoin.js';
import { andAll, conjuncts, findNodes } from './exprWalk.js';
import { errorAt, isUnresolved, project, resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/**
 * Scalar subqueries, each joined on and read as a column. An uncorrelated one is a LEFT JOIN on a
 * constant (no rows means NULL). A correlated one (`(SELECT avg(x) FROM t t2 WHERE t2.k = t1.k)`)
 * is decorrelated as Spark does: the subquery grouped by its correlation keys, LEFT JOINed on them.
 */
export async function hoistScalars(ctx: CompileContext, rel: Relation, exprs: SqlExpr[], scalars: Map<ScalarQueryNode, string>) {
  const isScalar = (n: SqlExpr): n is ScalarQueryNode => n.kind === 'scalarQuery';
  for (const node of exprs.flatMap((e) => findNodes(e, isScalar))) {
    if (scalars.has(node)) continue;
    let compiled: Relation;
    try {
      compiled = await ctx.compile(node.query);
    } catch (error) {
      if (!isUnresolved(error)) throw error;
      const correlated = await correlatedScalar(ctx, rel, node, error);
      rel = correlated.rel;
      scalars.set(node, correlated.column);
      continue;
    }
    const joined = await joinScalar(ctx, rel, compiled, node);
    rel = joined.rel;
    scalars.set(node, joined.column);
  }
  return { rel, scalars };
}

/** An uncorrelated one-column subquery, LEFT JOINed on a constant: its column, out of scope, under a fresh name. */
async function joinScalar(ctx: CompileContext, rel: Relation, compiled: Relation, node: ScalarQueryNode): Promise<{ rel: Relation; column: string }> {
  if (compiled.columns.length !== 1) throw errorAt(ctx, node.pos, `a scalar subquery must return one column, this one returns ${compiled.columns.length}`);
  // Under a fresh name: the column stays in the frame, out of scope, and must clash with nothing.
  const name = ctx.fresh('scalar');
  const sub: Relation = { df: project(compiled.df, { [name]: { kind: 'col', name: compiled.columns[0].internal } }, [name]), columns: [{ name, internal: name }] };
  const before = rel.columns.length;
  const joined = await joinRelations(ctx, rel, sub, 'left', undefined, undefined, node.pos);
  return { rel: { df: joined.df, columns: rel.columns }, column: joined.columns[before].internal };
}

/** Aggregates whose value over no rows is not NULL (0, []): a key with no inner rows must get it, not NULL (the "count bug"). */
const NOT_NULL_ON_EMPTY = new Set(['count', 'count_if', 'approx_count_distinct', 'collect_list', 'collect_set', 'array_agg']);

const SHAPE = 'a correlated scalar subquery must be SELECT <one aggregate expression> FROM … WHERE …, correlated by equalities inner = outer in its WHERE (no GROUP BY, HAVING, LIMIT, DISTINCT or WITH)';

/**
 * `(SELECT agg(…) FROM inner WHERE inner.k = outer.k AND <inner-only conditions>)` as
 * `outer LEFT JOIN (SELECT inner.k, agg(…) FROM inner WHERE <inner-only> GROUP BY inner.k) ON outer.k = k`.
 * An outer key with no inner rows reads the aggregate's value over no rows (count → 0), taken
 * from the same subquery over an empty input, as Spark does.
 */
async function correlatedScalar(ctx: CompileContext, outer: Relation, node: ScalarQueryNode, nameError: unknown): Promise<{ rel: Relation; column: string }> {
  const q = node.query;
  if (q.kind !== 'select' || !q.from) throw nameError;
  const inner = await compileFrom(ctx, q.from);
  const local: SqlExpr[] = [];
  const pairs: { outer: SqlExpr; inner: SqlExpr }[] = [];
  for (const part of q.where ? conjuncts(q.where) : []) {
    if (resolves(ctx, part, inner.columns)) { local.push(part); continue; }
    if (part.kind === 'compare' && part.op === '=') {
      if (resolves(ctx, part.left, inner.columns) && resolves(ctx, part.right, outer.columns)) { pairs.push({ inner: part.left, outer: part.right }); continue; }
      if (resolves(ctx, part.right, inner.columns) && resolves(ctx, part.left, outer.columns)) { pairs.push({ inner: part.right, outer: part.left }); continue; }
    }
    if (!resolves(ctx, part, [...inner.columns, ...outer.columns])) throw nameError;
    throw errorAt(ctx, firstColumn(part) ?? node.pos, `${SHAPE}; this condition names outer columns but is not such an equality`);
  }
  if (pairs.length === 0) throw nameError;
  if (q.groupBy || q.having || q.distinct || q.limit !== undefined || q.ctes?.length) throw errorAt(ctx, node.pos, SHAPE);
  const item = q.items[0];
  if (q.items.length !== 1 || item.kind !== 'expr') throw errorAt(ctx, node.pos, `a scalar subquery must return one column; ${SHAPE}`);
  if (findNodes(item.expr, isAggregateCall).length === 0) throw errorAt(ctx, item.pos, `a correlated scalar subquery must be aggregated (as in Spark): one row per outer row is only sure with an aggregate; ${SHAPE}`);

  const keyNames = pairs.map(() => ctx.fresh('corrkey'));
  const value = ctx.fresh('scalar');
  const present = ctx.fresh('present');
  const itemOf = (expr: SqlExpr, alias: string): SelectItem => ({ kind: 'expr', expr, alias, text: alias, pos: node.pos });
  const grouped: SelectQuery = {
    kind: 'select', distinct: false, from: q.from,
    items: [...pairs.map((p, i) => itemOf(p.inner, keyNames[i])), itemOf(item.expr, value), itemOf({ kind: 'lit', value: true }, present)],
    groupBy: pairs.map((p) => p.inner),
    ...(local.length ? { where: andAll(local as ExprNode[])! } : {}),
  };
  const groupedRel = await ctx.compile(grouped);
  const qualifier = ctx.fresh('correlated');
  const right: Relation = { df: groupedRel.df, columns: groupedRel.columns.map((c) => ({ ...c, qualifier, qualifiedOnly: true })) };
  const on = andAll(pairs.map((p, i): ExprNode => ({
    kind: 'compare', op: '=', left: p.outer as ExprNode, right: { kind: 'field', expr: { kind: 'col', name: qualifier }, name: keyNames[i] },
  })))!;
  const joined = await joinRelations(ctx, outer, right, 'left', on, undefined, node.pos);
  const internal = (name: string) => joined.columns.find((c) => c.qualifier === qualifier && c.name === name)!.internal;
  let rel: Relation = { df: joined.df, columns: outer.columns };
  const expr = item.expr;
  if (expr.kind === 'sqlCall' && !NOT_NULL_ON_EMPTY.has(expr.fn)) return { rel, column: internal(value) };

  // The value over no rows: the subquery with a WHERE that keeps nothing, joined on as a constant.
  const empty = await joinScalar(ctx, rel, await ctx.compile({ kind: 'select', distinct: false, from: q.from, items: [item], where: { kind: 'lit', value: false } }), node);
  rel = empty.rel;
  const column = ctx.fresh('scalar');
  const chosen: ExprNode = {
    kind: 'case',
    branches: [{ when: { kind: 'isNull', expr: { kind: 'col', name: internal(present) }, negated: false }, then: { kind: 'col', name: empty.column } }],
    otherwise: { kind: 'col', name: internal(value) },
  };
  return { rel: { df: project(rel.df, { [column]: chosen }), columns: rel.columns }, column };
}

function resolves(ctx: CompileContext, expr: SqlExpr, columns: readonly ScopeColumn[]): boolean {
  try {
    resolveExpr(ctx, expr, columns);
    return true;
  } catch (error) {
    if (isUnresolved(error)) return false;
    throw error;
  }
}

/** The first column reference of an expression (its place in the text is known), for an error that points into it. */
function firstColumn(expr: SqlExpr): object | undefined {
  return findNodes(expr, (n): n is ExprNode & { kind: 'col' } => n.kind === 'col')[0];
}
