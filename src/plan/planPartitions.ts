import type { PlanNode } from './PlanNode.js';
import { installedTransforms } from './installedTransforms.js';
import type { TransformDef, TransformDefs } from './TransformDef.js';

/**
 * How many partitions a plan's output is written as when a Repartition or Coalesce decided it
 * (`df.repartition(4).filter(…)` still writes 4), else undefined. Row-wise steps keep their input's
 * partitioning, as Spark's narrow transformations do; a join, aggregate or sort resets it.
 */
export function planPartitions(node: PlanNode, defs: TransformDefs = installedTransforms()): number | undefined {
  if (node.kind !== 'transform') return undefined;
  const def = defs.get(node.name) as TransformDef | undefined;
  if (!def) return undefined;
  const input = node.inputs.length ? planPartitions(node.inputs[0], defs) : undefined;
  if (def.partitions) return def.partitions(node.params, input);
  return def.perSplit?.(node.params) ? input : undefined;
}
