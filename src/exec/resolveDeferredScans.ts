import type { PlanNode } from '../plan/PlanNode.js';

/**
 * The plan with every deferred scan (ScanNode.resolve: a bookmarked source listed when first
 * run) and deferred transform (TransformNode.resolve: ResolveChoice reading the catalog's
 * types) replaced by the plan it resolves to. Done before a plan is cut into parallel regions, so
 * the splits cover the files the source chose, not every file its paths name.
 */
export async function resolveDeferredScans(node: PlanNode): Promise<PlanNode> {
  switch (node.kind) {
    case 'scan':
      return node.resolve ? resolveDeferredScans(await node.resolve(node)) : node;
    case 'values':
      return node;
    case 'transform': {
      const inputs = await Promise.all(node.inputs.map(resolveDeferredScans));
      const self = inputs.every((input, i) => input === node.inputs[i]) ? node : { ...node, inputs };
      return self.resolve ? resolveDeferredScans(await self.resolve(self)) : self;
    }
  }
}
