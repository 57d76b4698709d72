import type { PlanNode } from './PlanNode.js';
import { installedTransforms } from './installedTransforms.js';
import type { TransformDef, TransformDefs } from './TransformDef.js';
import { allOf, conjuncts } from '../expr/conjuncts.js';
import type { ExprNode } from '../expr/ast.js';
import { isDeterministic } from '../expr/deterministic.js';

/**
 * Filter push-down: the condition of a row filter (a transform whose definition says what rows it
 * `keeps`) travels down to the scan below it — through other row filters, which commute with it —
 * as the scan's `predicate`. The scan then skips Hive partitions and Parquet row groups that
 * cannot hold a kept row. The filters stay in the plan: a predicate only ever skips whole units.
 */
export function pushDownFilters(node: PlanNode, defs: TransformDefs = installedTransforms()): PlanNode {
  if (node.kind !== 'transform') return node;
  const inputs = node.inputs.map((input) => pushDownFilters(input, defs));
  const condition = deterministicPart(keptBy(node, defs));
  if (condition && inputs.length === 1) inputs[0] = withPredicate(inputs[0], condition, defs);
  return { ...node, inputs };
}

/** The conjuncts a scan may prune by: not `rand() < 0.1`, whose value is no property of a partition or row group. */
function deterministicPart(condition: ExprNode | undefined): ExprNode | undefined {
  return condition && allOf(conjuncts(condition).filter(isDeterministic));
}

const keptBy = (node: PlanNode, defs: TransformDefs): ExprNode | undefined =>
  node.kind === 'transform' ? (defs.get(node.name) as TransformDef | undefined)?.keeps?.(node.params) : undefined;

function withPredicate(node: PlanNode, condition: ExprNode, defs: TransformDefs): PlanNode {
  // A deferred scan gets it too: its `resolve` is given the scan (a catalog table prunes partitions by it).
  if (node.kind === 'scan') return { ...node, predicate: withCondition(node.predicate, condition) };
  if (node.kind === 'transform' && node.inputs.length === 1 && keptBy(node, defs)) {
    return { ...node, inputs: [withPredicate(node.inputs[0], condition, defs)] };
  }
  return node;
}

/** `predicate AND condition`, leaving out the parts of `condition` it already holds (push-down runs before and after deferred scans resolve). */
function withCondition(predicate: ExprNode | undefined, condition: ExprNode): ExprNode {
  if (!predicate) return condition;
  const held = new Set(conjuncts(predicate).map((part) => JSON.stringify(part)));
  const added = conjuncts(condition).filter((part) => !held.has(JSON.stringify(part)));
  return allOf([predicate, ...added])!;
}
