/**
 * The job-spec fields that hold SQL expressions, per node type: placeholders in them are filled
 * as literals (expressionPlaceholders.ts). `*` stands for every value of an object field.
 * TODO(transform registry): move these marks onto the transform definitions.
 */
export const EXPRESSION_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Filter: [['condition']],
  WithColumns: [['columns', '*']],
};

/** True when `path` (keys from the spec's root) is an expression field of a node. */
export function isExpressionField(spec: unknown, path: readonly (string | number)[]): boolean {
  if (path.length < 3 || path[0] !== 'nodes' || typeof path[1] !== 'number') return false;
  const nodes = (spec as { nodes?: unknown }).nodes;
  const node = Array.isArray(nodes) ? (nodes[path[1]] as { type?: unknown } | undefined) : undefined;
  const fields = typeof node?.type === 'string' ? EXPRESSION_FIELDS[node.type] : undefined;
  const rest = path.slice(2);
  return fields?.some((field) => field.length === rest.length && field.every((key, i) => key === '*' || key === rest[i])) ?? false;
}
