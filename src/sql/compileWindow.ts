import type { ExprNode } from '../expr/ast.js';
import type { SqlCallNode, SqlExpr } from './ast.js';
import { errorAt, type CompileContext, type Relation } from './Relation.js';

export function isWindowCall(node: SqlExpr): node is SqlCallNode {
  return node.kind === 'sqlCall' && node.over !== undefined;
}

export function compileWindows(ctx: CompileContext, _rel: Relation, calls: SqlCallNode[], _translate: (e: SqlExpr) => ExprNode): { rel: Relation; names: Map<SqlCallNode, string> } {
  throw errorAt(ctx, calls[0], 'window functions are not supported yet');
}
