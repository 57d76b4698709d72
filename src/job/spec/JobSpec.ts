import type { FormatName } from '../../io/formats/registry.js';
import type { WriteSpec } from '../../exec/WriteSpec.js';
import type { NodeInfo } from '../../plan/PlanNode.js';
import { specTransforms, type TRANSFORMS } from '../../../transforms/registry.js';
import type { Transform } from '../../../transforms/TransformDef.js';

/**
 * The JSON job spec as TypeScript types. `schema/job-spec.schema.json` is the authority (built
 * from the transform definitions by buildJobSpecSchema.ts); transform nodes' types are derived
 * from the same definitions.
 */

export interface JobSpec {
  name?: string;
  description?: string;
  /** Job bookmarks (docs/bookmarks.md); command-line flags override these. */
  bookmarks?: BookmarksSpec;
  /** How s3:// paths are reached (docs/s3.md). */
  s3?: S3Spec;
  /** Fail the run, publishing nothing, when it makes more than this many error records (default: no limit). */
  maxErrors?: number;
  /** The Data Catalog of catalog read and write nodes: a folder relative to the spec's, or s3:// (default env SLUICE_CATALOG, else .sluice/catalog). */
  catalog?: string;
  nodes: NodeSpec[];
}

export interface S3Spec {
  /** An S3-compatible endpoint; overrides env SLUICE_S3_ENDPOINT (path-style addressing then). */
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
}

export interface BookmarksSpec {
  /** Glue's `--job-bookmark-option` value (`job-bookmark-enable`…) or its short form (`enable`…). */
  option: 'job-bookmark-enable' | 'job-bookmark-disable' | 'job-bookmark-pause' | 'enable' | 'disable' | 'pause';
  /** Glue's maxBand in milliseconds (default 900000). */
  maxBand?: number;
  /** The state folder, relative to the spec's folder (default `.sluice`), or an `s3://bucket/prefix`. */
  stateDir?: string;
}

export type NodeSpec = ReadNodeSpec | WriteNodeSpec | TransformNodeSpec;

/** Glue's per-step settings, allowed on read and transform nodes. */
export interface NodeInfoSpec {
  transformationCtx?: string;
  stageThreshold?: number;
  totalThreshold?: number;
}

export type ReadNodeSpec = PathReadNodeSpec | CatalogReadNodeSpec;

export interface PathReadNodeSpec extends NodeInfoSpec {
  id: string;
  type: 'read';
  format: FormatName;
  paths: string[];
  formatOptions?: Record<string, unknown>;
  schema?: Record<string, string>;
  /** Glue's bounded execution, with bookmarks: at most this many new files per run. */
  boundedFiles?: number;
  /** Glue's bounded execution, with bookmarks: at most this many bytes of new files per run (`128MB` too). */
  boundedSize?: number | string;
}

/** A read of a catalog table (Glue's from_catalog): its partitions pruned by the predicates before listing. */
export interface CatalogReadNodeSpec extends NodeInfoSpec {
  id: string;
  type: 'read';
  catalog: { database: string; table: string; pushDownPredicate?: string; catalogPartitionPredicate?: string };
}

/** A write node: the user-facing fields of a WriteSpec (not its run-internal jobRunId/deferCommit). */
export interface WriteNodeSpec extends Omit<WriteSpec, 'jobRunId' | 'deferCommit'> {
  id: string;
  type: 'write';
  input: string;
  /** The member to write when `input` makes a collection. */
  key?: string;
  /** Register the write in a catalog table (Glue's enableUpdateCatalog + setCatalogInfo), in the same commit. */
  catalog?: { database: string; table: string; updateBehavior?: 'UPDATE_IN_DATABASE' | 'LOG' };
}

/** A row function in a module: `{ "module": "./fns.js", "export": "clean" }`. */
export interface FunctionRefSpec {
  module: string;
  export?: string;
}

/** Transforms whose spec fields are not their `apply` parameters: typed by hand. */
type FilterNodeSpec = NodeInfoSpec & { id: string; type: 'Filter'; input: string; condition?: string; function?: FunctionRefSpec };
type MapNodeSpec = NodeInfoSpec & { id: string; type: 'Map'; input: string; function: FunctionRefSpec; schema?: Record<string, string> };
type UnionNodeSpec = NodeInfoSpec & { id: string; type: 'Union'; inputs: string[] };

/**
 * Every other transform's node: its `apply` parameters, with `input` or `inputs` for its frames
 * (and `key` naming the member read from a node that makes a collection).
 */
type ApplyNodeSpec<T> = T extends Transform<infer N, infer A, any, any>
  ? NodeInfoSpec & { id: string; type: N }
    & ('frame1' extends keyof A ? { inputs: [string, string] } : 'dfc' extends keyof A ? { input: string } : { input: string; key?: string })
    & Omit<A, 'frame' | 'frame1' | 'frame2' | 'dfc' | keyof NodeInfo>
  : never;

type HandTyped = 'Filter' | 'Map' | 'Union' | 'Limit';

export type TransformNodeSpec =
  | FilterNodeSpec
  | MapNodeSpec
  | UnionNodeSpec
  | ApplyNodeSpec<Exclude<(typeof TRANSFORMS)[number], { name: HandTyped }>>;

export type TransformType = TransformNodeSpec['type'];

/** Every node type a spec may name, in the order the schema lists them. */
export const NODE_TYPES: readonly NodeSpec['type'][] = ['read', 'write', ...specTransforms.map((t) => t.name as TransformType)];

/** The ids a node reads from: `input`, or `inputs` for Join and Union. */
export function nodeInputs(node: NodeSpec): string[] {
  if ('inputs' in node) return node.inputs;
  if ('input' in node) return [node.input];
  return [];
}
