import { Bool, DataType, Field, Schema, Struct, Type } from 'apache-arrow';
import type { ExprNode } from './ast.js';
import { lookupFunction } from './functions.js';
import { literalValue } from './literal.js';
import { formatExpr } from './format.js';
import {
  arithResultType, comparisonType, describeType, isBoolType, isNullType, isNumericType, isStringType, mergeType,
} from './typeRules.js';
import { parseType } from '../types/typeNames.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * The type an expression produces over rows of `schema`, by Spark's rules (typeRules.ts):
 * int32 + int32 → int32, int op float → float64, int / int → float64, comparisons → bool,
 * year() → int32. Throws a SluiceError naming the expression for unknown columns and type errors.
 * A dictionary-encoded string column is a string (evaluate may keep the dictionary).
 */
export function inferType(node: ExprNode, schema: Schema): DataType {
  switch (node.kind) {
    case 'col': {
      const field = schema.fields.find((f) => f.name === node.name);
      if (!field) {
        throw new SluiceError(`unknown column '${node.name}'; available columns: ${schema.fields.map((f) => f.name).join(', ') || '(none)'}`);
      }
      return field.type;
    }
    case 'field': {
      const parent = inferType(node.expr, schema);
      if (parent.typeId !== Type.Struct) throw new SluiceError(`cannot read field '${node.name}' of ${formatExpr(node.expr)}: it is ${describeType(parent)}, not a struct`);
      const child = (parent as Struct).children.find((f: Field) => f.name === node.name);
      if (!child) {
        throw new SluiceError(`struct ${formatExpr(node.expr)} has no field '${node.name}'; its fields: ${(parent as Struct).children.map((f) => f.name).join(', ')}`);
      }
      return child.type;
    }
    case 'lit': return literalValue(node).type;
    case 'arith': {
      const left = inferType(node.left, schema);
      const right = inferType(node.right, schema);
      const type = arithResultType(node.op, left, right, { left: integerLiteral(node.left), right: integerLiteral(node.right) });
      if (!type) throw typeError(node, `'${node.op}' needs numbers, got ${describeType(left)} and ${describeType(right)}`);
      return type;
    }
    case 'neg': {
      const type = inferType(node.expr, schema);
      if (!isNumericType(type) && !isNullType(type)) throw typeError(node, `unary minus needs a number, got ${describeType(type)}`);
      return type; // Spark's unary minus keeps the type, decimals included
    }
    case 'compare': {
      const left = inferType(node.left, schema);
      const right = inferType(node.right, schema);
      if (!comparisonType(left, right)) throw typeError(node, `cannot compare ${describeType(left)} with ${describeType(right)}`);
      return new Bool();
    }
    case 'logic': case 'not': {
      const operands = node.kind === 'not' ? [node.expr] : [node.left, node.right];
      for (const operand of operands) {
        const type = inferType(operand, schema);
        if (!isBoolType(type) && !isNullType(type)) throw typeError(node, `${node.kind === 'not' ? 'NOT' : node.op.toUpperCase()} needs booleans, got ${describeType(type)} from ${formatExpr(operand)}`);
      }
      return new Bool();
    }
    case 'isNull': inferType(node.expr, schema); return new Bool();
    case 'in': {
      const value = inferType(node.expr, schema);
      for (const item of node.list) {
        const type = inferType(item, schema);
        if (!comparisonType(value, type)) throw typeError(node, `IN list item ${formatExpr(item)} (${describeType(type)}) cannot be compared with ${describeType(value)}`);
      }
      return new Bool();
    }
    case 'between': {
      const value = inferType(node.expr, schema);
      for (const bound of [node.low, node.high]) {
        const type = inferType(bound, schema);
        if (!comparisonType(value, type)) throw typeError(node, `BETWEEN bound ${formatExpr(bound)} (${describeType(type)}) cannot be compared with ${describeType(value)}`);
      }
      return new Bool();
    }
    case 'like': case 'rlike': {
      const type = inferType(node.expr, schema);
      if (!isStringType(type) && !isNullType(type)) throw typeError(node, `${node.kind.toUpperCase()} needs a string, got ${describeType(type)}`);
      return new Bool();
    }
    case 'case': {
      let result: DataType | undefined;
      for (const branch of node.branches) {
        const cond = inferType(branch.when, schema);
        if (!isBoolType(cond) && !isNullType(cond)) throw typeError(node, `WHEN ${formatExpr(branch.when)} must be a boolean, got ${describeType(cond)}`);
        result = mergeBranch(node, result, inferType(branch.then, schema));
      }
      if (node.otherwise) result = mergeBranch(node, result, inferType(node.otherwise, schema));
      return result!;
    }
    case 'cast': inferType(node.expr, schema); return parseType(node.to);
    case 'call': {
      const def = lookupFunction(node.fn, node.args.length);
      return def.returnType(node.args.map((a) => inferType(a, schema)), node.args);
    }
  }
}

function mergeBranch(node: ExprNode, acc: DataType | undefined, next: DataType): DataType {
  if (!acc) return next;
  const merged = mergeType(acc, next);
  if (!merged) throw typeError(node, `CASE branches have incompatible types ${describeType(acc)} and ${describeType(next)}`);
  return merged;
}

const typeError = (node: ExprNode, message: string) => new SluiceError(`${message} in: ${formatExpr(node)}`);

/** The value of an integer literal node (for Spark's decimal literal rule), else undefined. */
function integerLiteral(node: ExprNode): number | bigint | undefined {
  if (node.kind !== 'lit' || node.value === null) return undefined;
  const { type, value } = literalValue(node);
  return type.typeId === Type.Int && (typeof value === 'number' || typeof value === 'bigint') ? value : undefined;
}
