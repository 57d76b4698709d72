import type { PlanNode } from './PlanNode.js';

/** A plan as an indented tree, one node per line, inputs below their consumer (as Spark does). */
export function explainPlan(node: PlanNode, indent = ''): string {
  const line = `${indent}${describe(node)}`;
  const inputs = node.kind === 'transform' ? node.inputs : [];
  return [line, ...inputs.map((i) => explainPlan(i, indent + '  '))].join('\n');
}

function describe(node: PlanNode): string {
  const ctx = node.transformationCtx ? ` [${node.transformationCtx}]` : '';
  switch (node.kind) {
    case 'scan':
      return `Scan ${node.format} ${JSON.stringify(node.paths)}${node.schema ? ` schema=${JSON.stringify(node.schema)}` : ''}${ctx}`;
    case 'values':
      return `Values ${node.batches.reduce((n, b) => n + b.numRows, 0)} rows${ctx}`;
    case 'transform':
      return `${node.name} ${JSON.stringify(node.params, paramReplacer)}${ctx}`;
  }
}

/** Row functions print as their module reference or as <function>. */
function paramReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'function' ? '<function>' : value;
}
