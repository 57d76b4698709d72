import type { Catalog } from '../catalog/Catalog.js';
import { EntityNotFoundError } from '../catalog/catalogErrors.js';
import { readFormatOf } from '../catalog/tableStorage.js';
import type { UpdateBehavior } from '../catalog/catalogUpdate.js';
import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import { readTable } from '../frame/readTable.js';
import { checkOptions } from '../io/formats/checkOptions.js';
import type { OptionSet } from '../io/formats/FormatDef.js';
import { writableFormatDef, type WritableFormat } from '../io/formats/registry.js';
import type { NodeInfo } from '../plan/PlanNode.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { BookmarkSession } from './bookmarks/BookmarkSession.js';
import { writeWithCatalogUpdate, type CatalogTarget } from './catalogSink.js';

/** `glueContext.createDynamicFrame.fromCatalog({...})`, Glue's `create_dynamic_frame.from_catalog`. */
export interface ReadFromCatalog extends NodeInfo {
  database?: string;
  /** Glue's older name for `database`. */
  nameSpace?: string;
  tableName: string;
  /** Spark SQL over the partition keys: only matching partitions are listed and read. */
  pushDownPredicate?: string;
  additionalOptions?: { catalogPartitionPredicate?: string; pushDownPredicate?: string; [option: string]: unknown };
  /** Glue's account id of the catalog: one embedded catalog here, so it is checked to be absent. */
  catalogId?: string;
}

/** `glueContext.writeDynamicFrame.fromCatalog({...})`: writes into a catalog table's Location, in its format. */
export interface WriteFromCatalog {
  frame: DataFrame<Row>;
  database?: string;
  nameSpace?: string;
  tableName: string;
  transformationCtx?: string;
  additionalOptions?: { enableUpdateCatalog?: boolean; updateBehavior?: UpdateBehavior; partitionKeys?: string[]; [option: string]: unknown };
}

/** `glueContext.getSink({...})`: Glue's `getSink(connection_type="s3", path=…, enableUpdateCatalog=…, …)`. */
export interface SinkOptions {
  connectionType?: 's3' | 'file';
  path: string;
  enableUpdateCatalog?: boolean;
  updateBehavior?: UpdateBehavior;
  partitionKeys?: string[];
  transformationCtx?: string;
}

const READ_OPTIONS: OptionSet = {
  label: 'catalog source',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      catalogPartitionPredicate: { type: 'string', description: "GetPartitions' expression, evaluated by the catalog." },
      pushDownPredicate: { type: 'string', description: 'Spark SQL over the partition keys.' },
    },
  },
  ignored: { useCatalogSchema: 'a catalog read always gives the catalog\'s columns and types' },
};

const SINK_OPTIONS: OptionSet = {
  label: 'catalog sink',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      enableUpdateCatalog: { type: 'boolean', description: 'Register the write in the catalog table: create it if missing, add new partitions.' },
      updateBehavior: { type: 'string', enum: ['UPDATE_IN_DATABASE', 'LOG'], description: 'UPDATE_IN_DATABASE (default) overwrites the schema; LOG keeps it.' },
      partitionKeys: { type: 'array', items: { type: 'string' }, description: "Hive partition columns; must equal the table's, in order." },
    },
  },
  ignored: {},
};

const GET_SINK_OPTIONS: OptionSet = {
  label: 'getSink',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      connectionType: { type: 'string', enum: ['s3', 'file'], description: 'Where the output lives.' },
      path: { type: 'string', description: 'The output folder.' },
      enableUpdateCatalog: { type: 'boolean', description: 'Register the write in the catalog table: create it if missing, add new partitions.' },
      updateBehavior: { type: 'string', enum: ['UPDATE_IN_DATABASE', 'LOG'], description: 'UPDATE_IN_DATABASE (default) overwrites the schema; LOG keeps it.' },
      partitionKeys: { type: 'array', items: { type: 'string' }, description: "Hive partition columns; must equal the table's, in order." },
      transformationCtx: { type: 'string', description: 'The name of this step.' },
    },
  },
  ignored: {},
};

function databaseOf(options: { database?: string; nameSpace?: string }, where: string): string {
  if (options.database !== undefined && options.nameSpace !== undefined) throw new SluiceError(`${where}: give database or nameSpace, not both`);
  const database = options.database ?? options.nameSpace;
  if (!database) throw new SluiceError(`${where}: database is required`);
  return database;
}

/**
 * The frame of a catalog table for a Glue script. With a bookmark (a transformationCtx in a
 * bookmarked run), only files of the kept partitions the bookmark has not seen are read.
 */
export function frameFromCatalog<T extends Row = Row>(options: ReadFromCatalog, catalog: Catalog, session: BookmarkSession | undefined): DataFrame<T> {
  const where = 'createDynamicFrame.fromCatalog';
  const { database: _d, nameSpace: _n, tableName, pushDownPredicate, additionalOptions = {}, catalogId, transformationCtx, stageThreshold, totalThreshold, ...rest } = options;
  checkOptions(rest, { label: where, schema: { type: 'object', additionalProperties: false, properties: {} }, ignored: {} }, where);
  checkOptions(additionalOptions, READ_OPTIONS, where);
  if (catalogId !== undefined) throw new SluiceError(`${where}: catalogId names an AWS account's catalog; sluice reads its embedded catalog (SLUICE_CATALOG): leave catalogId out`);
  const database = databaseOf(options, where);
  if (pushDownPredicate && additionalOptions.pushDownPredicate && pushDownPredicate !== additionalOptions.pushDownPredicate) {
    throw new SluiceError(`${where}: pushDownPredicate is given twice, differently (argument and additionalOptions)`);
  }
  const ctx = transformationCtx;
  return readTable<T>({ database, table: tableName }, {
    catalog,
    pushDownPredicate: pushDownPredicate ?? additionalOptions.pushDownPredicate,
    catalogPartitionPredicate: additionalOptions.catalogPartitionPredicate,
    ...(transformationCtx ? { transformationCtx } : {}),
    ...(stageThreshold ? { stageThreshold } : {}),
    ...(totalThreshold ? { totalThreshold } : {}),
    ...(session && ctx ? { chooseFiles: (files, listedAtMs, frameOf) => session.chosenSource(ctx, files, listedAtMs, frameOf) } : {}),
  });
}

/** Writes into a catalog table: its Location, its format, its partition keys (Glue's write_dynamic_frame.from_catalog). */
export async function writeToCatalog(
  options: WriteFromCatalog,
  catalog: Catalog,
  plainWrite: (frame: DataFrame<Row>, spec: WriteSpec) => Promise<WriteSummary>,
  bookmarkedWrite?: (frame: DataFrame<Row>, spec: WriteSpec, target: CatalogTarget) => Promise<WriteSummary>,
): Promise<WriteSummary> {
  const where = 'writeDynamicFrame.fromCatalog';
  const { frame, database: _d, nameSpace: _n, tableName, transformationCtx: _t, additionalOptions = {}, ...rest } = options;
  checkOptions(rest, { label: where, schema: { type: 'object', additionalProperties: false, properties: {} }, ignored: {} }, where);
  checkOptions(additionalOptions, SINK_OPTIONS, where);
  const database = databaseOf(options, where);
  const table = await catalog.getTable(database, tableName);
  if (!table) throw new EntityNotFoundError(`${where}: table ${database}.${tableName} not found in the catalog ${catalog.root}`);
  const location = table.StorageDescriptor?.Location;
  if (!location) throw new SluiceError(`${where}: table ${database}.${tableName} has no Location to write to`);
  const { format, formatOptions } = readFormatOf(table);
  const keys = additionalOptions.partitionKeys ?? (table.PartitionKeys ?? []).map((k) => k.Name!);
  const spec: WriteSpec = {
    format: writableFormatDef(format, where).name as WritableFormat,
    path: location,
    ...(keys.length ? { partitionKeys: keys } : {}),
    ...(format === 'csv' ? { formatOptions: { separator: formatOptions.separator, writeHeader: formatOptions.withHeader } } : {}),
  };
  if (!additionalOptions.enableUpdateCatalog) return plainWrite(frame, spec);
  const target: CatalogTarget = { catalog, database, table: tableName, updateBehavior: additionalOptions.updateBehavior };
  return bookmarkedWrite ? bookmarkedWrite(frame, spec, target) : writeWithCatalogUpdate(frame, spec, target);
}

/**
 * Glue's DataSink of `getSink`: `setFormat`, `setCatalogInfo`, then `writeFrame`. With
 * `enableUpdateCatalog` and catalog info, the write creates or updates the table and adds its new
 * partitions in the same commit; without, it is a plain write to `path`.
 */
export class DataSink {
  private format?: { name: WritableFormat; options: Record<string, unknown> };
  private target?: { database: string; table: string };

  constructor(
    private readonly options: SinkOptions,
    private readonly catalog: () => Catalog,
    private readonly plainWrite: (frame: DataFrame<Row>, spec: WriteSpec) => Promise<WriteSummary>,
    /** The write of a catalog sink staged in a job's run (GlueContext's, published at job.commit()), or undefined when there is none. */
    private readonly bookmarkedWrite: () => ((frame: DataFrame<Row>, spec: WriteSpec, target: CatalogTarget) => Promise<WriteSummary>) | undefined = () => undefined,
  ) {
    checkOptions(options as unknown as Record<string, unknown>, GET_SINK_OPTIONS, 'getSink');
    if (typeof options.path !== 'string' || options.path === '') throw new SluiceError('getSink: path is required, e.g. { path: "s3://bucket/out/" }');
  }

  /** Glue's `sink.setFormat(format, **options)`: json, csv, avro, parquet or glueparquet. */
  setFormat(format: string, options: Record<string, unknown> = {}): this {
    this.format = { name: writableFormatDef(format === 'glueparquet' ? 'parquet' : format, 'getSink.setFormat').name as WritableFormat, options };
    return this;
  }

  /** Glue's `sink.setCatalogInfo(catalogDatabase=…, catalogTableName=…)`. */
  setCatalogInfo(info: { catalogDatabase: string; catalogTableName: string }): this {
    if (!info?.catalogDatabase || !info.catalogTableName) throw new SluiceError('setCatalogInfo needs catalogDatabase and catalogTableName');
    this.target = { database: info.catalogDatabase, table: info.catalogTableName };
    return this;
  }

  /** Glue's `sink.writeFrame(frame)`. */
  async writeFrame(frame: DataFrame<Row>): Promise<WriteSummary> {
    if (!this.format) throw new SluiceError('getSink: call setFormat(format) before writeFrame');
    const spec: WriteSpec = {
      format: this.format.name,
      path: this.options.path,
      ...(this.options.partitionKeys?.length ? { partitionKeys: this.options.partitionKeys } : {}),
      ...(Object.keys(this.format.options).length ? { formatOptions: this.format.options } : {}),
    };
    if (!this.options.enableUpdateCatalog) return this.plainWrite(frame, spec);
    if (!this.target) throw new SluiceError('getSink: enableUpdateCatalog needs setCatalogInfo({ catalogDatabase, catalogTableName }) before writeFrame');
    const target: CatalogTarget = { catalog: this.catalog(), ...this.target, updateBehavior: this.options.updateBehavior };
    const bookmarked = this.bookmarkedWrite();
    return bookmarked ? bookmarked(frame, spec, target) : writeWithCatalogUpdate(frame, spec, target);
  }
}
