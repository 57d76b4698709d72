import type { ExprNode } from '../expr/ast.js';
import type { CompileContext } from './Relation.js';

/**
 * The expressions a step needs as columns (GROUP BY keys, aggregate and window arguments): a plain
 * column is used as it is; any other expression gets a fresh name in `computed`, which the caller
 * projects before the step.
 */
export function computedColumns(ctx: CompileContext): { computed: Record<string, ExprNode>; columnFor(e: ExprNode, prefix: string): string } {
  const computed: Record<string, ExprNode> = {};
  const columnFor = (e: ExprNode, prefix: string): string => {
    if (e.kind === 'col') return e.name;
    const name = ctx.fresh(prefix);
    computed[name] = e;
    return name;
  };
  return { computed, columnFor };
}
