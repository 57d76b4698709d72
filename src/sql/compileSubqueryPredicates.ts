import type { ExprNode } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { ExistsNode, InQueryNode, SqlExpr } from './ast.js';
import { joinRelations } from './compileJoin.js';
import { correlate } from './correlate.js';
import { andAll, findNodes } from './exprWalk.js';
import { resolveExpr, type CompileContext, type Relation } from './Relation.js';

type Predicate = ExistsNode | InQueryNode;
const isPredicate = (n: SqlExpr): n is Predicate => n.kind === 'exists' || n.kind === 'inQuery';
const col = (name: string): ExprNode => ({ kind: 'col', name });

/**
 * `EXISTS (…)` and `x IN (SELECT …)` inside an expression (under OR, NOT, CASE — the AND-ed ones
 * at the top of WHERE are semi/anti joins instead) as boolean columns: the subquery's distinct
 * keys are LEFT JOINed on, and a match marks the row (a "mark join"). IN keeps SQL's three-valued
 * answer: NULL when there is no match but x is NULL or the subquery holds a NULL (and is not empty).
 * Returns the relation with those columns (out of scope) and, per node, the expression to read.
 */
export async function hoistPredicates(ctx: CompileContext, rel: Relation, exprs: SqlExpr[], found: Map<SqlExpr, ExprNode>) {
  for (const node of exprs.flatMap((e) => findNodes(e, isPredicate))) {
    if (found.has(node)) continue;
    const tested = node.kind === 'inQuery' ? node.expr : undefined;
    const { inner, pairs } = await correlate(ctx, rel, node.query, tested, node.pos);
    const correlation = tested ? pairs.slice(0, -1) : pairs;
    if (!tested) {
      const marked = await markJoin(ctx, rel, inner, correlation, node.pos);
      rel = marked.rel;
      found.set(node, correlation.length ? { kind: 'isNull', expr: col(marked.count), negated: true } : { kind: 'compare', op: '>', left: col(marked.count), right: { kind: 'lit', value: 0 } });
      continue;
    }
    // x IN (…): matched on (correlation, x = y); the rows and non-NULL values per correlation decide the rest.
    const matched = await markJoin(ctx, rel, inner, pairs, node.pos);
    const [x, y] = pairs[pairs.length - 1];
    const stats = await markJoin(ctx, matched.rel, inner, correlation, node.pos, resolveExpr(ctx, y, inner.columns));
    rel = stats.rel;
    const xResolved = resolveExpr(ctx, x, rel.columns);
    const rows: ExprNode = { kind: 'call', fn: 'coalesce', args: [col(stats.count), { kind: 'lit', value: 0 }] };
    const value: ExprNode = {
      kind: 'case',
      branches: [
        { when: { kind: 'isNull', expr: col(matched.count), negated: true }, then: { kind: 'lit', value: true } },
        { when: { kind: 'compare', op: '=', left: rows, right: { kind: 'lit', value: 0 } }, then: { kind: 'lit', value: false } },
        {
          when: { kind: 'logic', op: 'or', left: { kind: 'isNull', expr: xResolved, negated: false }, right: { kind: 'compare', op: '<', left: col(stats.values!), right: col(stats.count) } },
          then: { kind: 'cast', expr: { kind: 'lit', value: null }, to: 'boolean' },
        },
      ],
      otherwise: { kind: 'lit', value: false },
    };
    found.set(node, (node as InQueryNode).negated ? { kind: 'not', expr: value } : value);
  }
  return { rel, found };
}

/**
 * LEFT JOINs the inner rows, grouped by the inner side of `pairs`, on the outer side: a count of
 * the rows per key (NULL where no key matched), and with `valuesOf`, a count of its non-NULL values.
 */
async function markJoin(ctx: CompileContext, outer: Relation, inner: Relation, pairs: [SqlExpr, SqlExpr][], pos: number, valuesOf?: ExprNode) {
  const keys = pairs.map(() => ctx.fresh('markkey'));
  const computed: Record<string, ExprNode> = Object.fromEntries(pairs.map(([, i], k) => [keys[k], resolveExpr(ctx, i, inner.columns)]));
  const value = valuesOf ? ctx.fresh('markvalue') : undefined;
  if (value) computed[value] = valuesOf!;
  const count = ctx.fresh('mark');
  const values = value ? ctx.fresh('values') : undefined;
  const grouped = T.GroupBy.apply({
    frame: T.WithColumns.apply({ frame: inner.df, columns: computed }),
    keys,
    aggregations: [{ name: count, fn: 'count' }, ...(value ? [{ name: values!, fn: 'count' as const, column: value }] : [])],
  });
  const qualifier = ctx.fresh('marked');
  const names = [...keys, count, ...(values ? [values] : [])];
  const right: Relation = { df: grouped, columns: names.map((name) => ({ qualifier, name, internal: name, qualifiedOnly: true })) };
  const on = andAll(pairs.map(([o], k): ExprNode => ({ kind: 'compare', op: '=', left: o as ExprNode, right: { kind: 'field', expr: { kind: 'col', name: qualifier }, name: keys[k] } })));
  const joined = await joinRelations(ctx, outer, right, pairs.length ? 'left' : 'cross', on, undefined, pos);
  const internal = (name: string) => joined.columns.find((c) => c.qualifier === qualifier && c.name === name)!.internal;
  return { rel: { df: joined.df, columns: outer.columns }, count: internal(count), values: values ? internal(values) : undefined };
}
