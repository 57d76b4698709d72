import type { ExprNode } from '../src/expr/ast.js';
import type { NodeInfo } from '../src/plan/PlanNode.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';

/** Glue's optional per-transform settings: transformationCtx, stageThreshold, totalThreshold. */
export type TransformInfo = NodeInfo;

/** An expression as users give it: SQL text (`"amount > 100"`), a builder (`col('a').gt(1)`) or its JSON. */
export type ExprInput = string | ExprNode | { toJSON(): ExprNode };

/** A dotted path into structs, `` `a.b`.c `` escaping a dot inside a name. */
export type FieldPath = string;

/** ApplyMapping's `[sourcePath, sourceType, targetPath, targetType]`. */
export type Mapping = [string, string, string, string];

export type JoinType = 'inner' | 'left' | 'right' | 'outer' | 'semi' | 'anti';

/**
 * A row function, either in-process (a closure: runs on the calling thread only) or as a module
 * reference that can travel to workers: `{ module: './fns.js', export: 'clean' }`.
 */
export type FnRef = { module: string; export: string };
export type RowFunction<I extends Row = Row, O extends Row = Row> = ((row: I) => O) | FnRef;
export type RowPredicate<I extends Row = Row> = ((row: I) => boolean) | FnRef;

export type { DataFrame, Row };
