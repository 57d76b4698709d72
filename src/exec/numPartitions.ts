import type { PlanNode } from '../plan/PlanNode.js';
import { optimisePlan } from '../plan/optimisePlan.js';
import { planPartitions } from '../plan/planPartitions.js';
import { pushDownFilters } from '../plan/pushDownFilters.js';
import { splitRegion, type ExecutePlanOptions } from './parallel/boundRegion.js';
import { regionOf } from './parallel/planRegions.js';
import { parallelSettings } from './parallel/settings.js';
import { resolveDeferredScans } from './resolveDeferredScans.js';

/**
 * How many partitions a plan's output has — the part files a write of it makes, before Hive
 * folders and `maxRowsPerFile` cut them further (Spark/Glue: `getNumPartitions()`): the `n` of a
 * repartition(n)/coalesce(n) that still decides it, else the splits a split-parallel write runs
 * (a scan and its streaming steps over a large enough input), else 1. Lists and splits the
 * input; reads no data.
 */
export async function planNumPartitions(plan: PlanNode, options: ExecutePlanOptions): Promise<number> {
  const resolved = optimisePlan(await resolveDeferredScans(pushDownFilters(plan, options.registry)), null, options.registry);
  const decided = planPartitions(resolved, options.registry);
  if (decided !== undefined) return decided;
  const settings = parallelSettings(options);
  const region = settings ? regionOf(resolved, options.registry) : undefined;
  if (!settings || !region) return 1;
  const { splits, parallel } = await splitRegion(region, settings);
  return parallel ? splits.length : 1;
}
