import type { ArithOp, CompareOp, ExprNode, LitNode } from './ast.js';
import { parseExpr, randomSeed } from './parser.js';
import { formatExpr } from './format.js';
import { parseType, typeName } from '../types/typeNames.js';
import type { DataType } from 'apache-arrow';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * Fluent builders in the nodejs-polars style:
 *   col('a').gt(5).and(col('b').isNotNull()),  when(cond).then(x).otherwise(y),  year(col('ts')).
 * An Expr only wraps the plain JSON node (`.node`); JSON.stringify(expr) gives the node, so
 * expressions travel to workers as data. Where an expression is expected, a bare string means
 * a column (`lower('name')`) and a number/boolean/null a literal.
 */
export class Expr {
  /**
   * @param node the expression tree (plain JSON).
   * @param aliasName the output column's name where a Spark-shaped method names one (`select`, `agg`);
   *   not part of the tree.
   */
  constructor(readonly node: ExprNode, readonly aliasName?: string) {}

  /**
   * Names the result column in `select`, `groupBy().agg` (Spark: `Column.alias`, `.name`).
   *
   * @example
   * ```ts
   * df.select(col('price').mul(col('qty')).as('total'));
   * ```
   */
  as(name: string): Expr { return new Expr(this.node, name); }
  /** `as` by its PySpark spelling (`F.sum('x').alias('total')`). */
  alias(name: string): Expr { return new Expr(this.node, name); }
  /** `as` by PySpark's other spelling (`Column.name`). */
  name(name: string): Expr { return new Expr(this.node, name); }
  /** Ascending sort order for `orderBy`/`sort`, nulls first (Spark: `Column.asc()`). */
  asc(): SortOrder { return new SortOrder(this.node, false); }
  /** Descending sort order for `orderBy`/`sort`, nulls last (Spark: `Column.desc()`). */
  desc(): SortOrder { return new SortOrder(this.node, true); }
  asc_nulls_last(): SortOrder { return new SortOrder(this.node, false, false); }
  desc_nulls_first(): SortOrder { return new SortOrder(this.node, true, true); }
  /** `x IN (values)` with PySpark's spelling and arguments (`col('c').isin('FR', 'DE')`). */
  isin(...values: (ValueLike | ValueLike[])[]): Expr { return this.isIn(values.flat()); }
  /** Null-safe equality `<=>`: true when both are null (Spark: `eqNullSafe`). */
  eqNullSafe(other: ValueLike): Expr {
    const o = valueNode(other);
    const bothNull: ExprNode = { kind: 'logic', op: 'and', left: { kind: 'isNull', expr: this.node, negated: false }, right: { kind: 'isNull', expr: o, negated: false } };
    const equal: ExprNode = { kind: 'call', fn: 'coalesce', args: [{ kind: 'compare', op: '=', left: this.node, right: o }, { kind: 'lit', value: false }] };
    return new Expr({ kind: 'logic', op: 'or', left: bothNull, right: equal });
  }

  toJSON(): ExprNode { return this.node; }
  /** Spark SQL text that parses back to the same tree. */
  toString(): string { return formatExpr(this.node); }

  add(other: ExprLike): Expr { return this.arith('+', other); }
  sub(other: ExprLike): Expr { return this.arith('-', other); }
  mul(other: ExprLike): Expr { return this.arith('*', other); }
  div(other: ExprLike): Expr { return this.arith('/', other); }
  mod(other: ExprLike): Expr { return this.arith('%', other); }
  neg(): Expr { return new Expr({ kind: 'neg', expr: this.node }); }

  eq(other: ValueLike): Expr { return this.compare('=', other); }
  neq(other: ValueLike): Expr { return this.compare('<>', other); }
  lt(other: ValueLike): Expr { return this.compare('<', other); }
  lte(other: ValueLike): Expr { return this.compare('<=', other); }
  gt(other: ValueLike): Expr { return this.compare('>', other); }
  gte(other: ValueLike): Expr { return this.compare('>=', other); }

  and(other: ExprLike): Expr { return new Expr({ kind: 'logic', op: 'and', left: this.node, right: toNode(other) }); }
  or(other: ExprLike): Expr { return new Expr({ kind: 'logic', op: 'or', left: this.node, right: toNode(other) }); }
  not(): Expr { return new Expr({ kind: 'not', expr: this.node }); }

  isNull(): Expr { return new Expr({ kind: 'isNull', expr: this.node, negated: false }); }
  isNotNull(): Expr { return new Expr({ kind: 'isNull', expr: this.node, negated: true }); }
  isIn(values: ValueLike[]): Expr { return new Expr({ kind: 'in', expr: this.node, list: values.map(valueNode), negated: false }); }
  notIn(values: ValueLike[]): Expr { return new Expr({ kind: 'in', expr: this.node, list: values.map(valueNode), negated: true }); }
  between(low: ValueLike, high: ValueLike): Expr {
    return new Expr({ kind: 'between', expr: this.node, low: valueNode(low), high: valueNode(high), negated: false });
  }
  like(pattern: string, escape?: string): Expr {
    return new Expr({ kind: 'like', expr: this.node, pattern, ...(escape !== undefined ? { escape } : {}), negated: false });
  }
  notLike(pattern: string, escape?: string): Expr {
    return new Expr({ kind: 'like', expr: this.node, pattern, ...(escape !== undefined ? { escape } : {}), negated: true });
  }
  rlike(pattern: string): Expr { return new Expr({ kind: 'rlike', expr: this.node, pattern, negated: false }); }

  /** Struct field access: col('address').field('city') is `address.city`. */
  field(name: string): Expr { return new Expr({ kind: 'field', expr: this.node, name }); }
  /** CAST to a type name ('int', 'decimal(10,2)', 'timestamp') or an Arrow DataType. */
  cast(to: string | DataType): Expr { return cast(this, to); }

  private arith(op: ArithOp, other: ExprLike): Expr {
    return new Expr({ kind: 'arith', op, left: this.node, right: toNode(other) });
  }
  private compare(op: CompareOp, other: ValueLike): Expr {
    return new Expr({ kind: 'compare', op, left: this.node, right: valueNode(other) });
  }
}

/**
 * A sort key for `orderBy`/`sort`: an expression and its direction (Spark: `SortOrder`, from
 * `col('x').desc()` or `F.desc('x')`). Nulls come first ascending and last descending unless
 * `nullsFirst` says otherwise.
 */
export class SortOrder {
  constructor(readonly node: ExprNode, readonly descending: boolean, readonly nullsFirst?: boolean) {}
}

/** Descending order of a column or expression (Spark: `F.desc`). */
export const desc = (x: ExprLike): SortOrder => new SortOrder(toNode(x), true);
/** Ascending order of a column or expression (Spark: `F.asc`). */
export const asc = (x: ExprLike): SortOrder => new SortOrder(toNode(x), false);

/** Where an expression is expected: an Expr, a node, a column name, or a literal value. */
export type ExprLike = Expr | ExprNode | string | number | boolean | null;
/** Where a value is expected (comparisons, IN, BETWEEN): strings are literals, not columns. */
export type ValueLike = Expr | ExprNode | string | number | boolean | null;

const isNode = (x: unknown): x is ExprNode => typeof x === 'object' && x !== null && typeof (x as { kind?: unknown }).kind === 'string';

/** Expr, node, column name (string) or literal → node. */
export function toNode(x: ExprLike): ExprNode {
  if (x instanceof Expr) return x.node;
  if (isNode(x)) return x;
  if (typeof x === 'string') return { kind: 'col', name: x };
  return litNode(x);
}

/** Expr, node or literal (a string is a string literal) → node. */
function valueNode(x: ValueLike): ExprNode {
  if (x instanceof Expr) return x.node;
  if (isNode(x)) return x;
  return litNode(x);
}

function litNode(value: string | number | boolean | null | Date): LitNode {
  if (value instanceof Date) return { kind: 'lit', value: value.toISOString().replace('T', ' ').replace('Z', ''), type: 'timestamp' };
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2147483647) return { kind: 'lit', value, type: 'int64' };
  return { kind: 'lit', value };
}

export const col = (name: string): Expr => new Expr({ kind: 'col', name });
/** A literal; a Date becomes a TIMESTAMP literal, a bigint an int64 literal. */
export function lit(value: string | number | boolean | null | bigint | Date): Expr {
  if (typeof value === 'bigint') {
    const safe = value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER);
    return new Expr({ kind: 'lit', value: safe ? Number(value) : value.toString(), type: 'int64' });
  }
  return new Expr(litNode(value));
}
/** A DATE literal from 'yyyy-MM-dd'. */
export const dateLit = (text: string): Expr => new Expr({ kind: 'lit', value: text, type: 'date' });
/** Parses a Spark SQL expression: expr("amount > 100 AND status <> 'cancelled'"). */
export const expr = (sql: string): Expr => new Expr(parseExpr(sql));
export const not = (x: ExprLike): Expr => new Expr({ kind: 'not', expr: toNode(x) });
export const cast = (x: ExprLike, to: string | DataType): Expr =>
  new Expr({ kind: 'cast', expr: toNode(x), to: typeName(typeof to === 'string' ? parseType(to) : to) });

/** when(cond).then(x).when(cond2).then(y).otherwise(z): CASE WHEN ... END. */
export function when(condition: ExprLike): WhenBuilder {
  return new WhenBuilder([], toNode(condition));
}

export class WhenBuilder {
  constructor(private readonly branches: { when: ExprNode; then: ExprNode }[], private readonly pending: ExprNode) {}
  then(value: ValueLike): CaseExpr {
    return new CaseExpr([...this.branches, { when: this.pending, then: valueNode(value) }]);
  }
}

/** A CASE with no ELSE yet (null when no branch matches); usable as an Expr as it is. */
export class CaseExpr extends Expr {
  constructor(private readonly branches: { when: ExprNode; then: ExprNode }[]) {
    super({ kind: 'case', branches });
  }
  when(condition: ExprLike): WhenBuilder { return new WhenBuilder(this.branches, toNode(condition)); }
  otherwise(value: ValueLike): Expr { return new Expr({ kind: 'case', branches: this.branches, otherwise: valueNode(value) }); }
}

const call = (fn: string, ...args: ExprNode[]): Expr => new Expr({ kind: 'call', fn, args });
const litArg = (v: string | number): ExprNode => ({ kind: 'lit', value: v });

export const coalesce = (...args: ExprLike[]): Expr => call('coalesce', ...args.map(toNode));
export const lower = (x: ExprLike): Expr => call('lower', toNode(x));
export const upper = (x: ExprLike): Expr => call('upper', toNode(x));
export const trim = (x: ExprLike): Expr => call('trim', toNode(x));
export const length = (x: ExprLike): Expr => call('length', toNode(x));
export const substring = (x: ExprLike, pos: number, len?: number): Expr =>
  call('substring', toNode(x), litArg(pos), ...(len === undefined ? [] : [litArg(len)]));
export const concat = (...args: ExprLike[]): Expr => call('concat', ...args.map(toNode));
export const split = (x: ExprLike, pattern: string, limit?: number): Expr =>
  call('split', toNode(x), litArg(pattern), ...(limit === undefined ? [] : [litArg(limit)]));
export const regexpExtract = (x: ExprLike, pattern: string, group = 1): Expr =>
  call('regexp_extract', toNode(x), litArg(pattern), litArg(group));
export const year = (x: ExprLike): Expr => call('year', toNode(x));
export const month = (x: ExprLike): Expr => call('month', toNode(x));
export const day = (x: ExprLike): Expr => call('day', toNode(x));
export const hour = (x: ExprLike): Expr => call('hour', toNode(x));
export const dateTrunc = (unit: string, x: ExprLike): Expr => call('date_trunc', litArg(unit), toNode(x));
export const toDate = (x: ExprLike, format?: string): Expr => call('to_date', toNode(x), ...(format ? [litArg(format)] : []));
export const toTimestamp = (x: ExprLike, format?: string): Expr =>
  call('to_timestamp', toNode(x), ...(format ? [litArg(format)] : []));
export const dateAdd = (x: ExprLike, days: ExprLike): Expr => call('date_add', toNode(x), typeof days === 'number' ? litArg(days) : toNode(days));
export const dateDiff = (end: ExprLike, start: ExprLike): Expr => call('datediff', toNode(end), toNode(start));
/**
 * A uniform random double in [0, 1) per row (Spark: `F.rand(seed)`); without a seed one is drawn
 * now, once, so every split of the run shares it. Values depend on the seed, the split and the
 * row's position in it (Spark's depend on its partitioning too, so they differ from Spark's).
 * @example df.filter(F.rand(42).lt(0.1))   // a repeatable 10% sample
 */
export const rand = (seed?: number | bigint): Expr => call('rand', seed === undefined ? randomSeed() : int64Lit(seed));
/** A standard normal random double per row (Spark: `F.randn(seed)`); see {@link rand}. */
export const randn = (seed?: number | bigint): Expr => call('randn', seed === undefined ? randomSeed() : int64Lit(seed));

function int64Lit(seed: number | bigint): LitNode {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) throw new SluiceError(`rand/randn: the seed must be a whole number, got ${seed}`);
  return { kind: 'lit', value: typeof seed === 'bigint' ? seed.toString() : seed, type: 'int64' };
}
