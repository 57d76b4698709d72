import type { Aggregation, SortKey } from '../../../transforms/index.js';
import type { FormatName, WritableFormat } from '../../io/formats/registry.js';
/**
 * The JSON job spec as TypeScript types. `schema/job-spec.schema.json` is the authority;
 * these types mirror it for the loader (keep the two in step).
 */

export interface JobSpec {
  name?: string;
  description?: string;
  /** Job bookmarks (docs/bookmarks.md); command-line flags override these. */
  bookmarks?: BookmarksSpec;
  /** How s3:// paths are reached (docs/s3.md). */
  s3?: S3Spec;
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

export interface ReadNodeSpec extends NodeInfoSpec {
  id: string;
  type: 'read';
  format: FormatName;
  paths: string[];
  formatOptions?: Record<string, unknown>;
  schema?: Record<string, string>;
}

export interface WriteNodeSpec {
  id: string;
  type: 'write';
  input: string;
  format: WritableFormat;
  path: string;
  partitionKeys?: string[];
  compression?: 'snappy' | 'zstd' | 'gzip' | 'none';
  rowGroupSize?: number;
  maxRowsPerFile?: number;
  maxBytesPerFile?: number;
  mode?: 'overwrite' | 'error' | 'append';
  formatOptions?: Record<string, unknown>;
}

/** A row function in a module: `{ "module": "./fns.js", "export": "clean" }`. */
export interface FunctionRefSpec {
  module: string;
  export?: string;
}

export type TransformNodeSpec =
  | (NodeInfoSpec & { id: string; type: 'ApplyMapping'; input: string; mappings: [string, string, string, string][] })
  | (NodeInfoSpec & { id: string; type: 'SelectFields' | 'DropFields'; input: string; paths: string[] })
  | (NodeInfoSpec & { id: string; type: 'RenameField'; input: string; oldName: string; newName: string })
  | (NodeInfoSpec & { id: string; type: 'Filter'; input: string; condition?: string; function?: FunctionRefSpec })
  | (NodeInfoSpec & { id: string; type: 'Map'; input: string; function: FunctionRefSpec; schema?: Record<string, string> })
  | (NodeInfoSpec & { id: string; type: 'WithColumns'; input: string; columns: Record<string, string> })
  | (NodeInfoSpec & { id: string; type: 'Join'; inputs: [string, string]; keys1: string[]; keys2: string[]; how?: 'inner' | 'left' | 'right' | 'outer' | 'semi' | 'anti' })
  | (NodeInfoSpec & { id: string; type: 'Union'; inputs: string[] })
  | (NodeInfoSpec & { id: string; type: 'DropNullFields'; input: string })
  | (NodeInfoSpec & { id: string; type: 'DropDuplicates'; input: string; columns?: string[] })
  | (NodeInfoSpec & { id: string; type: 'GroupBy'; input: string; keys: string[]; aggregations: Aggregation[] })
  | (NodeInfoSpec & { id: string; type: 'OrderBy'; input: string; keys: SortKey[] });

export type TransformType = TransformNodeSpec['type'];

/** Every node type a spec may name, in the order the schema lists them. */
export const NODE_TYPES: readonly NodeSpec['type'][] = [
  'read', 'write', 'ApplyMapping', 'SelectFields', 'DropFields', 'RenameField', 'Filter', 'Map',
  'WithColumns', 'Join', 'Union', 'DropNullFields', 'DropDuplicates', 'GroupBy', 'OrderBy',
];

/** The ids a node reads from: `input`, or `inputs` for Join and Union. */
export function nodeInputs(node: NodeSpec): string[] {
  if ('inputs' in node) return node.inputs;
  if ('input' in node) return [node.input];
  return [];
}
