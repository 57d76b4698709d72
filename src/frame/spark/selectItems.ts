import type { ExprNode } from '../../expr/ast.js';
import { Expr, toNode } from '../../expr/builders.js';
import { formatExpr } from '../../expr/format.js';
import { parseExpr } from '../../expr/parser.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/** What `select` and `selectExpr` take: a column name, `'*'`, or an expression with an optional alias. */
export type SelectItem = string | Expr | ExprNode;

/** One output column of a select: its name and expression, or every input column (`*`). */
export type SelectEntry = { star: true } | { star?: false; name: string; node: ExprNode; aliased?: boolean };

/**
 * A select item as an output column. A string is a column name as in PySpark's `select('a')`; a
 * dotted name reaches into a struct and outputs the last field (`address.city` → `city`). An
 * unaliased expression is named by its SQL text, as Spark names it.
 */
export function selectEntry(item: SelectItem): SelectEntry {
  if (item === '*') return { star: true };
  if (typeof item === 'string') {
    const node = columnReference(item);
    return { name: outputName(node), node };
  }
  if (item instanceof Expr) return { name: item.aliasName ?? outputName(item.node), node: item.node, aliased: item.aliasName !== undefined };
  const node = toNode(item);
  return { name: outputName(node), node };
}

/**
 * A `selectExpr` string: Spark SQL with an optional `AS alias` (or a bare trailing alias) at the
 * end; `*` for every column.
 */
export function selectExprEntry(sql: string): SelectEntry {
  const text = sql.trim();
  if (text === '*') return { star: true };
  const aliased = /^([\s\S]*?)\s+(?:as\s+)?(`(?:[^`]|``)+`|[A-Za-z_][A-Za-z0-9_]*)$/i.exec(text);
  if (aliased && !/^(and|or|not|is|null|end|true|false|desc|asc)$/i.test(aliased[2])) {
    try {
      const node = parseSelectExpr(aliased[1]);
      const alias = aliased[2].startsWith('`') ? aliased[2].slice(1, -1).replace(/``/g, '`') : aliased[2];
      return { name: alias, node, aliased: true };
    } catch {
      // not `expr alias`: the whole text is the expression
    }
  }
  const node = parseSelectExpr(text);
  return { name: outputName(node), node };
}

const GENERATOR = /^\s*((?:pos)?explode(?:_outer)?)\s*\(([\s\S]*)\)\s*$/i;
const JSON_TUPLE = /^\s*json_tuple\s*\(([\s\S]*)\)\s*$/i;

/** An expression, or a generator call around one (the expression parser knows no generators). */
function parseSelectExpr(text: string): ExprNode {
  const generator = GENERATOR.exec(text);
  if (generator) return { kind: 'call', fn: generator[1].toLowerCase(), args: [parseExpr(generator[2])] };
  // json_tuple(a, 'x', 'y'): its arguments read as the arguments of a function the parser knows.
  const tuple = JSON_TUPLE.exec(text);
  if (tuple) return { kind: 'call', fn: 'json_tuple', args: (parseExpr(`coalesce(${tuple[1]})`) as { args: ExprNode[] }).args };
  return parseExpr(text);
}

/** A column named by a string: a plain name or a dotted path into structs; any other text is one column's name. */
function columnReference(name: string): ExprNode {
  try {
    const node = parseExpr(name);
    if (node.kind === 'col' || node.kind === 'field') return node;
  } catch {
    // a name no expression reads as (`order id`): take it whole
  }
  return { kind: 'col', name };
}

function outputName(node: ExprNode): string {
  if (node.kind === 'col' || node.kind === 'field') return node.name;
  return formatExpr(node);
}

/** Fails on two output columns of one name, which sluice frames cannot hold (Spark allows them). */
export function checkDistinctNames(entries: SelectEntry[], method: string): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.star) continue;
    if (seen.has(e.name)) throw new SluiceError(`${method}: two output columns are named '${e.name}'; give one an alias (.alias('other'))`);
    seen.add(e.name);
  }
}
