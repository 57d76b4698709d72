import { Data, DataType, makeVector, RecordBatch, Struct, Type, Vector } from 'apache-arrow';
import type { ExprNode } from './ast.js';
import { asColumn, broadcast, column, type Operand, scalar, scalarAt, typeOf } from './operand.js';
import { literalValue } from './literal.js';
import { findFunction, lookupFunction, type EvalContext } from './functions.js';
import { formatExpr } from './format.js';
import { mergeType, describeType } from './typeRules.js';
import { arith, negate } from './kernels/arith.js';
import { compare, compareTruthBits } from './kernels/compare.js';
import { isNull, logic, not, truthBits, truthMask } from './kernels/logic.js';
import { isIn } from './kernels/membership.js';
import { likeMatcher, matchStrings, rlikeMatcher } from './kernels/like.js';
import { caseWhen } from './kernels/select.js';
import { castOperand } from './kernels/castOperand.js';
import { andBits, andValidity, bitmapBytes, countUnset, validityOf } from './vectors.js';
import { parseType } from '../types/typeNames.js';
import { takeData } from '../columns/take.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * Evaluates an expression over a whole RecordBatch, column at a time, and returns an Arrow
 * Vector of `batch.numRows` rows (one Data chunk). Literals stay scalars until the end and are
 * broadcast only if the result itself is constant. String results may come back
 * dictionary-encoded (Dictionary<Utf8, Int32>) when the input was.
 */
export function evaluate(node: ExprNode, batch: RecordBatch, context?: EvalContext): Vector {
  const length = batch.numRows;
  return makeVector(asColumn(evaluateOperand(node, batch, context), length));
}

/** For filters: one byte per row, 1 where the predicate is TRUE, 0 where it is false or NULL. */
export function evaluatePredicate(node: ExprNode, batch: RecordBatch, context?: EvalContext): Uint8Array {
  return truthMask(evaluateOperand(node, batch, context), batch.numRows);
}

/**
 * For filters and counts: a bitmap of the rows where the predicate is TRUE (evaluatePredicate's
 * rows, bit i for row i). An AND evaluates its right side within its left side's rows, an OR
 * within the rows its left side leaves: a column compared with a literal is then compared on
 * those rows only, and nothing is materialised for the AND or OR itself.
 */
export function evaluatePredicateBits(node: ExprNode, batch: RecordBatch, context: EvalContext = START): Uint8Array {
  try {
    return predicateBits(node, batch, batch.numRows, context, null, 'a filter');
  } catch (error) {
    if (error instanceof SluiceError && !error.message.includes(' in: ')) {
      throw new SluiceError(`${error.message} in: ${formatExpr(node)}`, error.details);
    }
    throw error;
  }
}

/** TRUE rows of `node` among those set in `within` (null: all rows). `what` consumes the value (for type errors). */
function predicateBits(node: ExprNode, batch: RecordBatch, length: number, context: EvalContext, within: Uint8Array | null, what: string): Uint8Array {
  if (node.kind === 'logic' && node.op === 'and') {
    const left = predicateBits(node.left, batch, length, context, within, 'AND');
    return predicateBits(node.right, batch, length, context, left, 'AND');
  }
  if (node.kind === 'logic' && node.op === 'or') {
    // TRUE where either side is (NULL OR TRUE is TRUE); the right side only where the left is not.
    const left = predicateBits(node.left, batch, length, context, within, 'OR');
    const rest = new Uint8Array(left.length);
    for (let k = 0; k < rest.length; k++) rest[k] = (within ? within[k] : 0xff) & ~left[k];
    const right = predicateBits(node.right, batch, length, context, rest, 'OR');
    for (let k = 0; k < left.length; k++) left[k] |= right[k];
    return left;
  }
  let bits: Uint8Array;
  if (node.kind === 'compare') {
    const args = [evalNode(node.left, batch, length, context), evalNode(node.right, batch, length, context)];
    const fast = args.some((a) => a.kind === 'column') ? compareTruthBits(node.op, args[0], args[1], length, within) : undefined;
    if (fast) return fast;
    bits = truthBits(foldConstants(args, length, (ops, n) => applyKernel(node, ops, n, context)), length, what);
  } else bits = truthBits(evalNode(node, batch, length, context), length, what);
  if (within) andBits(bits, within);
  return bits;
}

/**
 * The evaluated result before broadcasting: a column, or a scalar when the expression is constant.
 * `context` says where the batch sits in its stream (rand's values depend on the row's position).
 */
export function evaluateOperand(node: ExprNode, batch: RecordBatch, context: EvalContext = START): Operand {
  try {
    return evalNode(node, batch, batch.numRows, context);
  } catch (error) {
    if (error instanceof SluiceError && !error.message.includes(' in: ')) {
      throw new SluiceError(`${error.message} in: ${formatExpr(node)}`, error.details);
    }
    throw error;
  }
}

const START: EvalContext = { partition: 0, rowOffset: 0 };

function evalNode(node: ExprNode, batch: RecordBatch, length: number, context: EvalContext): Operand {
  switch (node.kind) {
    case 'col': return column(columnData(batch, node.name));
    case 'field': return fieldOf(evalNode(node.expr, batch, length, context), node.name, length);
    case 'lit': {
      const { type, value } = literalValue(node);
      return scalar(type, value);
    }
    case 'cast': {
      const to = parseType(node.to);
      return castOperand(evalNode(node.expr, batch, length, context), to, length);
    }
    case 'case': {
      const conditions = node.branches.map((b) => evalNode(b.when, batch, length, context));
      const values = node.branches.map((b) => evalNode(b.then, batch, length, context));
      const otherwise = node.otherwise ? evalNode(node.otherwise, batch, length, context) : undefined;
      let type: DataType | undefined;
      for (const v of [...values, ...(otherwise ? [otherwise] : [])]) {
        const next = typeOf(v);
        type = type ? mergeType(type, next) : next;
        if (!type) throw new SluiceError(`CASE branches have incompatible types ${describeType(next)}`);
      }
      return foldConstants([...conditions, ...values, ...(otherwise ? [otherwise] : [])], length, (ops, n) =>
        caseWhen(type!, ops.slice(0, conditions.length), ops.slice(conditions.length, conditions.length + values.length),
          otherwise ? ops[ops.length - 1] : undefined, n));
    }
    default: {
      const args = argumentsOf(node).map((child) => evalNode(child, batch, length, context));
      // rand(1) has constant arguments but a value per row: it runs on every row.
      if (node.kind === 'call' && findFunction(node.fn)?.deterministic === false) return applyKernel(node, args, length, context);
      return foldConstants(args, length, (ops, n) => applyKernel(node, ops, n, context));
    }
  }
}


/** The sub-expressions whose values a node's kernel consumes, in order. */
function argumentsOf(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case 'arith': case 'compare': case 'logic': return [node.left, node.right];
    case 'not': case 'neg': case 'isNull': case 'like': case 'rlike': return [node.expr];
    case 'in': return [node.expr, ...node.list];
    case 'between': return [node.expr, node.low, node.high];
    case 'call': return node.args;
    default: throw new Error(`argumentsOf: ${node.kind} has its own evaluation`);
  }
}

function applyKernel(node: ExprNode, args: Operand[], length: number, context: EvalContext): Operand {
  switch (node.kind) {
    case 'arith': return arith(node.op, args[0], args[1], length);
    case 'compare': return compare(node.op, args[0], args[1], length);
    case 'logic': return logic(node.op, args[0], args[1], length);
    case 'not': return not(args[0], length);
    case 'neg': return negate(args[0], length);
    case 'isNull': return isNull(args[0], node.negated, length);
    case 'in': {
      const [value, ...list] = args;
      if (list.every((item) => item.kind === 'scalar')) return isIn(value, list, node.negated, length);
      // Column items: x IN (a, b) is x = a OR x = b.
      let result = compare('=', value, list[0], length);
      for (const item of list.slice(1)) result = logic('or', result, compare('=', value, item, length), length);
      return node.negated ? not(result, length) : result;
    }
    case 'between': {
      const inside = logic('and', compare('>=', args[0], args[1], length), compare('<=', args[0], args[2], length), length);
      return node.negated ? not(inside, length) : inside;
    }
    case 'like': return matchStrings(args[0], likeMatcher(node.pattern, node.escape), node.negated, length);
    case 'rlike': return matchStrings(args[0], rlikeMatcher(node.pattern), node.negated, length);
    case 'call': {
      const def = lookupFunction(node.fn, args.length);
      return def.evaluate(args, length, def.returnType(args.map(typeOf), node.args), context);
    }
    default: throw new Error(`applyKernel: unexpected ${node.kind}`);
  }
}

/**
 * Kernels are written for at least one column. When every input is a scalar the kernel runs on
 * one row and the result becomes a scalar again: constant sub-expressions cost O(1), not O(rows).
 */
function foldConstants(args: Operand[], length: number, kernel: (args: Operand[], length: number) => Operand): Operand {
  if (args.length === 0 || args.some((a) => a.kind === 'column')) return kernel(args, length);
  const one = kernel(args.map((a) => column(broadcast(typeOf(a), (a as { value: null }).value, 1))), 1);
  if (one.kind === 'scalar') return one;
  // An array or struct value is no Scalar: a constant one (array(1, 2)) is repeated on every row.
  if (NESTED.has(one.data.typeId)) return column(takeData(one.data, new Int32Array(length)));
  return scalar(one.data.type, scalarAt(one.data, 0));
}

const NESTED = new Set([Type.List, Type.Struct, Type.Map]);

function columnData(batch: RecordBatch, name: string): Data {
  const index = batch.schema.fields.findIndex((f) => f.name === name);
  if (index < 0) {
    throw new SluiceError(`unknown column '${name}'; available columns: ${batch.schema.fields.map((f) => f.name).join(', ') || '(none)'}`);
  }
  return batch.data.children[index];
}

/** A struct's child column; rows where the struct itself is null are null in the child too. */
function fieldOf(parent: Operand, name: string, length: number): Operand {
  if (parent.kind === 'scalar' || parent.data.typeId !== Type.Struct) {
    throw new SluiceError(`cannot read field '${name}' of ${describeType(typeOf(parent))}: not a struct`);
  }
  const struct = parent.data;
  const index = (struct.type as Struct).children.findIndex((f) => f.name === name);
  if (index < 0) {
    throw new SluiceError(`struct has no field '${name}'; its fields: ${(struct.type as Struct).children.map((f) => f.name).join(', ')}`);
  }
  const child = struct.children[index];
  const parentValidity = validityOf(struct);
  if (!parentValidity) return column(child);
  const combined = andValidity(parentValidity, validityOf(child))!;
  // The child's bitmap is read from bit child.offset (Arrow does not slice bitmaps): shift to match.
  const shifted = new Uint8Array(bitmapBytes(child.offset + length));
  for (let i = 0; i < length; i++) {
    if (combined[i >> 3] & (1 << (i & 7))) {
      const j = child.offset + i;
      shifted[j >> 3] |= 1 << (j & 7);
    }
  }
  const buffers = [child.valueOffsets, child.values, shifted, child.typeIds] as unknown as Parameters<Data['clone']>[4];
  return column(child.clone(child.type, child.offset, length, countUnset(combined, length), buffers));
}
