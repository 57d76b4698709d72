import type { PathMode } from '../io/partitioning/pathMode.js';
import type { NodeInfo, ScanNode } from '../plan/PlanNode.js';
import { checkReadOptions, formatDef, formatDefs, type FormatName } from '../io/formats/registry.js';
import { DataFrame, type Row } from './DataFrame.js';
import { readTable } from './readTable.js';

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

/**
 * The documented readers. `read` holds one method per format of the registry (io/formats), so a
 * format added there is readable as `read.<name>` at once; these entries only give the common
 * ones their documentation in editors.
 *
 * Every reader takes `paths` — a file, a folder (read recursively; `_`/`.` files skipped; Hive
 * `k=v` folders become columns), a glob, or a list of them, local or `s3://` — and `options`:
 * the format's own options (Glue's `format_options`, docs/formats.md; a misspelt one fails at
 * once, naming the nearest), plus `schema` (`{ column: 'type' }`, else inferred from the first
 * file), `pathMode` (`'literal'`: each path is exactly one file; `'glob'`) and the node info
 * (`transformationCtx`, `stageThreshold`, `totalThreshold`). Nothing is read until an action.
 */
interface DocumentedReaders {
  /**
   * A lazy frame over CSV files (`.csv`, `.tsv`; `.gz`, `.bz2`, `.zst` compressed) (Spark: `spark.read.csv`, Glue: format `csv`).
   * Options: `withHeader`, `separator`, `quoteChar` (`-1` = none), `escaper`, `skipFirst`,
   * `multiLine`, `mode` (`permissive` keeps bad rows as error records, `dropMalformed`, `failFast`).
   *
   * @example
   * ```ts
   * read.csv('orders.csv', { withHeader: true, schema: { id: 'int32', amount: 'float64', ts: 'timestamp' } });
   * ```
   */
  csv: FormatRead;
  /**
   * A lazy frame over JSON files: JSON lines by default, or one document per file (`multiLine`,
   * `jsonPath: '$.data.items[*]'`) (Spark: `spark.read.json`). Options: `jsonPath`, `multiLine`,
   * `mode`, `samplingRows`.
   *
   * @example
   * ```ts
   * read.json('events/*.jsonl');
   * ```
   */
  json: FormatRead;
  /**
   * A lazy frame over Parquet files (Spark: `spark.read.parquet`): the schema comes from the
   * files, only the columns the plan uses are read, row group by row group.
   *
   * @example
   * ```ts
   * read.parquet('lake/orders');   // year=2024/month=5/ folders become the columns year and month
   * ```
   */
  parquet: FormatRead;
  /** A lazy frame over Avro container files (null and deflate codecs), streamed; logical types date, timestamp, decimal. */
  avro: FormatRead;
  /**
   * A lazy frame over XML files, one row per `rowTag` element, streamed (Spark-XML). Options:
   * `rowTag`, `attributePrefix` (default `_`), `valueTag` (default `_VALUE`), `mode`.
   *
   * @example
   * ```ts
   * read.xml('orders.xml', { rowTag: 'order' });
   * ```
   */
  xml: FormatRead;
  /**
   * A lazy frame over log files, one row per line matched by a grok pattern (Glue:
   * `format="grokLog"`). Options: `logFormat` (required), `customPatterns`, `MISSING` (default
   * `-`, read as null), `StrictMode`, `mode`; a line that does not match is an error record.
   *
   * @example
   * ```ts
   * read.grokLog('logs/access.log', { logFormat: '%{COMBINEDAPACHELOG}' });
   * ```
   */
  grokLog: FormatRead;
}

/** Reads through the Data Catalog rather than by path. */
interface TableReader {
  /**
   * A lazy frame over a catalog table, `'database.table'` (Spark: `spark.read.table`, Glue:
   * `create_dynamic_frame.from_catalog`): the catalog's lower-case column names and types, partition
   * keys last; `pushDownPredicate` prunes partitions before their files are listed. See readTable.
   *
   * @example
   * ```ts
   * read.table('sales.orders', { pushDownPredicate: "year = '2024'" });
   * ```
   */
  table: typeof readTable;
}

/** The fluent reader, one method per format: `read.csv('orders.csv', { withHeader: true })`, `read.avro(…)`; `read.table('db.t')`. See {@link DocumentedReaders}. */
export const read = {
  ...(Object.fromEntries(
    formatDefs().map((def): [string, FormatRead] => [def.name, (paths, options) => readFrame({ format: def.name, paths, ...split(options) })]),
  ) as Record<FormatName, FormatRead> as Record<FormatName, FormatRead> & Pick<DocumentedReaders, keyof DocumentedReaders & FormatName>),
  table: readTable,
} as Record<FormatName, FormatRead> & Pick<DocumentedReaders, keyof DocumentedReaders & FormatName> & TableReader;
