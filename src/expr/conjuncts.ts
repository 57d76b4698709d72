import type { ExprNode } from './ast.js';

/** The parts of an `a AND b AND …` condition (a condition without AND is its own one part). */
export function conjuncts(node: ExprNode): ExprNode[] {
  return node.kind === 'logic' && node.op === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node];
}

/** `a AND b AND …` of the parts (undefined for none). */
export function allOf(parts: readonly ExprNode[]): ExprNode | undefined {
  return parts.reduce<ExprNode | undefined>((acc, part) => (acc ? { kind: 'logic', op: 'and', left: acc, right: part } : part), undefined);
}
