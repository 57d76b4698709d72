import type { ExprNode } from '../expr/ast.js';
import { referencedColumns } from '../expr/ast.js';
import { parseExpr } from '../expr/parser.js';

/**
 * Helpers for transform definitions' `inputColumns` (projection push-down): names are top-level
 * columns; a dotted path needs its first segment.
 */

/** The columns an expression parameter reads, or undefined when it is not an expression. */
export function exprColumns(value: unknown): Set<string> | undefined {
  try {
    if (typeof value === 'string') return referencedColumns(parseExpr(value));
    if (value && typeof value === 'object' && 'kind' in value) return referencedColumns(value as ExprNode);
  } catch {
    return undefined; // let the transform report the bad expression itself
  }
  return undefined;
}

/** The first name of a dotted path (backticks quote names with dots). */
export function topLevel(path: string): string {
  const m = /^`((?:[^`]|``)*)`/.exec(path);
  if (m) return m[1].replace(/``/g, '`');
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

/** The union of column sets. */
export function union(...sets: Iterable<string>[]): Set<string> {
  return new Set(sets.flatMap((s) => [...s]));
}
