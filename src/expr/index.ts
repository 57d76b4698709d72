/**
 * sluice expressions: a JSON expression tree, fluent builders, a Spark SQL expression parser,
 * Spark type inference and vectorised evaluation over Arrow RecordBatches.
 */
export type {
  ExprNode, ColNode, FieldNode, LitNode, ArithNode, CompareNode, LogicNode, NotNode, NegNode, IsNullNode, InNode,
  BetweenNode, LikeNode, RlikeNode, CaseNode, CastNode, CallNode, ArithOp, CompareOp, LogicOp, LiteralType,
} from './ast.js';
export { childrenOf, referencedColumns } from './ast.js';
export {
  Expr, CaseExpr, WhenBuilder, type ExprLike, type ValueLike, toNode, col, lit, dateLit, expr, not, cast, when,
  coalesce, lower, upper, trim, length, substring, concat, split, regexpExtract, year, month, day, hour, dateTrunc,
  toDate, toTimestamp, dateAdd, dateDiff,
} from './builders.js';
export { parseExpr } from './parser.js';
export { ExprSyntaxError } from './tokenizer.js';
export { formatExpr } from './format.js';
export { inferType } from './inferType.js';
export { evaluate, evaluatePredicate, evaluatePredicateBits, evaluateOperand } from './evaluate.js';
export type { Operand, Scalar } from './operand.js';
export { castData, castVector, type CastFailure, type CastResult } from './kernels/cast.js';
export { FUNCTIONS, lookupFunction, listFunctions, findFunction, type FunctionDef, type FunctionInfo } from './functions.js';
export { F, type Functions, type SqlFunction } from './F.js';
