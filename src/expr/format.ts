import type { ExprNode, LitNode } from './ast.js';

/**
 * Prints an expression as Spark SQL that parseExpr reads back into the same tree: for error
 * messages, explain() output and logs. Binary operations are fully parenthesised.
 */
export function formatExpr(node: ExprNode): string {
  switch (node.kind) {
    case 'col': return identifier(node.name);
    case 'field': return `${node.expr.kind === 'col' || node.expr.kind === 'field' ? formatExpr(node.expr) : `(${formatExpr(node.expr)})`}.${identifier(node.name)}`;
    case 'lit': return literal(node);
    case 'arith': case 'compare': return `(${formatExpr(node.left)} ${node.op} ${formatExpr(node.right)})`;
    case 'logic': return `(${formatExpr(node.left)} ${node.op.toUpperCase()} ${formatExpr(node.right)})`;
    case 'not': return `(NOT ${formatExpr(node.expr)})`;
    case 'neg': return `(- ${formatExpr(node.expr)})`;
    case 'isNull': return `(${formatExpr(node.expr)} IS ${node.negated ? 'NOT ' : ''}NULL)`;
    case 'in': return `(${formatExpr(node.expr)} ${node.negated ? 'NOT ' : ''}IN (${node.list.map(formatExpr).join(', ')}))`;
    case 'between':
      return `(${formatExpr(node.expr)} ${node.negated ? 'NOT ' : ''}BETWEEN ${formatExpr(node.low)} AND ${formatExpr(node.high)})`;
    case 'like':
      return `(${formatExpr(node.expr)} ${node.negated ? 'NOT ' : ''}LIKE ${quote(node.pattern)}${node.escape !== undefined ? ` ESCAPE ${quote(node.escape)}` : ''})`;
    case 'rlike': return `(${formatExpr(node.expr)} ${node.negated ? 'NOT ' : ''}RLIKE ${quote(node.pattern)})`;
    case 'case':
      return `CASE ${node.branches.map((b) => `WHEN ${formatExpr(b.when)} THEN ${formatExpr(b.then)}`).join(' ')}${node.otherwise ? ` ELSE ${formatExpr(node.otherwise)}` : ''} END`;
    case 'cast': return `CAST(${formatExpr(node.expr)} AS ${node.to})`;
    case 'call': return `${node.fn}(${node.args.map(formatExpr).join(', ')})`;
  }
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

const RESERVED = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'between', 'like', 'rlike', 'regexp', 'case', 'when', 'then', 'else', 'end', 'cast', 'as', 'true', 'false', 'escape', 'date', 'timestamp']);

function identifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase()) ? name : `\`${name.replace(/`/g, '``')}\``;
}

function literal(node: LitNode): string {
  const { value, type } = node;
  if (value === null) return type && type !== 'null' ? `CAST(NULL AS ${type === 'float64' ? 'double' : type})` : 'NULL';
  switch (type) {
    case 'date': return `DATE ${quote(String(value))}`;
    case 'timestamp': return `TIMESTAMP ${quote(String(value))}`;
    case 'int64': return `${value}L`;
    case 'float64': return formatFloat(Number(value));
    case 'string': return quote(String(value));
    case 'int32': return String(value);
    case 'bool': return value ? 'TRUE' : 'FALSE';
    default:
      if (typeof value === 'string') return quote(value);
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      return Number.isInteger(value) && Math.abs(value) <= 2147483647 ? String(value) : Number.isInteger(value) ? `${value}L` : formatFloat(value);
  }
}

/** A float literal that reads back as float64: always with a point or an exponent. */
function formatFloat(v: number): string {
  if (Number.isNaN(v) || !Number.isFinite(v)) return `CAST('${v}' AS double)`;
  const s = String(v);
  return /[.e]/.test(s) ? s : `${s}.0`;
}
