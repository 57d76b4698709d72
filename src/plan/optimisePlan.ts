import type { PlanNode } from './PlanNode.js';
import { installedTransforms } from './installedTransforms.js';
import type { TransformDefs } from './TransformDef.js';
import { pushDownFilters } from './pushDownFilters.js';
import { pushDownProjection } from './pushDownProjection.js';

/**
 * The rewrites every run applies before binding a plan: row filters' conditions down to the scans
 * (they skip partitions and row groups), then the columns each scan must read.
 */
export function optimisePlan(plan: PlanNode, required: Set<string> | null = null, defs: TransformDefs = installedTransforms()): PlanNode {
  return pushDownProjection(pushDownFilters(plan, defs), required, defs);
}
