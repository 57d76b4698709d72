import type { ExprNode } from './ast.js';
import { Expr, toNode, type ExprLike } from './builders.js';

/**
 * Generator builders (PySpark's `F.explode` and friends): one row in, many out, so they are no
 * scalar functions. `df.select(...)` and `df.withColumn(...)` turn one into an Explode step;
 * anywhere else they fail as unknown functions.
 */

export type GeneratorName = 'explode' | 'explode_outer' | 'posexplode' | 'posexplode_outer';

const NAMES = new Set<string>(['explode', 'explode_outer', 'posexplode', 'posexplode_outer']);


/** The generator a node calls and its argument, or undefined. */
export function generatorOf(node: ExprNode): { fn: GeneratorName; arg: ExprNode } | undefined {
  if (node.kind !== 'call' || !NAMES.has(node.fn.toLowerCase()) || node.args.length !== 1) return undefined;
  return { fn: node.fn.toLowerCase() as GeneratorName, arg: node.args[0] };
}

const generator = (fn: GeneratorName, x: ExprLike): Expr => new Expr({ kind: 'call', fn, args: [toNode(x)] });

/** One row per element of an array (or entry of a map: `key`, `value`) (Spark: `F.explode`). */
export const explode = (x: ExprLike): Expr => generator('explode', x);
/** `explode`, keeping a row with null for a null or empty array (Spark: `F.explode_outer`). */
export const explode_outer = (x: ExprLike): Expr => generator('explode_outer', x);
/** `explode` with each element's position in a column `pos` (Spark: `F.posexplode`). */
export const posexplode = (x: ExprLike): Expr => generator('posexplode', x);
/** `posexplode`, keeping a row for a null or empty array (Spark: `F.posexplode_outer`). */
export const posexplode_outer = (x: ExprLike): Expr => generator('posexplode_outer', x);

/**
 * The fields of a JSON object as string columns `c0`, `c1`, … (Spark: `F.json_tuple(json, 'a', 'b')`):
 * `get_json_object(json, '$.a')` for each name; in `select` it expands into one column per name.
 */
export const json_tuple = (json: ExprLike, ...fields: string[]): Expr =>
  new Expr({ kind: 'call', fn: 'json_tuple', args: [toNode(json), ...fields.map((f): ExprNode => ({ kind: 'lit', value: f }))] });

/** json_tuple's columns: `get_json_object(json, '$.name')` per field name, or undefined for another node. */
export function jsonTupleColumns(node: ExprNode): ExprNode[] | undefined {
  if (node.kind !== 'call' || node.fn.toLowerCase() !== 'json_tuple') return undefined;
  const [json, ...fields] = node.args;
  if (!json || fields.length === 0 || fields.some((f) => f.kind !== 'lit' || typeof f.value !== 'string')) {
    throw new Error("json_tuple(json, 'name', ...) takes a JSON column and field names as string literals");
  }
  return fields.map((f) => ({ kind: 'call', fn: 'get_json_object', args: [json, { kind: 'lit', value: `$['${(f as { value: string }).value}']` }] }));
}
