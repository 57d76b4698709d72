import type { ExprNode } from '../expr/ast.js';
import type { DataFrame } from '../frame/DataFrame.js';
import * as T from '../../transforms/index.js';
import type { SortKey } from '../../transforms/index.js';
import type { Query, SetOpQuery } from './ast.js';
import { errorAt, lookupColumn, project, type CompileContext, type Relation } from './Relation.js';

/**
 * UNION, INTERSECT and EXCEPT (MINUS) match columns by position, as SQL does: the right side's
 * columns take the left's names. UNION is Union (+ DropDuplicates); INTERSECT and EXCEPT are semi
 * and anti joins on every column, where NULL equals NULL. The ALL forms keep multiplicities
 * (Spark's INTERSECT ALL gives min(m, n) copies of a row, EXCEPT ALL max(m - n, 0)): each row is
 * numbered among its equals on both sides, and the number joins with the row.
 */
export async function compileSetOp(ctx: CompileContext, q: SetOpQuery, compile: (ctx: CompileContext, q: Query) => Promise<Relation>): Promise<Relation> {
  const left = await compile(ctx, q.left);
  const right = await compile(ctx, q.right);
  if (left.columns.length !== right.columns.length) {
    throw errorAt(ctx, q.pos, `${q.op.toUpperCase()} needs the same number of columns on both sides: ${left.columns.length} and ${right.columns.length}`);
  }
  const names = left.columns.map((c) => c.internal);
  // WithColumns reads the originals, so a swap of names (a, b → b, a) is safe.
  const tmp = Object.fromEntries(right.columns.map((c, i) => [names[i], { kind: 'col', name: c.internal } as ExprNode]));
  const rightDf = project(right.df, tmp, names);
  let df: DataFrame;
  if (q.op === 'union') {
    df = T.Union.apply({ frame1: left.df, frame2: rightDf });
    if (!q.all) df = T.DropDuplicates.apply({ frame: df });
  } else {
    const l = withSetKeys(ctx, q.all ? left.df : T.DropDuplicates.apply({ frame: left.df }), names, q.all);
    const r = withSetKeys(ctx, rightDf, names, q.all);
    df = T.Join.apply({ frame1: l.df, frame2: project(r.df, {}, r.keys), keys1: l.keys, keys2: r.keys, how: q.op === 'intersect' ? 'semi' : 'anti' });
    df = project(df, {}, names);
  }
  if (q.orderBy?.length) {
    const keys = q.orderBy.map((o): SortKey => {
      const e = o.expr;
      let column: string | undefined;
      if (e.kind === 'lit' && typeof e.value === 'number') column = names[e.value - 1];
      else if (e.kind === 'col') column = lookupColumn(left.columns, e.name)[0]?.internal;
      if (!column) throw errorAt(ctx, o.pos, `ORDER BY after ${q.op.toUpperCase()} can name only its output columns (${names.join(', ')})`);
      return { column, ...(o.descending ? { descending: true } : {}), ...(o.nullsFirst !== undefined ? { nullsFirst: o.nullsFirst } : {}) };
    });
    df = T.OrderBy.apply({ frame: df, keys });
  }
  if (q.limit !== undefined) df = df.limit(q.limit);
  return { df, columns: left.columns.map((c) => ({ name: c.name, internal: c.internal })) };
}

/**
 * Adds NULL-safe key columns for every column — (x IS NULL, coalesce(cast(x AS string), '')) —
 * and, for the ALL forms, the row's number among its equal rows (row_number over those keys).
 */
function withSetKeys(ctx: CompileContext, df: DataFrame, names: string[], numbered: boolean): { df: DataFrame; keys: string[] } {
  const computed: Record<string, ExprNode> = {};
  for (const n of names) {
    computed[ctx.fresh('setkey')] = { kind: 'isNull', expr: { kind: 'col', name: n }, negated: false };
    computed[ctx.fresh('setkey')] = { kind: 'call', fn: 'coalesce', args: [{ kind: 'cast', expr: { kind: 'col', name: n }, to: 'string' }, { kind: 'lit', value: '' }] };
  }
  const keys = Object.keys(computed);
  let out = project(df, computed);
  if (!numbered) return { df: out, keys };
  const copy = ctx.fresh('copy');
  // Rows of one partition are equal, so any order numbers them alike.
  out = T.Window.apply({ frame: out, partitionBy: keys, orderBy: [{ column: keys[0] }], functions: [{ name: copy, fn: 'row_number' }] });
  return { df: out, keys: [...keys, copy] };
}
