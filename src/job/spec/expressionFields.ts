/**
 * The job-spec fields that hold SQL expressions, per node type: placeholders in them are filled
 * as literals (expressionPlaceholders.ts). `*` stands for every value of an object field.
 * TODO(transform registry): move these marks onto the transform definitions.
 */
export const EXPRESSION_FIELDS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  Filter: [['condition']],
  WithColumns: [['columns', '*']],
};

/** Fields that hold a node applied inside another (MapToCollection's `transform`): their expressions count too. */
const NODE_FIELDS: Readonly<Record<string, string>> = { MapToCollection: 'transform' };

/** True when `path` (keys from the spec's root) is an expression field of a node. */
export function isExpressionField(spec: unknown, path: readonly (string | number)[]): boolean {
  if (path.length < 3 || path[0] !== 'nodes' || typeof path[1] !== 'number') return false;
  const nodes = (spec as { nodes?: unknown }).nodes;
  const node = Array.isArray(nodes) ? (nodes[path[1]] as Record<string, unknown> | undefined) : undefined;
  return isNodeExpression(node, path.slice(2));
}

function isNodeExpression(node: Record<string, unknown> | undefined, rest: readonly (string | number)[]): boolean {
  if (typeof node?.type !== 'string') return false;
  const inner = NODE_FIELDS[node.type];
  if (inner !== undefined && rest[0] === inner) return isNodeExpression(node[inner] as Record<string, unknown> | undefined, rest.slice(1));
  const fields = EXPRESSION_FIELDS[node.type];
  return fields?.some((field) => field.length === rest.length && field.every((key, i) => key === '*' || key === rest[i])) ?? false;
}
