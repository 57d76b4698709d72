import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import { readFrame } from '../frame/read.js';
import { checkOptions } from '../io/formats/checkOptions.js';
import { formatDef, writableFormatDef, type FormatName, type WritableFormat } from '../io/formats/registry.js';
import { nodeInfoOf, type NodeInfo } from '../plan/PlanNode.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { BookmarkSession } from './bookmarks/BookmarkSession.js';
import { parseMaxBand } from './bookmarks/BookmarkOptions.js';
import { glueWriteFormatOptions, SINK_CONNECTION_OPTIONS, SOURCE_CONNECTION_OPTIONS } from './glueOptions.js';
import { recordWrite, toRecordedWrite, type RecordedWrite } from './runRecorder.js';

/** Where data lives. `s3` paths are `s3://bucket/key`; `file` paths are local. */
export type ConnectionType = 's3' | 'file';

/** Glue's format names (the registry's, io/formats/registry.ts); `glueparquet` is read and written as parquet. */
export type GlueFormat = FormatName | 'glueparquet';

/** `glueContext.createDynamicFrame.fromOptions({...})`, Glue's `create_dynamic_frame.from_options`. */
export interface ReadFromOptions extends NodeInfo {
  connectionType: ConnectionType;
  connectionOptions: { paths: string | string[]; [option: string]: unknown };
  format: GlueFormat;
  formatOptions?: Record<string, unknown>;
  /** `{"order_id": "int32", ...}`; inferred from the first file when absent. */
  schema?: Record<string, string>;
}

/** `glueContext.writeDynamicFrame.fromOptions({...})`, Glue's `write_dynamic_frame.from_options`. */
export interface WriteFromOptions {
  frame: DataFrame<Row>;
  connectionType: ConnectionType;
  connectionOptions: { path: string; partitionKeys?: string[]; [option: string]: unknown };
  format: GlueFormat;
  /** Format options; parquet also takes `compression`, `rowGroupSize`, `maxRowsPerFile` and `maxBytesPerFile` here. */
  formatOptions?: Record<string, unknown>;
  transformationCtx?: string;
}

export interface CatalogOptions {
  database: string;
  tableName: string;
  transformationCtx?: string;
}

export interface GlueLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const CONNECTION_TYPES: readonly string[] = ['s3', 'file'];

/**
 * The entry point of a Glue-shaped job script: reads and writes frames by Glue's option names,
 * so a PySpark Glue job ports nearly line for line. Writes made through it are kept in `writes`.
 */
export class GlueContext {
  /** Every write made through this context, in order. */
  readonly writes: RecordedWrite[] = [];
  /** The bookmarked run of the job using this context (see Job.init), once loaded. */
  private bookmarks?: BookmarkSession;
  private bookmarksOpening?: Promise<BookmarkSession>;

  readonly createDynamicFrame = {
    fromOptions: <T extends Row = Row>(options: ReadFromOptions): DataFrame<T> => {
      const where = 'createDynamicFrame.fromOptions';
      checkConnection(options.connectionType, where);
      const format = formatDef(options.format, where);
      checkOptions(options.connectionOptions, SOURCE_CONNECTION_OPTIONS, where);
      checkOptions(options.formatOptions, format.read.options, where);
      const { paths } = options.connectionOptions ?? {};
      if (paths === undefined || (Array.isArray(paths) && paths.length === 0)) {
        throw new SluiceError('createDynamicFrame.fromOptions: connectionOptions.paths is required, e.g. { paths: ["s3://bucket/orders/"] }');
      }
      const spec = {
        format: format.name,
        paths,
        ...(options.formatOptions ? { formatOptions: options.formatOptions } : {}),
        ...(options.schema ? { schema: options.schema } : {}),
        ...nodeInfoOf(options),
      };
      const session = spec.transformationCtx ? this.bookmarkSession('createDynamicFrame.fromOptions') : undefined;
      if (!session) return readFrame<T>(spec);
      const { maxBand } = options.connectionOptions;
      return session.source<T>(spec, maxBand === undefined ? undefined : parseMaxBand(maxBand, `createDynamicFrame.fromOptions (${spec.transformationCtx})`));
    },
    fromCatalog: (options: CatalogOptions): never => {
      throw new SluiceError(`createDynamicFrame.fromCatalog (${options.database}.${options.tableName}) is not yet supported; use fromOptions with the table's paths and format`);
    },
  };

  readonly writeDynamicFrame = {
    fromOptions: async (options: WriteFromOptions): Promise<WriteSummary> => {
      checkConnection(options.connectionType, 'writeDynamicFrame.fromOptions');
      const spec = writeSpec(options);
      const started = Date.now();
      const session = this.bookmarkSession('writeDynamicFrame.fromOptions');
      const summary = session ? await session.write(options.frame, spec) : await options.frame.write.to(spec);
      const recorded = toRecordedWrite(summary, { ...spec, ...(options.transformationCtx ? { transformationCtx: options.transformationCtx } : {}) }, Date.now() - started);
      this.writes.push(recorded);
      recordWrite(recorded);
      return summary;
    },
    fromCatalog: (options: CatalogOptions & { frame: DataFrame<Row> }): never => {
      throw new SluiceError(`writeDynamicFrame.fromCatalog (${options.database}.${options.tableName}) is not yet supported; use fromOptions with the table's path and format`);
    },
  };

  /** The bookmarked run this context reads and writes for, set by `job.init` (internal to Job). */
  useBookmarks(opening: Promise<BookmarkSession>): void {
    this.bookmarks = undefined;
    this.bookmarksOpening = opening;
    opening.then((session) => (this.bookmarks = session), () => undefined);
  }

  private bookmarkSession(where: string): BookmarkSession | undefined {
    if (this.bookmarks || !this.bookmarksOpening) return this.bookmarks;
    throw new SluiceError(`${where}: job bookmarks are still loading: await job.init(name, args) before reading or writing`);
  }

  /**
   * Runs nothing: compiles one Spark SQL statement over temp views (`df.createOrReplaceTempView`),
   * paths (``parquet.`s3://…` ``) and catalog tables into a lazy frame (Glue: `spark.sql(...)`
   * through `glueContext.spark_session`). Loads the SQL front end on first use.
   *
   * @example
   * ```ts
   * orders.createOrReplaceTempView('orders');
   * const totals = await glueContext.sql('SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id');
   * ```
   */
  async sql(text: string): Promise<DataFrame<Row>> {
    const { defaultSession } = await import('../sql/SqlSession.js');
    return defaultSession.sql(text);
  }

  /** Glue's `get_logger()`: messages go to stderr, leaving stdout to the job's output. */
  getLogger(): GlueLogger {
    const log = (level: string) => (message: string) => process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
    return { info: log('INFO'), warn: log('WARN'), error: log('ERROR') };
  }
}

function checkConnection(type: string, where: string): void {
  if (!CONNECTION_TYPES.includes(type)) {
    throw new SluiceError(`${where}: connectionType '${type}' is not yet supported; use ${CONNECTION_TYPES.join(' or ')}`);
  }
}

/** Glue keeps parquet's writer settings in formatOptions; sluice's WriteSpec has them as fields. */
function writeSpec(options: WriteFromOptions): WriteSpec {
  const where = 'writeDynamicFrame.fromOptions';
  const format = writableFormatDef(options.format, where);
  checkOptions(options.connectionOptions, SINK_CONNECTION_OPTIONS, where);
  checkOptions(options.formatOptions, glueWriteFormatOptions(format.write.options), where);
  const { path, partitionKeys } = options.connectionOptions ?? {};
  if (typeof path !== 'string' || path === '') {
    throw new SluiceError('writeDynamicFrame.fromOptions: connectionOptions.path is required, e.g. { path: "s3://bucket/out/" }');
  }
  const { compression, rowGroupSize, maxRowsPerFile, maxBytesPerFile, ...formatOptions } = options.formatOptions ?? {};
  const spec: WriteSpec = { format: format.name as WritableFormat, path };
  if (partitionKeys && partitionKeys.length > 0) spec.partitionKeys = partitionKeys;
  if (compression !== undefined) spec.compression = String(compression).toLowerCase() as WriteSpec['compression'];
  if (rowGroupSize !== undefined) spec.rowGroupSize = Number(rowGroupSize);
  if (maxRowsPerFile !== undefined) spec.maxRowsPerFile = Number(maxRowsPerFile);
  if (maxBytesPerFile !== undefined) spec.maxBytesPerFile = Number(maxBytesPerFile);
  if (Object.keys(formatOptions).length > 0) spec.formatOptions = formatOptions;
  return spec;
}
