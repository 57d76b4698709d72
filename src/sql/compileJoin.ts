import type { ExprNode } from '../expr/ast.js';
import { referencedColumns } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { JoinType } from '../../transforms/index.js';
import type { FromItem, SqlExpr, SqlJoinType } from './ast.js';
import { andAll, conjuncts } from './exprWalk.js';
import { errorAt, lookupColumn, pathOf, project, resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/** A FROM item as a relation: tables, paths and subqueries, joined left to right. */
export async function compileFrom(ctx: CompileContext, item: FromItem): Promise<Relation> {
  switch (item.kind) {
    case 'table': {
      const rel = await ctx.table(item.parts, item.pos);
      return requalify(rel, item.alias ?? item.parts[item.parts.length - 1]);
    }
    case 'path': return requalify(await ctx.path(item.format, item.path), item.alias);
    case 'subquery': return requalify(await ctx.compile(item.query), item.alias);
    case 'join': {
      const left = await compileFrom(ctx, item.left);
      const right = await compileFrom(ctx, item.right);
      return joinRelations(ctx, left, right, item.how, item.on, item.using, item.pos);
    }
  }
}

function requalify(rel: Relation, qualifier: string | undefined): Relation {
  return { df: rel.df, columns: rel.columns.map((c) => ({ name: c.name, internal: c.internal, ...(qualifier ? { qualifier } : {}) })) };
}

const HOW: Record<Exclude<SqlJoinType, 'cross'>, JoinType> = { inner: 'inner', left: 'left', right: 'right', full: 'outer', semi: 'semi', anti: 'anti' };

/**
 * Joins two relations with the Join transform. Equalities between the two sides in ON become
 * the hash keys (expressions are computed into key columns first); the rest of ON filters the
 * output of an inner join, or the side it concerns before an outer/semi join. A join with no
 * equality (CROSS JOIN, `FROM a, b`) joins on a constant key.
 */
export async function joinRelations(
  ctx: CompileContext, left: Relation, rightIn: Relation, how: SqlJoinType, on: SqlExpr | undefined, using: string[] | undefined, pos: number,
): Promise<Relation> {
  const right = distinctNames(ctx, left, rightIn);
  const keys1: ExprNode[] = [];
  const keys2: ExprNode[] = [];
  const after: ExprNode[] = [];
  const leftOnly: ExprNode[] = [];
  const rightOnly: ExprNode[] = [];
  let columns: ScopeColumn[] = [...left.columns, ...right.columns];
  if (using) {
    const usingColumns: ScopeColumn[] = [];
    const hidden = new Set<string>();
    for (const name of using) {
      const l = lookupColumn(left.columns, name);
      const r = lookupColumn(right.columns, name);
      if (l.length !== 1 || r.length !== 1) throw errorAt(ctx, pos, `USING column '${name}' must be one column on each side of the join`);
      keys1.push({ kind: 'col', name: l[0].internal });
      keys2.push({ kind: 'col', name: r[0].internal });
      hidden.add(l[0].internal).add(r[0].internal);
      // The key shows once: the left's, the right's for RIGHT JOIN, either for FULL JOIN.
      const internal = how === 'right' ? r[0].internal : how === 'full' ? ctx.fresh('using') : l[0].internal;
      usingColumns.push({ name: l[0].name, internal });
    }
    columns = [
      ...usingColumns,
      ...[...left.columns, ...right.columns].map((c) => (hidden.has(c.internal) ? { ...c, qualifiedOnly: true, starHidden: true } : c)),
    ];
    // FULL JOIN USING: the key is coalesce(left key, right key), computed after the join.
    const joined = await finishJoin(ctx, left, right, how, keys1, keys2, [], [], [], pos);
    if (how !== 'full') return { df: joined, columns };
    const computed = Object.fromEntries(usingColumns.map((u, i) => [u.internal, { kind: 'call', fn: 'coalesce', args: [keys1[i], keys2[i]] } as ExprNode]));
    return { df: project(joined, computed), columns };
  }
  if (on) {
    const leftNames = new Set(left.columns.map((c) => c.internal));
    const rightNames = new Set(right.columns.map((c) => c.internal));
    const side = (e: ExprNode): 'left' | 'right' | 'both' | 'none' => {
      const used = [...referencedColumns(e)];
      const l = used.some((u) => leftNames.has(u));
      const r = used.some((u) => rightNames.has(u));
      return l && r ? 'both' : l ? 'left' : r ? 'right' : 'none';
    };
    for (const part of conjuncts(on)) {
      const e = resolveExpr(ctx, part, columns);
      if (e.kind === 'compare' && e.op === '=') {
        const a = side(e.left);
        const b = side(e.right);
        if (a === 'left' && b === 'right') { keys1.push(e.left); keys2.push(e.right); continue; }
        if (a === 'right' && b === 'left') { keys1.push(e.right); keys2.push(e.left); continue; }
      }
      const s = side(e);
      if (s === 'left') leftOnly.push(e);
      else if (s === 'right') rightOnly.push(e);
      else after.push(e);
    }
  }
  const df = await finishJoin(ctx, left, right, how, keys1, keys2, leftOnly, rightOnly, after, pos);
  if (how === 'semi' || how === 'anti') columns = left.columns;
  return { df, columns };
}

async function finishJoin(
  ctx: CompileContext, left: Relation, right: Relation, how: SqlJoinType,
  keys1: ExprNode[], keys2: ExprNode[], leftOnly: ExprNode[], rightOnly: ExprNode[], after: ExprNode[], pos: number,
): Promise<Relation['df']> {
  let l = left.df;
  let r = right.df;
  // Conditions on one side only: a filter on that side where that means the same.
  const sideFilter = (conditions: ExprNode[], allowed: boolean, which: string) => {
    if (conditions.length === 0) return undefined;
    if (!allowed) {
      throw errorAt(ctx, pos, `this ${how.toUpperCase()} JOIN has an ON condition on the ${which} side only, which sluice cannot apply inside the join yet; move it into a subquery or WHERE`);
    }
    return andAll(conditions)!;
  };
  if (after.length && how !== 'inner' && how !== 'cross') {
    throw errorAt(ctx, pos, `a ${how.toUpperCase()} JOIN needs its ON condition to be equalities between the two sides (plus conditions on one side); move the other conditions into WHERE or a subquery`);
  }
  const lf = sideFilter(leftOnly, how === 'inner' || how === 'cross' || how === 'right' || how === 'semi', 'left');
  const rf = sideFilter(rightOnly, how === 'inner' || how === 'cross' || how === 'left' || how === 'semi' || how === 'anti', 'right');
  if (lf) l = T.Filter.apply({ frame: l, f: lf });
  if (rf) r = T.Filter.apply({ frame: r, f: rf });
  if (keys1.length === 0) {
    // ON TRUE (or no ON): every row meets every row, through one constant key.
    keys1.push({ kind: 'lit', value: 1 });
    keys2.push({ kind: 'lit', value: 1 });
  }
  const names1 = keyColumns(ctx, keys1);
  const names2 = keyColumns(ctx, keys2);
  l = project(l, names1.computed);
  r = project(r, names2.computed);
  let df = T.Join.apply({ frame1: l, frame2: r, keys1: names1.names.map(pathOf), keys2: names2.names.map(pathOf), how: how === 'cross' ? 'inner' : HOW[how] });
  const residual = andAll(after);
  if (residual) df = T.Filter.apply({ frame: df, f: residual });
  return df;
}

/** Key columns for join keys: a plain column is used as it is, an expression is computed into a fresh column. */
function keyColumns(ctx: CompileContext, keys: ExprNode[]): { names: string[]; computed: Record<string, ExprNode> } {
  const computed: Record<string, ExprNode> = {};
  const names = keys.map((k) => {
    if (k.kind === 'col') return k.name;
    const name = ctx.fresh('key');
    computed[name] = k;
    return name;
  });
  return { names, computed };
}

/** Renames the right side's internal columns that the left already uses, so that nothing is renamed by Join. */
function distinctNames(ctx: CompileContext, left: Relation, right: Relation): Relation {
  const taken = new Set(left.columns.map((c) => c.internal));
  const renames: Record<string, ExprNode> = {};
  const columns = right.columns.map((c) => {
    if (!taken.has(c.internal)) return c;
    const internal = ctx.fresh(c.name);
    renames[internal] = { kind: 'col', name: c.internal };
    return { ...c, internal };
  });
  if (Object.keys(renames).length === 0) return right;
  return { df: project(right.df, renames, [...new Set(columns.map((c) => c.internal))]), columns };
}
