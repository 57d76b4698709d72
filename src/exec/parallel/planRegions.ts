import { nodeLabel, type NodeInfo, type PlanNode, type ScanNode, type TransformNode } from '../../plan/PlanNode.js';
import { installedTransforms } from '../../plan/installedTransforms.js';
import type { TransformDef, TransformDefs } from '../../plan/TransformDef.js';

/**
 * A transform of a parallel region, as it travels to workers: name, JSON params and the node's
 * label and error budgets (checked in the driver, over all splits).
 */
export interface RegionStep extends NodeInfo {
  name: string;
  params: Record<string, unknown>;
  label: string;
  /**
   * For a transform of two inputs (a Join): its second input (frame2, the build side), run once
   * in the driver and broadcast to every worker; the region streams through the first.
   */
  buildSide?: PlanNode;
}

/** A chain from a scan up through streaming transforms: it can run split by split. */
export interface Region {
  /** The plan node the chain ends in (its output is the region's output). */
  root: PlanNode;
  scan: ScanNode;
  /** Bottom-up: steps[0] reads the scan's output. */
  steps: RegionStep[];
}

export const PARALLEL_REGION = 'sluice.ParallelRegion';

/** The placeholder of a two-phase transform over a region: `sluice.ParallelGroupBy`. */
export const parallelPartialName = (transform: string) => `sluice.Parallel${transform}`;

/** The region a node ends, when the whole subtree below it can run per split. */
export function regionOf(node: PlanNode, defs: TransformDefs = installedTransforms()): Region | undefined {
  const steps: RegionStep[] = [];
  let current = node;
  for (;;) {
    if (current.kind === 'scan') {
      if (!isPlainJson(current.formatOptions ?? {})) return undefined;
      return { root: node, scan: current, steps: steps.reverse() };
    }
    if (current.kind !== 'transform') return undefined;
    const step = streamingStep(current, defs);
    if (!step) return undefined;
    steps.push(step);
    current = current.inputs[0];
  }
}

function streamingStep(node: TransformNode, defs: TransformDefs): RegionStep | undefined {
  // Closures cannot travel to a worker; module references ({ module, export }) and expressions can.
  if (!isPlainJson(node.params)) return undefined;
  const def = defs.get(node.name) as TransformDef | undefined;
  if (!def?.perSplit?.(node.params)) return undefined;
  const info = { label: nodeLabel(node), stageThreshold: node.stageThreshold, totalThreshold: node.totalThreshold };
  if (node.inputs.length === 1) return { name: node.name, params: node.params, ...info };
  if (node.inputs.length === 2) return { name: node.name, params: node.params, buildSide: node.inputs[1], ...info };
  return undefined;
}

/**
 * Replaces the maximal parallel regions of a plan by placeholder nodes (see executePlan): a
 * transform with a partial form (GroupBy) directly above a region becomes a partial-and-merge
 * node, any other region a node streaming the region's batches in split order. What is left
 * runs in the driver as before.
 */
export function extractRegions(plan: PlanNode, defs: TransformDefs = installedTransforms()): { plan: PlanNode; regions: Region[] } {
  const regions: Region[] = [];
  const rewrite = (node: PlanNode): PlanNode => {
    if (node.kind !== 'transform') {
      const region = node.kind === 'scan' ? regionOf(node, defs) : undefined;
      return region ? placeholder(PARALLEL_REGION, region, node, {}) : node;
    }
    if (defs.get(node.name)?.partial && node.inputs.length === 1 && isPlainJson(node.params)) {
      const region = regionOf(node.inputs[0], defs);
      if (region) return placeholder(parallelPartialName(node.name), region, node, { transform: node.name, params: node.params });
    }
    const region = regionOf(node, defs);
    if (region) return placeholder(PARALLEL_REGION, region, node, {});
    return { ...node, inputs: node.inputs.map(rewrite) };
  };
  const placeholder = (name: string, region: Region, replaced: PlanNode, params: Record<string, unknown>): TransformNode => {
    regions.push(region);
    // The label of the replaced node, so thresholds and error tags read as they would inline.
    const info: NodeInfo = { transformationCtx: nodeLabel(replaced) };
    if (name !== PARALLEL_REGION) Object.assign(info, { stageThreshold: replaced.stageThreshold, totalThreshold: replaced.totalThreshold });
    return { kind: 'transform', name, inputs: [], params: { ...params, region: regions.length - 1 }, ...info };
  };
  return { plan: rewrite(plan), regions };
}

/** True for values that survive JSON: no functions, class instances, bigints or undefined holes. */
export function isPlainJson(value: unknown): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (Array.isArray(value)) return value.every(isPlainJson);
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      return Object.values(value as object).every((v) => v === undefined || isPlainJson(v));
    }
    default:
      return false;
  }
}
