import { generatorOf } from '../expr/generators.js';
import type { ExprNode } from '../expr/ast.js';
import type { FromItem, SelectQuery, SqlExpr } from './ast.js';
import { findNodes } from './exprWalk.js';
import { errorAt, type CompileContext } from './Relation.js';

const isGenerator = (n: SqlExpr): n is ExprNode & { kind: 'call' } => n.kind === 'call' && generatorOf(n) !== undefined;

/**
 * A generator in the SELECT list (`SELECT k, explode(tags) AS tag FROM t`) is Spark's shorthand
 * for `FROM t LATERAL VIEW explode(tags) g AS tag` and `g.*` in its place: its columns are `col`
 * (or the alias), `pos` and `col` for posexplode, `key` and `value` for a map. As in Spark, one
 * generator per SELECT, at the top of its item, not beside GROUP BY.
 */
export function withSelectGenerators(ctx: CompileContext, q: SelectQuery): SelectQuery {
  const found = q.items.flatMap((item) => (item.kind === 'expr' ? findNodes(item.expr, isGenerator) : []));
  if (found.length === 0) return q;
  if (found.length > 1) throw errorAt(ctx, q.items.find((i) => i.kind === 'expr' && findNodes(i.expr, isGenerator).includes(found[1]))!.pos, 'only one generator (explode, posexplode, …) is allowed per SELECT, as in Spark');
  const index = q.items.findIndex((i) => i.kind === 'expr' && i.expr === found[0]);
  if (index < 0) throw errorAt(ctx, q.items.find((i) => i.kind === 'expr' && findNodes(i.expr, isGenerator).length > 0)!.pos, 'a generator (explode, posexplode, …) must be a whole SELECT item, not inside an expression');
  const item = q.items[index];
  if (item.kind !== 'expr') return q;
  if (q.groupBy || q.having) throw errorAt(ctx, item.pos, 'a generator in the SELECT list cannot be combined with GROUP BY here; explode in a subquery first');
  const { fn, arg } = generatorOf(found[0])!;
  const alias = ctx.fresh('generated');
  const input: FromItem = q.from ?? { kind: 'subquery', query: { kind: 'select', distinct: false, items: [{ kind: 'expr', expr: { kind: 'lit', value: 1 }, alias: ctx.fresh('one'), text: '1', pos: 0 }] }, pos: item.pos };
  const from: FromItem = {
    kind: 'lateral', input, fn: fn.startsWith('pos') ? 'posexplode' : 'explode', arg, outer: fn.endsWith('_outer'),
    alias, columns: item.aliases ?? (item.alias !== undefined ? [item.alias] : []), pos: item.pos,
  };
  const items = [...q.items];
  items[index] = { kind: 'star', qualifier: alias, pos: item.pos };
  return { ...q, from, items };
}
