import { Type } from 'apache-arrow';
import type { ExprNode } from '../expr/ast.js';
import * as T from '../../transforms/index.js';
import type { LateralView } from './ast.js';
import { errorAt, project, resolveExpr, type CompileContext, type Relation, type ScopeColumn } from './Relation.js';

/**
 * LATERAL VIEW [OUTER] explode / posexplode: the generator's argument is computed into a column
 * and the Explode transform gives one row per element (per entry of a map), the input's columns
 * repeated; OUTER keeps a row whose array is null or empty, with nulls. The generated columns
 * take the view's alias as qualifier and the given names, else Spark's (`pos`, `col`; `key`, `value`).
 */
export async function compileLateralView(ctx: CompileContext, input: Relation, view: LateralView): Promise<Relation> {
  const source = ctx.fresh('generate');
  let df = project(input.df, { [source]: resolveExpr(ctx, view.arg, input.columns) });
  const type = (await df.schema()).fields.find((f) => f.name === source)!.type;
  const isMap = type.typeId === Type.Map;
  if (type.typeId !== Type.List && !isMap) throw errorAt(ctx, view.arg as object, `${view.fn} takes an array or a map; this is ${String(type)}`);
  const position = view.fn === 'posexplode' ? ctx.fresh('pos') : undefined;
  const element = ctx.fresh('col');
  const defaults = [...(position ? ['pos'] : []), ...(isMap ? ['key', 'value'] : ['col'])];
  const names = view.columns.length ? view.columns : defaults;
  if (names.length !== defaults.length) {
    throw errorAt(ctx, view.pos, `${view.fn} over ${isMap ? 'a map' : 'an array'} makes ${defaults.length} columns (${defaults.join(', ')}); the view names ${names.length}`);
  }
  // A map explodes into columns named key and value: make room for them if the input has those names.
  const renames: Record<string, ExprNode> = {};
  let columns: ScopeColumn[] = input.columns;
  if (isMap) {
    const kept = (await df.schema()).fields.map((f) => f.name);
    const moved = new Map<string, string>();
    for (const name of kept) {
      if (name !== 'key' && name !== 'value') continue;
      const fresh = ctx.fresh(name);
      moved.set(name, fresh);
      renames[fresh] = { kind: 'col', name };
    }
    if (moved.size) {
      df = project(df, renames, kept.map((n) => moved.get(n) ?? n));
      columns = columns.map((c) => (moved.has(c.internal) ? { ...c, internal: moved.get(c.internal)! } : c));
    }
  }
  df = T.Explode.apply({ frame: df, column: source, ...(isMap ? {} : { as: element }), ...(position ? { position } : {}), ...(view.outer ? { outer: true } : {}) });
  const internals = [...(position ? [position] : []), ...(isMap ? ['key', 'value'] : [element])];
  const generated = internals.map((internal, i) => ({ qualifier: view.alias, name: names[i], internal }));
  return { df, columns: [...columns, ...generated] };
}
