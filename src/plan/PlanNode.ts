import type { PathMode } from '../types/PathMode.js';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import type { ExprNode } from '../expr/ast.js';

/**
 * A logical plan: plain data, built by DataFrame methods and transforms, run by `exec/`.
 * Scan and transform nodes are JSON-serialisable so they can travel to workers and Lambda;
 * a values node holds in-process Arrow batches (sent as Arrow IPC when it must travel).
 */
export type PlanNode = ScanNode | ValuesNode | TransformNode;

/** Settings every node may carry, with Glue's names. */
export interface NodeInfo {
  /** The stable name of this step: the bookmark key for sources, the label in metrics and errors. */
  transformationCtx?: string;
  /** Fail the job when this node alone raises more than this many error records. */
  stageThreshold?: number;
  /** Fail the job when this node and everything upstream have raised more than this many. */
  totalThreshold?: number;
}

export interface ScanNode extends NodeInfo {
  kind: 'scan';
  format: string;
  /** Files, folders (recursively; Hive `k=v` folders become columns) or globs. */
  paths: string[];
  formatOptions?: Record<string, unknown>;
  /** An explicit schema as `{"name": "type"}`; inferred from the first file when absent. */
  schema?: Record<string, string>;
  /** Projection set by the optimiser: only these columns are read ([] = only count rows). */
  columns?: string[];
  /**
   * Set by the optimiser: columns a node above only checks exist (DropFields' paths). The scan
   * gives them with their type but all null, and never parses their values.
   */
  stubColumns?: string[];
  /**
   * In-process only: resolves this scan into the plan to run, once, when the plan is first
   * prepared — for sources whose files can only be listed asynchronously (a bookmarked s3://
   * source in a Glue script, a catalog table). It is given the scan as the plan holds it, with
   * the `predicate` filter push-down set (a catalog table prunes its partitions by it). A plan
   * holding one cannot travel and runs inline.
   */
  resolve?: (self: ScanNode) => Promise<PlanNode>;
  /**
   * Spark's `basePath`: `paths` are files inside this folder, and its Hive `k=v` folders still
   * become columns (bookmarks read a chosen subset of a partitioned folder this way).
   */
  basePath?: string;
  /** How `paths` are taken (src/io/partitioning/pathMode.ts): default `auto`; `literal` for event-named objects. */
  pathMode?: PathMode;
  /**
   * Set by filter push-down (plan/pushDownFilters.ts): a condition every row the plan keeps
   * satisfies. The scan may skip partitions and Parquet row groups where it cannot hold; it never
   * decides single rows (the Filter above still does).
   */
  predicate?: ExprNode;
  /**
   * Files chosen ahead, each with its partition values in `partitionKeys` order (a catalog table's
   * matching partitions): the scan reads exactly these and lists nothing; `paths` names their folders.
   */
  files?: { path: string; values: (string | null)[] }[];
  /** The partition columns `files` carry, `{"name": "type"}` in order (int32, int64 or string). */
  partitionKeys?: Record<string, string>;
}

export interface ValuesNode extends NodeInfo {
  kind: 'values';
  schema: Schema;
  batches: RecordBatch[];
  /** Error records carried along, e.g. by a cached frame. */
  errors?: ErrorRecord[];
}

export interface TransformNode extends NodeInfo {
  kind: 'transform';
  /** The registered transform name: a Glue name such as 'ApplyMapping', or an internal one. */
  name: string;
  inputs: PlanNode[];
  /** The transform's parameters (expressions as JSON; row functions as module references). */
  params: Record<string, unknown>;
  /**
   * In-process only, as ScanNode.resolve: completes this node's parameters once, before the plan
   * is prepared, from something only reachable asynchronously (ResolveChoice `match_catalog`
   * reads the catalog table's column types into its params). It is given the node as the plan
   * holds it and returns the node to run, without `resolve`.
   */
  resolve?: (self: TransformNode) => Promise<PlanNode>;
}

/** The label of a node in errors, metrics and explain(). */
export function nodeLabel(node: PlanNode): string {
  if (node.transformationCtx) return node.transformationCtx;
  if (node.kind === 'scan') return `scan ${node.format}`;
  if (node.kind === 'values') return 'values';
  return node.name;
}

/** The node settings set in `info` (unset and 0 — "no limit" — left out, so plans stay small). */
export function nodeInfoOf(info: NodeInfo): NodeInfo {
  const out: NodeInfo = {};
  if (info.transformationCtx) out.transformationCtx = info.transformationCtx;
  if (info.stageThreshold) out.stageThreshold = info.stageThreshold;
  if (info.totalThreshold) out.totalThreshold = info.totalThreshold;
  return out;
}
