import type { RecordBatch, Schema } from 'apache-arrow';
import type { TransformKernel } from '../exec/Kernel.js';
import type { ExprNode } from '../expr/ast.js';

/**
 * What the planner and the executor know of a transform: its kernel and what it says about
 * itself. Plans name transforms; plan/ and exec/ read these definitions from the registry they
 * are given (they never import transforms/, where each definition lives in its own file together
 * with its parameters' JSON Schema and its fluent `apply`).
 */
export interface TransformDef<P = Record<string, unknown>> {
  /** The plan name: Glue's name for Glue's transforms ('ApplyMapping'), or an internal one. */
  name: string;
  kernel: TransformKernel<P>;
  /**
   * Projection push-down: the columns each input must provide when the consumer needs
   * `required` of the output (`null` = every column; an empty set = only the row count). Return
   * null for an input whose columns are all needed. Absent: every input needs all its columns.
   */
  inputColumns?(params: P, required: ReadonlySet<string> | null): (Set<string> | null)[];
  /**
   * Projection push-down: top-level columns of the first input the transform only checks exist,
   * never reads (DropFields' paths). A scan below gives them as nulls (ScanNode.stubColumns).
   */
  checkedOnly?(params: P): string[];
  /**
   * Projection push-down when only the output's row count is needed (count()): the params of a
   * node that gives as many rows and no columns (a filter then counts its predicate's rows
   * instead of gathering them). Absent: the node runs as it is.
   */
  rowsOnly?(params: P): object;
  /**
   * Filter push-down: for a transform that only drops rows of its one input (it neither adds,
   * changes nor reorders columns), the condition every kept row satisfies — an expression, or
   * undefined when rows are chosen by code (a row function). Scans below use it to skip data.
   */
  keeps?(params: P): ExprNode | undefined;
  /**
   * True when the transform can run split by split on its first input: batch by batch, with no
   * state across batches, so that the per-split outputs concatenated in split order equal the
   * output over the whole input. A second input, if any, is read whole and broadcast to every
   * split (a join's build side). Absent: it runs once, over all of its input.
   */
  perSplit?(params: P): boolean;
  /** Two-phase form: each split computes a partial state; the driver merges them in split order. */
  partial?: PartialForm<P>;
  /**
   * Spark's partitioning, for writes: how many partitions (part files per output folder) the
   * node's output is written as, given its input's (undefined = not decided: the writer's own
   * split-parallel layout). Repartition and Coalesce set it; absent, a per-split (row-wise) step
   * passes its input's on and any other step drops it (planPartitions.ts).
   */
  partitions?(params: P, input: number | undefined): number | undefined;
}

/** Name → definition; given to the planner and the executor. */
export type TransformDefs = ReadonlyMap<string, TransformDef<never>>;

/** A transform that can run as partial states merged in order (GroupBy). */
export interface PartialForm<P> {
  /** Checks the parameters against the input schema, as the kernel's prepare would. */
  bind(input: Schema, params: P): BoundPartial;
}

export interface BoundPartial {
  /** The same output schema as the kernel's. */
  schema: Schema;
  start(): PartialAccumulator;
}

/**
 * One split's partial state while it is built (`add`, then `save` in a worker), or the driver's
 * merged state (`merge` each split's saved state in split order, then `result`).
 */
export interface PartialAccumulator {
  add(batch: RecordBatch): void;
  /** The state as structured-clone-able data, and the typed arrays in it to transfer, not copy. */
  save(): { state: unknown; transfer: ArrayBufferView[] };
  merge(state: unknown): void;
  result(): RecordBatch;
}
