import type { PlanNode, ScanNode } from './PlanNode.js';
import { installedTransforms } from './installedTransforms.js';
import type { TransformDef, TransformDefs } from './TransformDef.js';

/**
 * Projection push-down: rewrites a plan so that scans read only the columns some node above
 * them uses (Parquet then decodes fewer column chunks; CSV builds fewer columns). `required` is
 * the set of top-level columns the consumer needs, `null` for all of them; an empty set means
 * only the row count matters (count()): a transform that can then give rows without columns
 * (`rowsOnly`) is told so.
 *
 * Each transform's definition says which input columns it needs (`inputColumns`); one that does
 * not say, or is not in `defs`, needs all of its input.
 */
export function pushDownProjection(node: PlanNode, required: Set<string> | null = null, defs: TransformDefs = installedTransforms()): PlanNode {
  switch (node.kind) {
    case 'values':
      return node;
    case 'scan':
      return required ? ({ ...node, columns: [...required] } satisfies ScanNode) : node;
    case 'transform': {
      const def = defs.get(node.name) as TransformDef | undefined;
      const inputs = def?.inputColumns?.(node.params, required) ?? [];
      const params = required?.size === 0 && def?.rowsOnly ? (def.rowsOnly(node.params) as Record<string, unknown>) : node.params;
      return { ...node, params, inputs: node.inputs.map((input, i) => pushDownProjection(input, inputs[i] ?? null, defs)) };
    }
  }
}
