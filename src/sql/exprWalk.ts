import type { ExprNode } from '../expr/ast.js';
import { isSqlOnly, type SqlExpr } from './ast.js';

/** A copy of `node` with each direct child replaced by `f(child)` (SQL-only nodes are left to `f`'s caller). */
export function mapChildren(node: SqlExpr, f: (child: SqlExpr) => ExprNode): SqlExpr {
  if (isSqlOnly(node)) return node;
  switch (node.kind) {
    case 'col': case 'lit': return node;
    case 'field': case 'not': case 'neg': case 'isNull': case 'like': case 'rlike': case 'cast': return { ...node, expr: f(node.expr) };
    case 'arith': case 'compare': case 'logic': return { ...node, left: f(node.left), right: f(node.right) };
    case 'in': return { ...node, expr: f(node.expr), list: node.list.map(f) };
    case 'between': return { ...node, expr: f(node.expr), low: f(node.low), high: f(node.high) };
    case 'case': return {
      ...node,
      branches: node.branches.map((b) => ({ when: f(b.when), then: f(b.then) })),
      ...(node.otherwise ? { otherwise: f(node.otherwise) } : {}),
    };
    case 'call': return { ...node, args: node.args.map(f) };
  }
}

/** Direct children of any SQL expression node (not descending into subqueries). */
export function sqlChildren(node: SqlExpr): SqlExpr[] {
  switch (node.kind) {
    case 'sqlCall': return [...node.args, ...(node.over ? [...node.over.partitionBy, ...node.over.orderBy.map((o) => o.expr)] : [])];
    case 'inQuery': return [node.expr];
    case 'exists': case 'scalarQuery': return [];
    default: {
      const out: SqlExpr[] = [];
      mapChildren(node, (c) => (out.push(c), c as ExprNode));
      return out;
    }
  }
}

/** Every node of a tree for which `test` holds, outermost first; does not look inside matches. */
export function findNodes<T extends SqlExpr>(node: SqlExpr, test: (n: SqlExpr) => n is T, into: T[] = []): T[] {
  if (test(node)) into.push(node);
  else for (const child of sqlChildren(node)) findNodes(child, test, into);
  return into;
}

/** `a AND b AND c` as [a, b, c]. */
export function conjuncts(node: SqlExpr): SqlExpr[] {
  if (node.kind === 'logic' && node.op === 'and') return [...conjuncts(node.left), ...conjuncts(node.right)];
  return [node];
}

export function andAll(nodes: ExprNode[]): ExprNode | undefined {
  return nodes.reduce<ExprNode | undefined>((acc, n) => (acc ? { kind: 'logic', op: 'and', left: acc, right: n } : n), undefined);
}

/** A copy of a resolved expression with every column reference renamed by `rename`. */
export function renameColumns(node: ExprNode, rename: (name: string) => string): ExprNode {
  if (node.kind === 'col') return { kind: 'col', name: rename(node.name) };
  return mapChildren(node, (child) => renameColumns(child as ExprNode, rename)) as ExprNode;
}
