import type { ExprNode } from '../expr/ast.js';
import { referencedColumns } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import { DataFrame } from '../frame/DataFrame.js';
import type { JoinType } from '../../transforms/index.js';
import type { FromItem, SqlExpr, SqlJoinType } from './ast.js';
import { andAll, conjuncts, renameColumns } from './exprWalk.js';
import { compileLateralView } from './compileLateralView.js';
import { RIGHT_SUFFIX } from '../../transforms/join/joinSchema.js';
import { errorAt, lookupColumn, pathOf, project, resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/** A FROM item as a relation: tables, paths and subqueries, joined left to right. */
export async function compileFrom(ctx: CompileContext, item: FromItem): Promise<Relation> {
  switch (item.kind) {
    case 'table': {
      const rel = await ctx.table(item.parts, item.pos);
      return requalify(rel, item.alias ?? item.parts[item.parts.length - 1]);
    }
    case 'path': return requalify(await ctx.path(item.format, item.path), item.alias);
    case 'subquery': return requalify(renameRelation(ctx, await ctx.compile(item.query), item.columns, item.pos), item.alias);
    case 'values': return requalify(renameRelation(ctx, compileValues(ctx, item.rows), item.columns, item.pos), item.alias);
    case 'join': {
      const left = await compileFrom(ctx, item.left);
      const right = await compileFrom(ctx, item.right);
      const using = item.natural ? naturalColumns(left, right) : item.using;
      return joinRelations(ctx, left, right, item.how, item.on, using, item.pos);
    }
    case 'lateral': return compileLateralView(ctx, await compileFrom(ctx, item.input), item);
  }
}

/** NATURAL JOIN is USING on the column names both sides show (case-insensitively), in the left's order; none: a cross join, as in Spark. */
function naturalColumns(left: Relation, right: Relation): string[] {
  const rightNames = new Set(right.columns.filter((c) => !c.qualifiedOnly).map((c) => c.name.toLowerCase()));
  const names = left.columns.filter((c) => !c.qualifiedOnly && rightNames.has(c.name.toLowerCase())).map((c) => c.name);
  return [...new Map(names.map((n) => [n.toLowerCase(), n])).values()];
}

/** `alias(c1, c2, …)` after a subquery or VALUES: new names for its columns, as many as it has. */
function renameRelation(ctx: CompileContext, rel: Relation, names: string[] | undefined, pos: number): Relation {
  if (!names) return rel;
  if (names.length !== rel.columns.length) throw errorAt(ctx, pos, `the alias names ${names.length} columns; the table has ${rel.columns.length} (${rel.columns.map((c) => c.name).join(', ')})`);
  return { df: rel.df, columns: rel.columns.map((c, i) => ({ ...c, name: names[i] })) };
}

/**
 * VALUES rows as a frame: one row per VALUES row, each column `CASE row WHEN 0 THEN v0 WHEN 1
 * THEN v1 … END` over a row number, so that the expression engine types the column as Spark
 * would (int and double → double, NULL takes the others' type) and any constant expression works.
 */
function compileValues(ctx: CompileContext, rows: SqlExpr[][]): Relation {
  const row = ctx.fresh('row');
  const base = DataFrame.fromColumns({ [row]: rows.map((_, i) => i) }, { [row]: 'int32' });
  const names = rows[0].map((_, j) => `col${j + 1}`);
  const computed = Object.fromEntries(names.map((name, j) => [name, {
    kind: 'case',
    branches: rows.map((r, i) => ({ when: { kind: 'compare', op: '=', left: { kind: 'col', name: row }, right: { kind: 'lit', value: i } }, then: resolveExpr(ctx, r[j], []) })),
  } as ExprNode]));
  return { df: project(base, computed, names), columns: names.map((name) => ({ name, internal: name })) };
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
  const right = renameClashes(ctx, left, rightIn);
  const leftNames = new Set(left.columns.map((c) => c.internal));
  // Join itself names a right column that the left has `<name>_right`; the scope follows, so no
  // renaming step runs before the join. Inside ON, right columns carry a tag until it is known
  // whether an expression runs before the join (right's own names) or after (Join's names).
  const semiLike = how === 'semi' || how === 'anti';
  const joinedName = (name: string) => (!semiLike && leftNames.has(name) ? name + RIGHT_SUFFIX : name);
  const before = (e: ExprNode) => renameColumns(e, (n) => (n.startsWith(RIGHT_TAG) ? n.slice(RIGHT_TAG.length) : n));
  const after = (e: ExprNode) => renameColumns(e, (n) => (n.startsWith(RIGHT_TAG) ? joinedName(n.slice(RIGHT_TAG.length)) : n));
  const rightColumns = right.columns.map((c) => ({ ...c, internal: joinedName(c.internal) }));
  const keys1: ExprNode[] = [];
  const keys2: ExprNode[] = [];
  const residual: ExprNode[] = [];
  const leftOnly: ExprNode[] = [];
  const rightOnly: ExprNode[] = [];
  let columns: ScopeColumn[] = [...left.columns, ...rightColumns];
  if (using) {
    const usingColumns: ScopeColumn[] = [];
    const hidden = new Set<ScopeColumn>();
    const rightKeysAfter: ExprNode[] = [];
    for (const name of using) {
      const l = lookupColumn(left.columns, name);
      const r = lookupColumn(right.columns, name);
      const rAfter = lookupColumn(rightColumns, name);
      if (l.length !== 1 || r.length !== 1) throw errorAt(ctx, pos, `USING column '${name}' must be one column on each side of the join`);
      keys1.push({ kind: 'col', name: l[0].internal });
      keys2.push({ kind: 'col', name: r[0].internal });
      rightKeysAfter.push({ kind: 'col', name: rAfter[0].internal });
      hidden.add(l[0]).add(rAfter[0]);
      // The key shows once: the left's, the right's for RIGHT JOIN, either for FULL JOIN.
      const internal = how === 'right' ? rAfter[0].internal : how === 'full' ? ctx.fresh('using') : l[0].internal;
      usingColumns.push({ name: l[0].name, internal });
    }
    columns = [
      ...usingColumns,
      ...[...left.columns, ...rightColumns].map((c) => (hidden.has(c) ? { ...c, qualifiedOnly: true, starHidden: true } : c)),
    ];
    if (semiLike) columns = left.columns;
    const joined = finishJoin(ctx, left, right, how, keys1, keys2, [], [], [], pos);
    if (how !== 'full') return { df: joined, columns };
    // FULL JOIN USING: the key is coalesce(left key, right key), computed after the join.
    const computed = Object.fromEntries(usingColumns.map((u, i) => [u.internal, { kind: 'call', fn: 'coalesce', args: [keys1[i], rightKeysAfter[i]] } as ExprNode]));
    return { df: project(joined, computed), columns };
  }
  if (on) {
    const tagged = [...left.columns, ...right.columns.map((c) => ({ ...c, internal: RIGHT_TAG + c.internal }))];
    const side = (e: ExprNode): 'left' | 'right' | 'both' | 'none' => {
      const used = [...referencedColumns(e)];
      const l = used.some((u) => !u.startsWith(RIGHT_TAG));
      const r = used.some((u) => u.startsWith(RIGHT_TAG));
      return l && r ? 'both' : l ? 'left' : r ? 'right' : 'none';
    };
    for (const part of conjuncts(on)) {
      const e = resolveExpr(ctx, part, tagged);
      if (e.kind === 'compare' && e.op === '=') {
        const a = side(e.left);
        const b = side(e.right);
        if (a === 'left' && b === 'right') { keys1.push(e.left); keys2.push(before(e.right)); continue; }
        if (a === 'right' && b === 'left') { keys1.push(e.right); keys2.push(before(e.left)); continue; }
      }
      const s = side(e);
      if (s === 'left') leftOnly.push(e);
      else if (s === 'right') rightOnly.push(before(e));
      else residual.push(after(e));
    }
  }
  const df = finishJoin(ctx, left, right, how, keys1, keys2, leftOnly, rightOnly, residual, pos);
  if (semiLike) columns = left.columns;
  return { df, columns };
}

/** Marks a right-side column inside ON while its final name is not known yet. */
const RIGHT_TAG = '\u0000right:';

function finishJoin(
  ctx: CompileContext, left: Relation, right: Relation, how: SqlJoinType,
  keys1: ExprNode[], keys2: ExprNode[], leftOnly: ExprNode[], rightOnly: ExprNode[], after: ExprNode[], pos: number,
): Relation['df'] {
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

/**
 * Renames (before the join) the right side's columns whose `<name>_right` would clash too, the
 * one case where Join's own renaming cannot be used.
 */
function renameClashes(ctx: CompileContext, left: Relation, right: Relation): Relation {
  const leftNames = new Set(left.columns.map((c) => c.internal));
  const rightNames = new Set(right.columns.map((c) => c.internal));
  const clashes = (name: string) => leftNames.has(name) && (leftNames.has(name + RIGHT_SUFFIX) || rightNames.has(name + RIGHT_SUFFIX));
  if (!right.columns.some((c) => clashes(c.internal))) return right;
  const renames: Record<string, ExprNode> = {};
  const internalOf = new Map<string, string>();
  const columns = right.columns.map((c) => {
    if (!clashes(c.internal)) return c;
    let internal = internalOf.get(c.internal);
    if (!internal) {
      internal = ctx.fresh(c.name);
      internalOf.set(c.internal, internal);
      renames[internal] = { kind: 'col', name: c.internal };
    }
    return { ...c, internal };
  });
  return { df: project(right.df, renames, [...new Set(columns.map((c) => c.internal))]), columns };
}
