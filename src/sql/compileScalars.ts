import type { ScalarQueryNode, SqlExpr } from './ast.js';
import { joinRelations } from './compileJoin.js';
import { findNodes } from './exprWalk.js';
import { errorAt, project, type CompileContext, type Relation } from './Relation.js';

/** Uncorrelated scalar subqueries: each is joined on (a LEFT JOIN on a constant, so no rows means NULL) and read as a column. */
export async function hoistScalars(ctx: CompileContext, rel: Relation, exprs: SqlExpr[], scalars: Map<ScalarQueryNode, string>) {
  const isScalar = (n: SqlExpr): n is ScalarQueryNode => n.kind === 'scalarQuery';
  for (const node of exprs.flatMap((e) => findNodes(e, isScalar))) {
    if (scalars.has(node)) continue;
    const compiled = await ctx.compile(node.query);
    if (compiled.columns.length !== 1) throw errorAt(ctx, node.pos, `a scalar subquery must return one column, this one returns ${compiled.columns.length}`);
    // Under a fresh name: the column stays in the frame, out of scope, and must clash with nothing.
    const name = ctx.fresh('scalar');
    const sub: Relation = { df: project(compiled.df, { [name]: { kind: 'col', name: compiled.columns[0].internal } }, [name]), columns: [{ name, internal: name }] };
    const before = rel.columns.length;
    const joined = await joinRelations(ctx, rel, sub, 'left', undefined, undefined, node.pos);
    scalars.set(node, joined.columns[before].internal);
    rel = { df: joined.df, columns: rel.columns };
  }
  return { rel, scalars };
}

