import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import { readFrame } from '../frame/read.js';
import { checkOptions } from '../io/formats/checkOptions.js';
import { formatDef, writableFormatDef, type FormatName, type WritableFormat } from '../io/formats/registry.js';
import { nodeInfoOf, type NodeInfo } from '../plan/PlanNode.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { BookmarkSession } from './bookmarks/BookmarkSession.js';
import type { JobRunOutputs } from './JobRunOutputs.js';
import { parseMaxBand, parseReadBound } from './bookmarks/BookmarkOptions.js';
import { glueWriteFormatOptions, SINK_CONNECTION_OPTIONS, SOURCE_CONNECTION_OPTIONS } from './glueOptions.js';
import { recordWrite, toRecordedWrite, type RecordedWrite } from './runRecorder.js';
import { Catalog } from '../catalog/Catalog.js';
import { DataSink, frameFromCatalog, writeToCatalog, type ReadFromCatalog, type SinkOptions, type WriteFromCatalog } from './catalogContext.js';
import { prepareCatalogSink, stageBookmarkedSink, type CatalogTarget } from './catalogSink.js';
import { CatalogUpdates } from './CatalogUpdates.js';

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

export type { ReadFromCatalog, SinkOptions, WriteFromCatalog } from './catalogContext.js';
/** The options of `createDynamicFrame.fromCatalog` (the earlier name). */
export type CatalogOptions = ReadFromCatalog;

export interface GlueLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const CONNECTION_TYPES: readonly string[] = ['s3', 'file'];

/**
 * The entry point of a Glue-shaped job script: reads and writes frames by Glue's option names,
 * so a PySpark Glue job ports nearly line for line. Writes made through it are kept in `writes`.
 * Once a `Job` using it is initialised, its sinks are staged and published together at
 * `job.commit()` (with or without bookmarks; see Job); without a Job, each write publishes at once.
 */
export class GlueContext {
  /** Every write made through this context, in order. */
  readonly writes: RecordedWrite[] = [];
  /** The bookmarked run of the job using this context (see Job.init), once loaded. */
  private bookmarks?: BookmarkSession;
  private bookmarksOpening?: Promise<BookmarkSession>;
  /** The run without bookmarks of the job using this context (see Job.init): its sinks publish at job.commit(). */
  private run?: JobRunOutputs;
  private catalogInUse?: Catalog;
  /** The catalog updates of the bookmarked run's catalog sinks, made in its commit (Job.commit). */
  private bookmarkedCatalogUpdates = new CatalogUpdates();

  /**
   * @param options.catalog the Data Catalog `fromCatalog` and catalog sinks use: a Catalog, or
   * its root folder / s3:// prefix (default: env SLUICE_CATALOG, else `.sluice/catalog`).
   */
  constructor(private readonly options: { catalog?: Catalog | string } = {}) {}

  /** The Data Catalog this context reads and registers tables in. */
  catalog(): Catalog {
    const given = this.options.catalog;
    return (this.catalogInUse ??= given instanceof Catalog ? given : Catalog.open(given));
  }

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
      const bound = parseReadBound(options.connectionOptions, where);
      if (!session) {
        if (bound.files !== undefined || bound.bytes !== undefined) {
          throw new SluiceError(`${where}: boundedFiles / boundedSize need job bookmarks (a transformationCtx, and job.init with --job-bookmark-option job-bookmark-enable): without them every run would read the same first files`);
        }
        return readFrame<T>(spec);
      }
      const { maxBand } = options.connectionOptions;
      return session.source<T>(spec, maxBand === undefined ? undefined : parseMaxBand(maxBand, `createDynamicFrame.fromOptions (${spec.transformationCtx})`), bound);
    },
    /**
     * A frame over a catalog table (Glue: `create_dynamic_frame.from_catalog`): its columns with
     * the catalog's names and types; `pushDownPredicate` (Spark SQL over the partition keys) and
     * `additionalOptions.catalogPartitionPredicate` prune partitions before their files are listed;
     * with a transformationCtx in a bookmarked run, only files the bookmark has not seen are read.
     *
     * @example
     * ```ts
     * glueContext.createDynamicFrame.fromCatalog({ database: 'sales', tableName: 'orders', pushDownPredicate: "year = '2024'", transformationCtx: 'orders' });
     * ```
     */
    fromCatalog: <T extends Row = Row>(options: ReadFromCatalog): DataFrame<T> => {
      const session = options.transformationCtx ? this.bookmarkSession('createDynamicFrame.fromCatalog') : undefined;
      return frameFromCatalog<T>(options, this.catalog(), session);
    },
  };

  readonly writeDynamicFrame = {
    fromOptions: async (options: WriteFromOptions): Promise<WriteSummary> => {
      checkConnection(options.connectionType, 'writeDynamicFrame.fromOptions');
      const spec = writeSpec(options);
      return this.recordedWrite(options.frame, spec, options.transformationCtx, 'writeDynamicFrame.fromOptions');
    },
    /**
     * Writes into a catalog table's Location in its format (Glue: `write_dynamic_frame.from_catalog`);
     * with `additionalOptions.enableUpdateCatalog`, new partitions (and with UPDATE_IN_DATABASE, the
     * schema) are registered in the same commit as the files.
     *
     * @example
     * ```ts
     * await glueContext.writeDynamicFrame.fromCatalog({ frame, database: 'sales', tableName: 'orders', additionalOptions: { enableUpdateCatalog: true, partitionKeys: ['year'] } });
     * ```
     */
    fromCatalog: async (options: WriteFromCatalog): Promise<WriteSummary> =>
      writeToCatalog(options, this.catalog(), (frame, spec) => this.recordedWrite(frame, spec, options.transformationCtx, 'writeDynamicFrame.fromCatalog'), this.stagedCatalogWrite('writeDynamicFrame.fromCatalog', options.transformationCtx)),
  };

  /**
   * Glue's `getSink`: a sink to `path` that, with `enableUpdateCatalog` and `setCatalogInfo`,
   * creates or updates the catalog table and adds the new partitions in the write's commit.
   *
   * @example
   * ```ts
   * const sink = glueContext.getSink({ path: 's3://lake/orders/', enableUpdateCatalog: true, updateBehavior: 'UPDATE_IN_DATABASE', partitionKeys: ['year'] });
   * sink.setFormat('glueparquet');
   * sink.setCatalogInfo({ catalogDatabase: 'sales', catalogTableName: 'orders' });
   * await sink.writeFrame(frame);
   * ```
   */
  getSink(options: SinkOptions): DataSink {
    if (options.connectionType !== undefined) checkConnection(options.connectionType, 'getSink');
    return new DataSink(options, () => this.catalog(), (frame, spec) => this.recordedWrite(frame, spec, options.transformationCtx, 'getSink'), () => this.stagedCatalogWrite('getSink', options.transformationCtx));
  }

  /**
   * A catalog sink in a job's run (Job.init, with or without bookmarks): its files are staged with
   * the run's other sinks and its catalog update is made in the run's one commit at job.commit()
   * (pending before the commit point, applied after it: CatalogUpdates). Without a run, undefined:
   * the sink commits on its own (catalogSink.ts).
   */
  private stagedCatalogWrite(where: string, transformationCtx: string | undefined): ((frame: DataFrame<Row>, spec: WriteSpec, target: CatalogTarget) => Promise<WriteSummary>) | undefined {
    const session = this.bookmarkSession(where);
    const run = this.run;
    if (!session && !run) return undefined;
    return async (frame, spec, target) => {
      const sink = await prepareCatalogSink(frame, spec, target);
      return this.timedWrite(sink.spec, transformationCtx, () => (run ? run.write(frame, sink.spec, sink) : stageBookmarkedSink(session!, frame, sink, this.bookmarkedCatalogUpdates)));
    };
  }

  /**
   * The catalog updates of the bookmarked run's catalog sinks so far, handed over to be made in the
   * run's commit (commitWithCatalogUpdates) or dropped (internal to Job and the Lambda handler).
   */
  takeBookmarkedCatalogUpdates(): CatalogUpdates {
    const updates = this.bookmarkedCatalogUpdates;
    this.bookmarkedCatalogUpdates = new CatalogUpdates();
    return updates;
  }

  /** A write through the job's run when there is one (staged, published at job.commit()), recorded in `writes`. */
  private recordedWrite(frame: DataFrame<Row>, spec: WriteSpec, transformationCtx: string | undefined, where: string): Promise<WriteSummary> {
    const session = this.bookmarkSession(where);
    const run = this.run;
    return this.timedWrite(spec, transformationCtx, () => (session ? session.write(frame, spec) : run ? run.write(frame, spec) : frame.write.to(spec)));
  }

  private async timedWrite(spec: WriteSpec, transformationCtx: string | undefined, write: () => Promise<WriteSummary>): Promise<WriteSummary> {
    const started = Date.now();
    const summary = await write();
    const recorded = toRecordedWrite(summary, { ...spec, ...(transformationCtx ? { transformationCtx } : {}) }, Date.now() - started);
    this.writes.push(recorded);
    recordWrite(recorded);
    return summary;
  }

  /** The bookmarked run this context reads and writes for, set by `job.init` (internal to Job). */
  useBookmarks(opening: Promise<BookmarkSession>): void {
    this.run = undefined;
    this.bookmarks = undefined;
    this.bookmarksOpening = opening;
    opening.then((session) => (this.bookmarks = session), () => undefined);
  }

  /** The run without bookmarks whose sinks this context stages, set by `job.init` (internal to Job). */
  useRun(run: JobRunOutputs): void {
    this.bookmarks = undefined;
    this.bookmarksOpening = undefined;
    this.run = run;
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
