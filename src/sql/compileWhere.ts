import type { ExprNode } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { ExistsNode, InQueryNode, Query, ScalarQueryNode, SqlExpr } from './ast.js';
import { andAll, conjuncts } from './exprWalk.js';
import { joinRelations } from './compileJoin.js';
import { correlate } from './correlate.js';
import { hoistPredicates } from './compileSubqueryPredicates.js';
import { hoistScalars } from './compileScalars.js';
import { resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/**
 * WHERE: plain conditions become one Filter; `x IN (SELECT …)` and `[NOT] EXISTS (…)`
 * conditions (AND-ed at the top) become semi and anti joins; scalar subqueries, and IN/EXISTS
 * deeper inside a condition (compileSubqueryPredicates.ts), are joined on first.
 */
export async function applyWhere(ctx: CompileContext, rel: Relation, where: SqlExpr): Promise<Relation> {
  const plain: SqlExpr[] = [];
  const subqueries: (ExistsNode | InQueryNode | { negated: true; inner: ExistsNode })[] = [];
  for (const part of conjuncts(where)) {
    // NOT IN is NULL (the row goes) where the subquery, for that row, yields a NULL: the mark join decides that per row.
    if (part.kind === 'inQuery' && part.negated) plain.push(part);
    else if (part.kind === 'exists' || part.kind === 'inQuery') subqueries.push(part);
    else if (part.kind === 'not' && (part.expr as SqlExpr).kind === 'exists') subqueries.push({ negated: true, inner: part.expr as unknown as ExistsNode });
    else plain.push(part);
  }
  const isScalar = (n: SqlExpr): n is ScalarQueryNode => n.kind === 'scalarQuery';
  const hoisted = await hoistScalars(ctx, rel, plain, new Map());
  const scalars = hoisted.scalars;
  // IN (SELECT …) and EXISTS inside other conditions (under OR, NOT, CASE): marked by a join.
  const marked = await hoistPredicates(ctx, hoisted.rel, plain, new Map());
  const special = (node: SqlExpr): ExprNode | undefined => {
    if (isScalar(node) && scalars.has(node)) return { kind: 'col', name: scalars.get(node)! };
    return marked.found.get(node);
  };
  const condition = andAll(plain.map((p) => resolveExpr(ctx, p, rel.columns, special)));
  let out: Relation = marked.rel;
  if (condition) out = { ...out, df: T.Filter.apply({ frame: out.df, f: condition }) };
  for (const s of subqueries) {
    if ('inner' in s) out = await subqueryJoin(ctx, out, s.inner.query, undefined, true, s.inner.pos);
    else if (s.kind === 'exists') out = await subqueryJoin(ctx, out, s.query, undefined, false, s.pos);
    else out = await subqueryJoin(ctx, out, s.query, s.expr, s.negated, s.pos);
  }
  return out;
}

/**
 * A semi join (anti when negated) of the outer relation with a subquery. Conditions of the
 * subquery's WHERE that name outer columns (correlation) must be equalities; they join the two.
 * For IN, the tested expression equals the subquery's one column.
 */
async function subqueryJoin(ctx: CompileContext, outer: Relation, query: Query, tested: SqlExpr | undefined, negated: boolean, pos: number): Promise<Relation> {
  const how = negated ? 'anti' : 'semi';
  const { inner, pairs } = await correlate(ctx, outer, query, tested, pos);
  // Join on ON-conditions built from the pairs: resolve each side in its own scope.
  const keysOuter = pairs.map(([o]) => resolveExpr(ctx, o, outer.columns));
  const keysInner = pairs.map(([, i]) => resolveExpr(ctx, i, inner.columns));
  const marked = { df: inner.df, columns: inner.columns.map((c, k) => ({ ...c, qualifier: `__inner${k}`, qualifiedOnly: true })) as ScopeColumn[] };
  return joinOnExprs(ctx, outer, marked, keysOuter, keysInner, how, pos);
}

async function joinOnExprs(ctx: CompileContext, outer: Relation, inner: Relation, keysOuter: ExprNode[], keysInner: ExprNode[], how: 'semi' | 'anti', pos: number): Promise<Relation> {
  // Reuse joinRelations with an ON built from already-resolved expressions: wrap them as
  // columns computed on each side.
  const outerComputed: Record<string, ExprNode> = {};
  const innerComputed: Record<string, ExprNode> = {};
  const on: SqlExpr[] = [];
  keysOuter.forEach((k, i) => {
    const a = ctx.fresh('ok');
    const b = ctx.fresh('ik');
    outerComputed[a] = k;
    innerComputed[b] = keysInner[i];
    on.push({ kind: 'compare', op: '=', left: { kind: 'field', expr: { kind: 'col', name: '__outer' }, name: a }, right: { kind: 'field', expr: { kind: 'col', name: '__inner' }, name: b } });
  });
  const o: Relation = {
    df: Object.keys(outerComputed).length ? T.WithColumns.apply({ frame: outer.df, columns: outerComputed }) : outer.df,
    columns: [...outer.columns, ...Object.keys(outerComputed).map((n) => ({ qualifier: '__outer', name: n, internal: n, qualifiedOnly: true, starHidden: true }))],
  };
  const i: Relation = {
    df: Object.keys(innerComputed).length ? T.WithColumns.apply({ frame: inner.df, columns: innerComputed }) : inner.df,
    columns: Object.keys(innerComputed).map((n) => ({ qualifier: '__inner', name: n, internal: n, qualifiedOnly: true })),
  };
  const joined = await joinRelations(ctx, o, i, how, andAll(on as ExprNode[]), undefined, pos);
  return { df: joined.df, columns: outer.columns };
}
