import type { ExprNode } from '../expr/ast.js';
import { DataFrame } from '../frame/DataFrame.js';
import * as T from '../../transforms/index.js';
import type { SortKey } from '../../transforms/index.js';
import type { OrderItem, Query, ScalarQueryNode, SelectQuery, SqlCallNode, SqlExpr } from './ast.js';
import { compileAggregate, compileGroupingSets, isAggregateCall } from './compileAggregate.js';
import { compileFrom } from './compileJoin.js';
import { hoistScalars } from './compileScalars.js';
import { hoistPredicates } from './compileSubqueryPredicates.js';
import { withSelectGenerators } from './selectGenerators.js';
import { applyWhere } from './compileWhere.js';
import { compileSetOp } from './compileSetOp.js';
import { compileWindows, isWindowCall } from './compileWindow.js';
import { findNodes, mapChildren } from './exprWalk.js';
import { errorAt, lookupColumn, project, resolveExpr, type CompileContext, type Relation } from './Relation.js';

/**
 * A query as a relation whose frame holds exactly its output columns, named as SQL names them.
 * WITH queries are compiled once and shared by every reference.
 */
export async function compileQuery(ctx: CompileContext, query: Query): Promise<Relation> {
  if (query.ctes?.length) ctx = withCtes(ctx, query);
  if (query.kind === 'select') return compileSelect(ctx, query);
  return compileSetOp(ctx, query, compileQuery);
}

function withCtes(ctx: CompileContext, query: Query): CompileContext {
  let scoped: CompileContext = ctx;
  for (const cte of query.ctes ?? []) {
    const outer = scoped;
    let compiled: Promise<Relation> | undefined;
    const name = cte.name.toLowerCase();
    const next: CompileContext = {
      ...outer,
      table: (parts, pos) => {
        if (parts.length === 1 && parts[0].toLowerCase() === name) return (compiled ??= compileQuery(outer, cte.query));
        return outer.table(parts, pos);
      },
      compile: (q) => compileQuery(next, q),
    };
    scoped = next;
  }
  return scoped;
}

async function compileSelect(ctx: CompileContext, q: SelectQuery): Promise<Relation> {
  q = withSelectGenerators(ctx, q);
  let rel = q.from ? await compileFrom(ctx, q.from) : oneRow(ctx);
  if (q.where) rel = await applyWhere(ctx, rel, q.where);

  const clauses: SqlExpr[] = [
    ...q.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])),
    ...(q.having ? [q.having] : []),
    ...(q.orderBy ?? []).map((o) => o.expr),
  ];
  const calls = clauses.flatMap((e) => findNodes(e, isAggregateCall));
  const grouped = q.groupBy !== undefined || calls.length > 0;

  let translate: (e: SqlExpr) => ExprNode;
  let scalars = new Map<ScalarQueryNode, string>();
  let windowNames = new Map<SqlCallNode, ExprNode>();
  let predicates = new Map<SqlExpr, ExprNode>();
  // Subqueries and window calls, once computed into columns, are read as those columns wherever they sit.
  const special = (node: SqlExpr): ExprNode | undefined => {
    if (node.kind === 'scalarQuery' && scalars.has(node)) return { kind: 'col', name: scalars.get(node)! };
    if (predicates.has(node)) return predicates.get(node);
    if (node.kind === 'sqlCall' && windowNames.has(node)) return windowNames.get(node)!;
    return undefined;
  };
  const inputColumns = rel.columns;
  if (grouped) {
    const groupBy = (q.groupBy ?? []).map((g) => groupByTarget(ctx, g, q, rel));
    const agg = q.groupingSets
      ? compileGroupingSets(ctx, rel, q.groupingSets.map((set) => set.map((g) => groupByTarget(ctx, g, q, rel))), calls, special)
      : compileAggregate(ctx, rel, groupBy, calls, special);
    rel = agg.rel;
    translate = agg.translate;
  } else translate = (e) => resolveExpr(ctx, e, rel.columns, special);

  // Scalar subqueries of SELECT, HAVING and ORDER BY: joined on after grouping.
  ({ rel, scalars } = await hoistScalars(ctx, rel, clauses, scalars));
  // IN (SELECT …) and EXISTS as values (`SELECT x IN (SELECT …) AS flag`): marked by a join.
  ({ rel, found: predicates } = await hoistPredicates(ctx, rel, clauses, predicates));

  if (q.having) {
    if (!grouped) throw errorAt(ctx, q.having as object, 'HAVING needs GROUP BY or an aggregate');
    rel = { ...rel, df: T.Filter.apply({ frame: rel.df, f: translate(withSelectAliases(q.having, q, inputColumns)) }) };
  }

  const windows = clauses.flatMap((e) => findNodes(e, isWindowCall));
  if (windows.length) {
    const computed = compileWindows(ctx, rel, windows, translate);
    rel = computed.rel;
    windowNames = computed.names;
  }

  // The SELECT list.
  const outputs: { name: string; expr: ExprNode }[] = [];
  const taken = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${name}_${i}`;
    taken.add(n.toLowerCase());
    return n;
  };
  for (const item of q.items) {
    if (item.kind === 'star') {
      const cols = rel.columns.filter((c) => (item.qualifier === undefined ? !c.starHidden : c.qualifier?.toLowerCase() === item.qualifier.toLowerCase()));
      if (item.qualifier !== undefined && cols.length === 0) throw errorAt(ctx, item.pos, `'${item.qualifier}.*' names no table of the FROM clause`);
      for (const c of cols) outputs.push({ name: unique(c.name), expr: { kind: 'col', name: c.internal } });
      continue;
    }
    if (item.aliases) throw errorAt(ctx, item.pos, 'AS (a, b, …) names the columns of a generator (explode, posexplode); give one alias here');
    outputs.push({ name: unique(item.alias ?? displayName(item.expr, item.text, rel)), expr: translate(item.expr) });
  }

  // ORDER BY: an output (by name or position), else an expression over the input.
  const sortKeys: SortKey[] = [];
  const orderComputed: Record<string, ExprNode> = {};
  for (const o of q.orderBy ?? []) {
    const output = orderOutput(ctx, o, outputs, q);
    let column = output?.name;
    if (!column) {
      const e = translate(o.expr);
      const same = outputs.find((x) => JSON.stringify(x.expr) === JSON.stringify(e));
      if (same) column = same.name;
      else if (q.distinct) throw errorAt(ctx, o.pos, 'with SELECT DISTINCT, ORDER BY can only name columns of the SELECT list');
      else orderComputed[column = ctx.fresh('order')] = e;
    }
    sortKeys.push({ column, ...(o.descending ? { descending: true } : {}), ...(o.nullsFirst !== undefined ? { nullsFirst: o.nullsFirst } : {}) });
  }

  const names = outputs.map((o) => o.name);
  const computed = Object.fromEntries(outputs.map((o) => [o.name, o.expr]));
  let df: DataFrame;
  if (q.distinct) {
    df = T.DropDuplicates.apply({ frame: project(rel.df, computed, names) });
    if (sortKeys.length) df = T.OrderBy.apply({ frame: df, keys: sortKeys });
  } else if (sortKeys.length) {
    df = T.OrderBy.apply({ frame: project(rel.df, { ...computed, ...orderComputed }), keys: sortKeys });
    df = project(df, {}, names);
  } else df = project(rel.df, computed, names);
  if (q.limit !== undefined) df = df.limit(q.limit);
  return { df, columns: names.map((name) => ({ name, internal: name })) };
}

/** HAVING total > 10 where `total` is a SELECT alias and no input column: the aliased expression (Spark resolves it so). */
function withSelectAliases(expr: SqlExpr, q: SelectQuery, columns: Relation['columns']): SqlExpr {
  if (expr.kind === 'col' && lookupColumn(columns, expr.name).length === 0) {
    const item = q.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === expr.name.toLowerCase());
    if (item && item.kind === 'expr') return item.expr;
  }
  return mapChildren(expr, (child) => withSelectAliases(child, q, columns) as ExprNode);
}

/** GROUP BY 1 (a position) and GROUP BY alias (a SELECT alias that is not a column) name SELECT items, as in Spark. */
function groupByTarget(ctx: CompileContext, g: SqlExpr, q: SelectQuery, rel: Relation): SqlExpr {
  if (g.kind === 'lit' && typeof g.value === 'number' && Number.isInteger(g.value)) {
    const item = q.items[g.value - 1];
    if (!item || item.kind !== 'expr') throw errorAt(ctx, g, `GROUP BY ${g.value} names no expression of the SELECT list`);
    return item.expr;
  }
  if (g.kind === 'col' && lookupColumn(rel.columns, g.name).length === 0) {
    const item = q.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === g.name.toLowerCase());
    if (item && item.kind === 'expr') return item.expr;
  }
  return g;
}

function orderOutput(ctx: CompileContext, o: OrderItem, outputs: { name: string }[], q: SelectQuery): { name: string } | undefined {
  const e = o.expr;
  if (e.kind === 'lit' && typeof e.value === 'number' && Number.isInteger(e.value)) {
    const out = outputs[e.value - 1];
    if (!out) throw errorAt(ctx, o.pos, `ORDER BY ${e.value} is past the ${outputs.length} columns of the SELECT list`);
    return out;
  }
  if (e.kind === 'col') {
    // An alias wins over an input column of the same name, as in Spark.
    const alias = q.items.find((i) => i.kind === 'expr' && i.alias?.toLowerCase() === e.name.toLowerCase());
    if (alias) return outputs.find((x) => x.name.toLowerCase() === e.name.toLowerCase());
  }
  return undefined;
}

/** A SELECT item's column name without an alias: the column's own name, else the expression's text (count(*) is count(1), as in Spark). */
function displayName(expr: SqlExpr, text: string, rel: Relation): string {
  if (expr.kind === 'col') return lookupColumn(rel.columns, expr.name)[0]?.name ?? expr.name;
  if (expr.kind === 'field' && expr.expr.kind === 'col') return lookupColumn(rel.columns, expr.name, expr.expr.name)[0]?.name ?? expr.name;
  if (expr.kind === 'sqlCall' && expr.star) return `${expr.fn}(1)`;
  return text.replace(/\s+/g, ' ');
}


/** The one row of a SELECT without FROM; its column is out of scope, under a name nothing else has. */
function oneRow(ctx: CompileContext): Relation {
  return { df: DataFrame.fromColumns({ [ctx.fresh('one')]: [1] }), columns: [] };
}
