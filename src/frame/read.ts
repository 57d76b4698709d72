import type { PathMode } from '../io/partitioning/pathMode.js';
import type { NodeInfo, ScanNode } from '../plan/PlanNode.js';
import { checkReadOptions, formatDef, formatDefs, type FormatName } from '../io/formats/registry.js';
import { DataFrame, type Row } from './DataFrame.js';

/** Options of a read: the format's own options (Glue's formatOptions), a schema, the node info. */
export interface ReadSpec extends NodeInfo {
  /** A format name or alias of the registry (io/formats/registry.ts): csv, json, parquet, glueparquet, avro, xml. */
  format: FormatName | string;
  /** Files, folders or globs; folders are read recursively and `k=v` folders become columns. */
  paths: string | string[];
  formatOptions?: Record<string, unknown>;
  /** `{"order_id": "int32", ...}`; inferred from the first file when absent. */
  schema?: Record<string, string>;
  /** `literal`: each path is exactly one file or object (no glob, folder or prefix); `glob`: always a glob. */
  pathMode?: PathMode;
}

/**
 * A lazy frame over files: nothing is read until an action runs. The format and its options are
 * checked now, so a misspelt option fails before any file is opened.
 */
export function readFrame<T extends Row = Row>(spec: ReadSpec): DataFrame<T> {
  const format = formatDef(spec.format).name;
  checkReadOptions(format, spec.formatOptions);
  const node: ScanNode = {
    kind: 'scan',
    format,
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

type FormatRead = <T extends Row = Row>(paths: string | string[], options?: FormatReadOptions) => DataFrame<T>;

/** The fluent reader, one method per format: `read.csv('orders.csv', { withHeader: true })`, `read.avro(…)`. */
export const read = Object.fromEntries(
  formatDefs().map((def): [string, FormatRead] => [def.name, (paths, options) => readFrame({ format: def.name, paths, ...split(options) })]),
) as Record<FormatName, FormatRead>;
