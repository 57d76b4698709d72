import type { ExprNode } from '../expr/ast.js';
import { referencedColumns } from '../expr/ast.js';
import { parseExpr } from '../expr/parser.js';
import type { PlanNode, ScanNode, TransformNode } from './PlanNode.js';

/**
 * Projection push-down: rewrites a plan so that scans read only the columns some node above
 * them uses (Parquet then decodes fewer column chunks; CSV builds fewer columns). `required` is
 * the set of top-level columns the consumer needs, `null` for all of them; an empty set means
 * only the row count matters (count()).
 *
 * Rules are conservative: a transform this file does not know, or one with a row function,
 * needs all of its input. Names are top-level columns; a dotted path needs its first segment.
 */
export function pushDownProjection(node: PlanNode, required: Set<string> | null = null): PlanNode {
  switch (node.kind) {
    case 'values':
      return node;
    case 'scan':
      return required ? ({ ...node, columns: [...required] } satisfies ScanNode) : node;
    case 'transform': {
      const inputs = inputRequirements(node, required);
      return { ...node, inputs: node.inputs.map((input, i) => pushDownProjection(input, inputs[i])) };
    }
  }
}

function inputRequirements(node: TransformNode, required: Set<string> | null): (Set<string> | null)[] {
  const p = node.params as Record<string, unknown>;
  const all = node.inputs.map(() => null);
  const union = (...sets: Iterable<string>[]) => new Set(sets.flatMap((s) => [...s]));
  switch (node.name) {
    case 'Limit':
      return [required];
    case 'Filter': {
      const refs = exprColumns(p.f);
      return refs && required ? [union(required, refs)] : all;
    }
    case 'WithColumns': {
      if (!required) return all;
      const columns = p.columns as Record<string, unknown>;
      const refs: string[] = [];
      for (const e of Object.values(columns)) {
        const r = exprColumns(e);
        if (!r) return all;
        refs.push(...r);
      }
      return [union([...required].filter((c) => !(c in columns)), refs)];
    }
    case 'SelectFields':
      return [new Set((p.paths as string[]).map(topLevel))];
    case 'DropFields':
      // The dropped columns must still exist for DropFields to check its paths.
      return required ? [union(required, (p.paths as string[]).map(topLevel))] : all;
    case 'RenameField': {
      if (!required) return all;
      const oldTop = topLevel(p.oldName as string);
      const newTop = topLevel(p.newName as string);
      return [union([...required].filter((c) => c !== newTop), [oldTop])];
    }
    case 'ApplyMapping':
      return [new Set((p.mappings as string[][]).map((m) => topLevel(m[0])))];
    case 'GroupBy': {
      const aggs = p.aggregations as { column?: string }[];
      return [new Set([...(p.keys as string[]), ...aggs.flatMap((a) => (a.column ? [a.column] : []))])];
    }
    case 'OrderBy':
      return required ? [union(required, (p.keys as { column: string }[]).map((k) => k.column))] : all;
    default:
      return all;
  }
}

/** The columns an expression parameter reads, or undefined when it is not an expression. */
function exprColumns(value: unknown): Set<string> | undefined {
  try {
    if (typeof value === 'string') return referencedColumns(parseExpr(value));
    if (value && typeof value === 'object' && 'kind' in value) return referencedColumns(value as ExprNode);
  } catch {
    return undefined; // let the transform report the bad expression itself
  }
  return undefined;
}

/** The first name of a dotted path (backticks quote names with dots). */
function topLevel(path: string): string {
  const m = /^`((?:[^`]|``)*)`/.exec(path);
  if (m) return m[1].replace(/``/g, '`');
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}
