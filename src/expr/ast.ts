/**
 * The expression tree. Every node is plain JSON (no classes, no bigint, no functions) so a plan
 * can carry expressions to worker threads, Lambda functions or another machine unchanged.
 */

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type LogicOp = 'and' | 'or';

/** Literal types a node can name; a missing `type` means "infer from the JSON value". */
export type LiteralType = 'int32' | 'int64' | 'float64' | 'string' | 'bool' | 'date' | 'timestamp' | 'null';

export interface ColNode { kind: 'col'; name: string }
/** Struct field access: `a.b` is field(col(a), 'b'). */
export interface FieldNode { kind: 'field'; expr: ExprNode; name: string }
/**
 * A constant. int64 values beyond 2^53 travel as decimal strings (JSON has no bigint); date and
 * timestamp values travel as ISO strings ('2024-01-01', '2024-01-01 12:00:00').
 */
export interface LitNode { kind: 'lit'; value: string | number | boolean | null; type?: LiteralType }
export interface ArithNode { kind: 'arith'; op: ArithOp; left: ExprNode; right: ExprNode }
export interface CompareNode { kind: 'compare'; op: CompareOp; left: ExprNode; right: ExprNode }
export interface LogicNode { kind: 'logic'; op: LogicOp; left: ExprNode; right: ExprNode }
export interface NotNode { kind: 'not'; expr: ExprNode }
export interface NegNode { kind: 'neg'; expr: ExprNode }
export interface IsNullNode { kind: 'isNull'; expr: ExprNode; negated: boolean }
export interface InNode { kind: 'in'; expr: ExprNode; list: ExprNode[]; negated: boolean }
export interface BetweenNode { kind: 'between'; expr: ExprNode; low: ExprNode; high: ExprNode; negated: boolean }
/** SQL LIKE: `%` any run, `_` one character, `escape` (default backslash) quotes the next one. */
export interface LikeNode { kind: 'like'; expr: ExprNode; pattern: string; escape?: string; negated: boolean }
/** Java/Spark RLIKE: true when the regular expression matches anywhere in the value. */
export interface RlikeNode { kind: 'rlike'; expr: ExprNode; pattern: string; negated: boolean }
export interface CaseNode { kind: 'case'; branches: { when: ExprNode; then: ExprNode }[]; otherwise?: ExprNode }
/** `to` is a type name understood by src/types/typeNames.ts (int32, decimal(10,2), timestamp...). */
export interface CastNode { kind: 'cast'; expr: ExprNode; to: string }
/** A named function (lower-case name): coalesce, lower, year, date_trunc, ... see functions.ts. */
export interface CallNode { kind: 'call'; fn: string; args: ExprNode[] }

export type ExprNode =
  | ColNode | FieldNode | LitNode | ArithNode | CompareNode | LogicNode | NotNode | NegNode
  | IsNullNode | InNode | BetweenNode | LikeNode | RlikeNode | CaseNode | CastNode | CallNode;

/** The direct sub-expressions of a node, in evaluation order (for walkers such as column lists). */
export function childrenOf(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case 'col': case 'lit': return [];
    case 'field': case 'not': case 'neg': case 'isNull': case 'like': case 'rlike': case 'cast': return [node.expr];
    case 'arith': case 'compare': case 'logic': return [node.left, node.right];
    case 'in': return [node.expr, ...node.list];
    case 'between': return [node.expr, node.low, node.high];
    case 'case': return [...node.branches.flatMap((b) => [b.when, b.then]), ...(node.otherwise ? [node.otherwise] : [])];
    case 'call': return node.args;
  }
}

/** The top-level column names an expression reads (for projection push-down). */
export function referencedColumns(node: ExprNode, into: Set<string> = new Set()): Set<string> {
  if (node.kind === 'col') into.add(node.name);
  for (const child of childrenOf(node)) referencedColumns(child, into);
  return into;
}
