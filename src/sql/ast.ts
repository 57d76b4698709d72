import type { ExprNode } from '../expr/ast.js';

/**
 * A parsed SQL query. Plain data, like the expression tree it embeds; the compiler (compile*.ts)
 * turns it into plan nodes through the same transforms the fluent API uses. `pos` fields are
 * 0-based offsets into the query text, for errors that point at the token.
 */
export type Query = SelectQuery | SetOpQuery;

/** A statement that is no query: SHOW DATABASES, SHOW TABLES [IN db], DESCRIBE [TABLE] t. */
export type SqlCommand =
  | { kind: 'showDatabases'; pattern?: string }
  | { kind: 'showTables'; database?: string; pattern?: string }
  | { kind: 'describe'; table: string[]; pos: number };

export interface Cte { name: string; query: Query; pos: number }

export interface OrderItem { expr: SqlExpr; descending: boolean; nullsFirst?: boolean; pos: number }

export interface QueryTail {
  /** WITH … in front of this query. */
  ctes?: Cte[];
  orderBy?: OrderItem[];
  limit?: number;
}

export interface SelectQuery extends QueryTail {
  kind: 'select';
  distinct: boolean;
  items: SelectItem[];
  from?: FromItem;
  where?: SqlExpr;
  groupBy?: SqlExpr[];
  /** GROUPING SETS, ROLLUP, CUBE: the key sets, each aggregated on its own (groupBy lists every key). */
  groupingSets?: SqlExpr[][];
  having?: SqlExpr;
}

export interface SetOpQuery extends QueryTail {
  kind: 'setop';
  op: 'union' | 'intersect' | 'except';
  all: boolean;
  left: Query;
  right: Query;
  pos: number;
}

export type SelectItem =
  | { kind: 'star'; qualifier?: string; pos: number }
  | { kind: 'expr'; expr: SqlExpr; alias?: string; text: string; pos: number; /** `AS (a, b)` after a generator. */ aliases?: string[] };

export type SqlJoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

export type FromItem =
  | { kind: 'table'; parts: string[]; alias?: string; pos: number }
  | { kind: 'path'; format: string; path: string; alias?: string; pos: number }
  | { kind: 'subquery'; query: Query; alias?: string; columns?: string[]; pos: number }
  /** `VALUES (1, 'a'), (2, 'b') [AS] t(id, name)`: an inline table; columns col1, col2… unless named. */
  | { kind: 'values'; rows: SqlExpr[][]; alias?: string; columns?: string[]; pos: number }
  | { kind: 'join'; how: SqlJoinType; left: FromItem; right: FromItem; on?: SqlExpr; using?: string[]; natural?: boolean; pos: number }
  | LateralView;

/** `FROM t LATERAL VIEW [OUTER] explode(expr) alias [AS] c1[, c2]`: one row per element, the input's columns repeated. */
export interface LateralView {
  kind: 'lateral';
  input: FromItem;
  /** explode, posexplode (their _outer forms set `outer`). */
  fn: 'explode' | 'posexplode';
  arg: SqlExpr;
  outer: boolean;
  alias: string;
  /** Names of the generated columns; empty: Spark's defaults (col; pos, col; key, value). */
  columns: string[];
  pos: number;
}

/** PARTITION BY … ORDER BY … [ROWS|RANGE frame] of a window call. */
export interface WindowSpec {
  partitionBy: SqlExpr[];
  orderBy: OrderItem[];
  frame?: WindowFrame;
}

/** A frame bound: an offset before (negative) or after (positive) the current row; null = unbounded. */
export interface WindowFrame { unit: 'rows' | 'range'; start: number | null; end: number | null }

/** An aggregate or window function call: count(DISTINCT x), sum(x) OVER (...), row_number() OVER (...). */
export interface SqlCallNode {
  kind: 'sqlCall';
  fn: string;
  args: SqlExpr[];
  distinct: boolean;
  /** count(*) */
  star: boolean;
  over?: WindowSpec;
  pos: number;
}

export interface ExistsNode { kind: 'exists'; query: Query; pos: number }
export interface InQueryNode { kind: 'inQuery'; expr: SqlExpr; query: Query; negated: boolean; pos: number }
export interface ScalarQueryNode { kind: 'scalarQuery'; query: Query; pos: number }

/** Nodes only the SQL front end knows; the compiler replaces them all before an expression reaches a transform. */
export type SqlOnlyNode = SqlCallNode | ExistsNode | InQueryNode | ScalarQueryNode;

/**
 * An expression inside SQL: the expression tree, where any sub-expression may also be one of the
 * SQL-only nodes (the expression types keep their ExprNode children; SqlExpr is the honest name).
 */
export type SqlExpr = ExprNode | SqlOnlyNode;

export function isSqlOnly(node: SqlExpr): node is SqlOnlyNode {
  return node.kind === 'sqlCall' || node.kind === 'exists' || node.kind === 'inQuery' || node.kind === 'scalarQuery';
}
