import type { ExprNode } from '../expr/ast.js';
import type { DataFrame } from '../frame/DataFrame.js';
import * as T from '../../transforms/index.js';
import type { Query, SqlExpr } from './ast.js';
import { mapChildren } from './exprWalk.js';
import { SqlSyntaxError } from './SqlSyntaxError.js';

/**
 * A column as SQL sees it: `qualifier.name`, held in the frame as `internal` (names are made
 * unique inside a query, so `a.id` and `b.id` can live side by side after a join).
 * `qualifiedOnly`: reachable as `t.name` only (the two sides of a USING key); `starHidden`: left
 * out of `*` (the same keys, shown once).
 */
export interface ScopeColumn {
  qualifier?: string;
  name: string;
  internal: string;
  qualifiedOnly?: boolean;
  starHidden?: boolean;
}

/** A frame with the SQL names of its columns; the frame may hold more (temporaries), never fewer. */
export interface Relation {
  df: DataFrame;
  columns: ScopeColumn[];
}

/** What compiling one statement needs: the text (for errors), a name source, table lookup. */
export interface CompileContext {
  source: string;
  positions: WeakMap<object, number>;
  /** A frame for a table name (view, CTE, catalog table) or a path, with its column names. */
  table(parts: string[], pos: number): Promise<Relation>;
  path(format: string, path: string): Promise<Relation>;
  /** A name no user column is likely to have, unique within the statement. */
  fresh(prefix?: string): string;
  /** Compiles a nested query (FROM subquery, IN, EXISTS, scalar subquery) with this context's CTEs. */
  compile(query: Query): Promise<Relation>;
}

export class NameError extends Error {}

/** An error at an expression's place in the text. */
export function errorAt(ctx: CompileContext, node: object | number, message: string): SqlSyntaxError {
  const pos = typeof node === 'number' ? node : (ctx.positions.get(node) ?? (node as { pos?: number }).pos ?? 0);
  return SqlSyntaxError.at(ctx.source, pos, message);
}

/** The scope columns a (possibly qualified) name refers to, case-insensitively, as Spark does by default. */
export function lookupColumn(columns: readonly ScopeColumn[], name: string, qualifier?: string): ScopeColumn[] {
  const n = name.toLowerCase();
  if (qualifier === undefined) return columns.filter((c) => !c.qualifiedOnly && c.name.toLowerCase() === n);
  const q = qualifier.toLowerCase();
  return columns.filter((c) => c.qualifier?.toLowerCase() === q && c.name.toLowerCase() === n);
}

/**
 * Rewrites an expression so that its column references name the frame's internal columns.
 * `special` handles SQL-only nodes (aggregates, windows, subqueries) and may claim any node
 * first by returning an expression; `outer` columns resolve names the inner scope lacks.
 */
export function resolveExpr(
  ctx: CompileContext,
  expr: SqlExpr,
  columns: readonly ScopeColumn[],
  special?: (node: SqlExpr) => ExprNode | undefined,
): ExprNode {
  const claimed = special?.(expr);
  if (claimed) return claimed;
  if (expr.kind === 'col') return { kind: 'col', name: pick(ctx, expr, lookupColumn(columns, expr.name), expr.name, columns).internal };
  if (expr.kind === 'field' && expr.expr.kind === 'col') {
    const qualified = lookupColumn(columns, expr.name, expr.expr.name);
    if (qualified.length > 0) return { kind: 'col', name: pick(ctx, expr.expr, qualified, `${expr.expr.name}.${expr.name}`, columns).internal };
  }
  switch (expr.kind) {
    case 'sqlCall': throw errorAt(ctx, expr, `${expr.fn}(…) is an aggregate or window function and cannot be used here`);
    case 'exists': case 'inQuery': throw errorAt(ctx, expr, 'IN (SELECT …) and EXISTS cannot be used here; they can in WHERE, HAVING, ORDER BY and the SELECT list');
    case 'scalarQuery': throw errorAt(ctx, expr, 'a subquery cannot be used here');
  }
  return mapChildren(expr, (child) => resolveExpr(ctx, child, columns, special)) as ExprNode;
}

function pick(ctx: CompileContext, node: object, found: ScopeColumn[], name: string, columns: readonly ScopeColumn[]): ScopeColumn {
  if (found.length === 1) return found[0];
  // One underlying column seen through two names (a USING key and its sides) is not ambiguous.
  if (found.length > 1 && found.every((c) => c.internal === found[0].internal)) return found[0];
  if (found.length > 1) {
    throw errorAt(ctx, node, `column '${name}' is ambiguous: it could be ${found.map((c) => (c.qualifier ? `${c.qualifier}.${c.name}` : c.name)).join(' or ')}; qualify it`);
  }
  const visible = columns.filter((c) => !c.qualifiedOnly).map((c) => (c.qualifier ? `${c.qualifier}.${c.name}` : c.name));
  const error = errorAt(ctx, node, `column '${name}' not found; available: ${visible.join(', ') || '(none)'}`);
  throw Object.assign(error, { unresolved: true });
}

/** True when an error says a name did not resolve (so an outer scope may try it). */
export function isUnresolved(error: unknown): boolean {
  return (error as { unresolved?: boolean })?.unresolved === true;
}

/** A field path naming one top-level column, whatever characters its name holds. */
export function pathOf(name: string): string {
  return /[.`]/.test(name) ? '`' + name.replace(/`/g, '``') + '`' : name;
}

/**
 * Adds columns computed by expressions (`WithColumns`: each sees the input's columns) and keeps
 * exactly `keep`, in that order (`SelectFields`). Skips either step when it would change nothing.
 */
export function project(df: DataFrame, computed: Record<string, ExprNode>, keep?: string[]): DataFrame {
  const work = Object.fromEntries(Object.entries(computed).filter(([name, e]) => !(e.kind === 'col' && e.name === name)));
  let out = Object.keys(work).length ? T.WithColumns.apply({ frame: df, columns: work }) : df;
  if (keep) out = T.SelectFields.apply({ frame: out, paths: keep.map(pathOf) });
  return out;
}
