/**
 * sluice: Glue-style ETL on Apache Arrow. The one public entry point (`sluice/lambda` is the
 * other): what a user writes, and nothing else. Internals (kernels, the plan executor, the
 * bookmark machinery, test hooks) stay inside; test/api/publicApi.test.ts pins the runtime names,
 * so a new export here is a decision, not an accident.
 *
 * ```ts
 * import { read, col, lit, when, F, ApplyMapping, GlueContext, Job, getResolvedOptions } from 'sluice';
 * ```
 */

// Frames: build lazily, run with an action (toRows, count, show, write).
export { DataFrame, DynamicFrame, type GroupedFrame, type Row, type ErrorRow } from './frame/DataFrame.js';
export { DynamicFrameCollection } from './frame/DynamicFrameCollection.js';
export { read, type ReadSpec } from './frame/read.js';
export type { CatalogReadOptions } from './frame/readTable.js';
export type { DataFrameWriter, WriteSpec, WriteSummary } from './frame/DataFrameWriter.js';
export type { PlanNode, NodeInfo } from './plan/PlanNode.js';
export type { RunOptions } from './exec/parallel/settings.js';

// Errors and schemas.
export { SluiceError, type ErrorRecord } from './types/ErrorRecord.js';
export { parseType, typeName, schemaFromSpec, schemaToSpec } from './types/typeNames.js';

// Expressions: col, lit, expr, when at top level; every SQL function under F (F.upper, F.split, F.not, …).
export { col, lit, expr, when, F } from './expr/index.js';
export type { Expr, CaseExpr, WhenBuilder, ExprLike, ValueLike, ExprNode, Functions, SqlFunction } from './expr/index.js';
export type { SortOrder } from './expr/builders.js';
export type { UdfFunction, UserDefinedFunction } from './expr/udf.js';
export type { UdfModuleRef } from './expr/udfRegistry.js';
// The Spark-shaped DataFrame methods' argument types.
export type { NaFunctions } from './frame/spark/NaFunctions.js';
export type { SelectItem } from './frame/spark/selectItems.js';
export type { JoinOn } from './frame/spark/sparkJoin.js';
export type { OrderItem, OrderOptions } from './frame/spark/sortBy.js';

// The Glue transforms: `ApplyMapping.apply({ frame, mappings })`, or `df.transform(Concatenate, params)`.
export {
  ApplyMapping, SelectFields, DropFields, RenameField, Filter, Map, WithColumns, Join, Union, DropNullFields,
  DropDuplicates, GroupBy, Window, OrderBy, Concatenate, Explode, ResolveChoice,
  Relationalize, SelectFromCollection, MapToCollection, Unnest, UnnestFrame, Unbox, SplitFields, SplitRows, Spigot,
} from '../transforms/index.js';
export type {
  ApplyMappingParams, SelectFieldsParams, DropFieldsParams, RenameFieldParams, FilterParams, MapParams, WithColumnsParams,
  JoinParams, DropDuplicatesParams, GroupByParams, Aggregation, OrderByParams, SortKey, ConcatenateParams, ExplodeParams, ResolveChoiceParams, ChoiceSpec,
  RelationalizeParams, SelectFromCollectionParams, CollectionCallable, UnboxParams, SplitFieldsParams, SplitRowsParams, ComparisonDict,
  SpigotParams, SpigotOptions,
  WindowParams, WindowFunction, WindowFn, ExprInput, FieldPath, FnRef, JoinType, Mapping, RowFunction, RowPredicate, TransformInfo,
} from '../transforms/index.js';
// Issue 9 (schema-on-read): row functions without a schema and more of Glue's DynamicFrame transforms.
export { FlatMap, FlatMapRecords, Repartition, Coalesce, MergeDynamicFrame, FillMissingValues, FindMatches } from '../transforms/index.js';
export type { FlatMapParams, FlatMapRecordsParams, CollectionFlatMapFunction, BaseTransformLike, FlatRowFunction, MergeDynamicFrameParams, FillMissingValuesParams, FindMatchesParams } from '../transforms/index.js';

// Spark SQL: `await spark.sql('SELECT …')` over temp views (df.createOrReplaceTempView), paths and catalog tables.
export { SqlSession, spark, setCatalogResolver } from './sql/SqlSession.js';
export type { UdfRegistration } from './sql/SqlSession.js';
export { SqlSyntaxError } from './sql/SqlSyntaxError.js';
export type { SqlSessionOptions, TableResolver } from './sql/SqlSession.js';

// Glue's script API.
export { GlueContext, Job, getResolvedOptions } from './job/index.js';
export type {
  CatalogOptions, ConnectionType, GlueFormat, GlueLogger, ReadFromOptions, WriteFromOptions, JobCommitSummary, JobOptions,
  ReadFromCatalog, WriteFromCatalog, SinkOptions, DataSink,
} from './job/index.js';

// The embedded Data Catalog (Glue's API shapes): databases, tables, versions, partitions.
export { Catalog, AlreadyExistsError, EntityNotFoundError, ConcurrentModificationError } from './catalog/index.js';
export type { BatchCreatePartitionResult, BatchUpdatePartitionResult, PartitionUpdateEntry, UpdateBehavior } from './catalog/index.js';

// JSON job specs.
export { loadJobSpec, runJobSpec, JobSpecError } from './job/index.js';
export type {
  JobSpec, NodeSpec, ReadNodeSpec, WriteNodeSpec, TransformNodeSpec, FunctionRefSpec, BookmarksSpec,
  JobPlan, LoadOptions, SinkPlan, JobProgress, JobRunSummary, RunOptions as JobRunOptions, SinkSummary,
} from './job/index.js';

// Job bookmarks: the options a user passes (runJobSpec's `bookmarks`, Job's `stateDir`/`store`).
export { BOOKMARK_OPTIONS, BookmarkFolder } from './job/index.js';
export type { BookmarkFlags, BookmarkMode, BookmarkStore, BookmarkFolderOptions } from './job/index.js';

// Crawlers (Glue's): classify files into catalog tables and partitions.
// (loaded on first call: catalog/crawler/entryPoints.ts)
export { crawl, runCrawler, crawlerRuns } from './catalog/crawler/entryPoints.js';
export type { CrawlOptions, CrawlOutcome, CrawlSummary, SkippedFile } from './catalog/crawler/crawl.js';
export type { CrawlerRun, RunCrawlerOptions } from './catalog/crawler/runCrawler.js';
export type { CrawlerDefinition, CrawlerTarget } from './catalog/crawler/crawlerDefinition.js';
export type { CustomClassifier } from './catalog/crawler/classify.js';
export type { CrawledTable } from './catalog/crawler/tableInputs.js';
