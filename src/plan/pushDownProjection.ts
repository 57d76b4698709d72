import type { PlanNode, ScanNode } from './PlanNode.js';
import { installedTransforms } from './installedTransforms.js';
import type { TransformDef, TransformDefs } from './TransformDef.js';

const NONE: ReadonlySet<string> = new Set();

/**
 * Projection push-down: rewrites a plan so that scans read only the columns some node above
 * them uses (Parquet then decodes fewer column chunks; CSV builds fewer columns). `required` is
 * the set of top-level columns the consumer needs, `null` for all of them; an empty set means
 * only the row count matters (count()): a transform that can then give rows without columns
 * (`rowsOnly`) is told so.
 *
 * Each transform's definition says which input columns it needs (`inputColumns`); one that does
 * not say, or is not in `defs`, needs all of its input. Columns a transform only checks exist
 * (`checkedOnly`: DropFields' paths) become the scan's `stubColumns`, read as nulls; they pass
 * down through row filters that do not read them, and are read in full below anything else.
 */
export function pushDownProjection(node: PlanNode, required: Set<string> | null = null, defs: TransformDefs = installedTransforms()): PlanNode {
  return pushDown(node, required, NONE, defs);
}

/** `stubs`: columns of the node's output that only need to exist, never in `required`. */
function pushDown(node: PlanNode, required: Set<string> | null, stubs: ReadonlySet<string>, defs: TransformDefs): PlanNode {
  switch (node.kind) {
    case 'values':
      return node;
    case 'scan': {
      const stubbed = stubs.size > 0 ? { stubColumns: [...stubs] } : {};
      return required ? ({ ...node, columns: [...required, ...stubs], ...stubbed } satisfies ScanNode) : { ...node, ...stubbed };
    }
    case 'transform': {
      const def = defs.get(node.name) as TransformDef | undefined;
      const checkedOnly = def?.checkedOnly?.(node.params) ?? [];
      // Stubs go on below a row filter that does not read them; anything else must produce them.
      const reads = stubs.size > 0 && def?.keeps ? def.inputColumns?.(node.params, new Set())[0] : undefined;
      const passed = reads ? new Set([...stubs].filter((c) => !reads.has(c))) : NONE;
      const needed = [...stubs].filter((c) => !passed.has(c));
      const asked = required && needed.length > 0 ? new Set([...required, ...needed]) : required;
      const inputs = def?.inputColumns?.(node.params, asked) ?? [];
      // A row count alone, unless columns must still exist for a check above.
      const params = required?.size === 0 && stubs.size === 0 && def?.rowsOnly ? (def.rowsOnly(node.params) as Record<string, unknown>) : node.params;
      return {
        ...node,
        params,
        inputs: node.inputs.map((input, i) => {
          const wanted = inputs[i] ?? null;
          if (i > 0) return pushDown(input, wanted, NONE, defs);
          const inputStubs = new Set([...passed, ...checkedOnly].filter((c) => !wanted?.has(c)));
          return pushDown(input, wanted, inputStubs, defs);
        }),
      };
    }
  }
}
