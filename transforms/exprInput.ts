import type { Schema } from 'apache-arrow';
import type { ExprNode } from '../src/expr/ast.js';
import { inferType, parseExpr } from '../src/expr/index.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import type { ExprInput } from './types.js';

/** An expression as plain JSON: SQL text is parsed, a builder gives its toJSON(), JSON stays. */
export function toExprNode(input: ExprInput): ExprNode {
  if (typeof input === 'string') return parseExpr(input);
  if (typeof input === 'object' && input !== null) {
    if ('toJSON' in input && typeof input.toJSON === 'function') return input.toJSON();
    if (typeof (input as ExprNode).kind === 'string') return input as ExprNode;
  }
  throw new SluiceError(`expected an expression (SQL text, a col()/lit() builder or its JSON), got ${JSON.stringify(input)}`);
}

export const isExprInput = (f: unknown): f is ExprInput =>
  typeof f === 'string' || (typeof f === 'object' && f !== null && ('toJSON' in f || typeof (f as { kind?: unknown }).kind === 'string'));

/** The expression's type over `schema`; type errors name the expression. */
export const exprType = (node: ExprNode, schema: Schema) => inferType(node, schema);
