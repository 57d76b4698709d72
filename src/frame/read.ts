import type { PathMode } from '../io/partitioning/pathMode.js';
import type { NodeInfo, ScanNode } from '../plan/PlanNode.js';
import { DataFrame, type Row } from './DataFrame.js';

/** Options of a read: the format's own options (Glue's formatOptions), a schema, the node info. */
export interface ReadSpec extends NodeInfo {
  format: 'csv' | 'json' | 'parquet' | string;
  /** Files, folders or globs; folders are read recursively and `k=v` folders become columns. */
  paths: string | string[];
  formatOptions?: Record<string, unknown>;
  /** `{"order_id": "int32", ...}`; inferred from the first file when absent. */
  schema?: Record<string, string>;
  /** `literal`: each path is exactly one file or object (no glob, folder or prefix); `glob`: always a glob. */
  pathMode?: PathMode;
}

/** A lazy frame over files: nothing is read until an action runs. */
export function readFrame<T extends Row = Row>(spec: ReadSpec): DataFrame<T> {
  const node: ScanNode = {
    kind: 'scan',
    format: spec.format,
    paths: Array.isArray(spec.paths) ? spec.paths : [spec.paths],
    ...(spec.formatOptions ? { formatOptions: spec.formatOptions } : {}),
    ...(spec.schema ? { schema: spec.schema } : {}),
    ...(spec.pathMode && spec.pathMode !== 'auto' ? { pathMode: spec.pathMode } : {}),
    ...(spec.transformationCtx ? { transformationCtx: spec.transformationCtx } : {}),
    ...(spec.stageThreshold ? { stageThreshold: spec.stageThreshold } : {}),
    ...(spec.totalThreshold ? { totalThreshold: spec.totalThreshold } : {}),
  };
  return new DataFrame<T>(node);
}

type FormatReadOptions = Record<string, unknown> & NodeInfo & { schema?: Record<string, string>; pathMode?: PathMode };

function split(options: FormatReadOptions = {}) {
  const { schema, transformationCtx, stageThreshold, totalThreshold, pathMode, ...formatOptions } = options;
  return { schema, transformationCtx, stageThreshold, totalThreshold, formatOptions, ...(pathMode ? { pathMode } : {}) };
}

/** The fluent reader: `read.csv('orders.csv', { withHeader: true })`. */
export const read = {
  csv: <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => readFrame<T>({ format: 'csv', paths, ...split(options) }),
  json: <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => readFrame<T>({ format: 'json', paths, ...split(options) }),
  parquet: <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => readFrame<T>({ format: 'parquet', paths, ...split(options) }),
  avro: <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => readFrame<T>({ format: 'avro', paths, ...split(options) }),
  xml: <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => readFrame<T>({ format: 'xml', paths, ...split(options) }),
};
