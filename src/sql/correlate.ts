import type { ExprNode } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { Query, SqlExpr } from './ast.js';
import { compileFrom } from './compileJoin.js';
import { andAll, conjuncts } from './exprWalk.js';
import { errorAt, isUnresolved, resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/** A subquery of IN or EXISTS split for a join: its rows, and the pairs [outer expression, inner expression] that must be equal. */
export interface Correlated {
  inner: Relation;
  pairs: [SqlExpr, SqlExpr][];
}

/**
 * Splits a subquery of IN or EXISTS for a join with the outer rows. A plain SELECT … FROM … WHERE
 * keeps its inner-only conditions as a filter; its conditions that name outer columns (the
 * correlation) must be equalities inner = outer and become join pairs. For IN, the tested
 * expression pairs with the subquery's one column. Any other query is compiled as it is.
 */
export async function correlate(ctx: CompileContext, outer: Relation, query: Query, tested: SqlExpr | undefined, pos: number): Promise<Correlated> {
  const simple = query.kind === 'select' && !query.groupBy && !query.having && query.limit === undefined && !query.ctes && !query.distinct && query.from;
  const pairs: [SqlExpr, SqlExpr][] = [];
  let inner: Relation;
  if (simple && query.kind === 'select') {
    inner = await compileFrom(ctx, query.from!);
    const local: ExprNode[] = [];
    for (const part of query.where ? conjuncts(query.where) : []) {
      const resolved = tryResolve(ctx, part, inner.columns);
      if (resolved) { local.push(resolved); continue; }
      if (part.kind === 'compare' && part.op === '=') {
        if (tryResolve(ctx, part.left, inner.columns) && tryResolve(ctx, part.right, outer.columns)) { pairs.push([part.right, part.left]); continue; }
        if (tryResolve(ctx, part.right, inner.columns) && tryResolve(ctx, part.left, outer.columns)) { pairs.push([part.left, part.right]); continue; }
      }
      resolveExpr(ctx, part, inner.columns); // throws the name error
      throw errorAt(ctx, part as object, 'a condition of a correlated subquery that names outer columns must be an equality inner = outer');
    }
    const f = andAll(local);
    if (f) inner = { ...inner, df: T.Filter.apply({ frame: inner.df, f }) };
    if (tested) {
      const items = query.items;
      if (items.length !== 1 || items[0].kind !== 'expr') throw errorAt(ctx, pos, 'the subquery of IN must select exactly one column');
      pairs.push([tested, items[0].expr]);
    }
  } else {
    inner = await ctx.compile(query);
    if (tested) {
      if (inner.columns.length !== 1) throw errorAt(ctx, pos, `the subquery of IN must return one column, this one returns ${inner.columns.length}`);
      pairs.push([tested, { kind: 'col', name: inner.columns[0].name }]);
    }
  }
  return { inner, pairs };
}

export function tryResolve(ctx: CompileContext, expr: SqlExpr, columns: readonly ScopeColumn[]): ExprNode | undefined {
  try {
    return resolveExpr(ctx, expr, columns);
  } catch (error) {
    if (isUnresolved(error)) return undefined;
    throw error;
  }
}
