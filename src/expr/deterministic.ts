import { childrenOf, type ExprNode } from './ast.js';
import { findFunction } from './functions.js';

/**
 * Whether an expression gives the same value for the same row wherever it runs: false when it
 * calls rand, randn, uuid or another function marked non-deterministic. Such an expression must
 * not be moved (into a scan as a pruning predicate) or duplicated; Spark's optimiser keeps the
 * same rule.
 */
export function isDeterministic(node: ExprNode): boolean {
  if (node.kind === 'call' && findFunction(node.fn)?.deterministic === false) return false;
  return childrenOf(node).every(isDeterministic);
}
