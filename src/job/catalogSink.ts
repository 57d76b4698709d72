import { randomUUID } from 'node:crypto';
import type { Schema } from 'apache-arrow';
import type { TableInput } from '@aws-sdk/client-glue';
import { Catalog } from '../catalog/Catalog.js';
import { EntityNotFoundError } from '../catalog/catalogErrors.js';
import { catalogName } from '../catalog/catalogNames.js';
import { applyCatalogUpdate, partitionsOfFiles, settlePendingUpdates, type CatalogUpdate, type UpdateBehavior } from '../catalog/catalogUpdate.js';
import { columnsOfSchema, hiveTypeName } from '../catalog/hiveTypes.js';
import { classificationOf, storageOfFormat } from '../catalog/tableStorage.js';
import type { DataFrame, Row } from '../frame/DataFrame.js';
import type { WriteSpec, WriteSummary } from '../frame/DataFrameWriter.js';
import { crashPoint } from '../io/partitioning/crashPoint.js';
import { abortOutputs, claimOutputs, commitOutputs, CommittedError, releaseAll } from '../io/partitioning/outputCommit.js';
import { sinkStaging, stageSink } from '../io/partitioning/stageInStore.js';
import { absolutePath } from '../io/store/storePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { PendingOutput } from '../io/partitioning/applyPending.js';
import type { BookmarkSession } from './bookmarks/BookmarkSession.js';
import type { CatalogUpdates } from './CatalogUpdates.js';

/** Where a sink registers what it writes (Glue's `setCatalogInfo` with `enableUpdateCatalog`). */
export interface CatalogTarget {
  catalog?: Catalog | string;
  database: string;
  table: string;
  /** Default UPDATE_IN_DATABASE, as Glue's. */
  updateBehavior?: UpdateBehavior;
}

/** What a catalog sink did: the write, and the catalog change made with it. */
export interface CatalogWriteSummary extends WriteSummary {
  catalog: { table: string; created: boolean; updatedSchema: boolean; partitionsAdded: number; logged?: string };
}

const openCatalog = (catalog: Catalog | string | undefined): Catalog => (catalog instanceof Catalog ? catalog : Catalog.open(catalog));

/** A catalog sink checked against its table and ready to write: the spec's keys as the frame names them. */
export interface PreparedCatalogSink {
  catalog: Catalog;
  database: string;
  table: string;
  spec: WriteSpec;
  tableInput: TableInput;
  updateBehavior: UpdateBehavior;
}

/**
 * Before a catalog sink writes: settles what an earlier sink of the table left pending, resolves
 * the partition keys to the frame's columns (case-insensitively, as Spark), and checks Glue's rules
 * against the existing table (same keys in the same order, the same format).
 */
export async function prepareCatalogSink(frame: DataFrame<Row>, spec: WriteSpec, target: CatalogTarget): Promise<PreparedCatalogSink> {
  const catalog = openCatalog(target.catalog);
  const database = catalogName(target.database, 'database');
  const table = catalogName(target.table, 'table');
  if (!(await catalog.getDatabase(database))) throw new EntityNotFoundError(`Database ${database} not found in the catalog ${catalog.root}: create it first (sluice catalog, or Catalog.createDatabase)`);
  await settlePendingUpdates(catalog, database, table);
  const schema = await frame.schema();
  const keys = (spec.partitionKeys ?? []).map((key) => {
    const field = schema.fields.find((f) => f.name === key) ?? schema.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
    if (!field) throw new SluiceError(`partition key '${key}' is not a column of the frame; its columns are: ${schema.fields.map((f) => f.name).join(', ')}`);
    return field.name;
  });
  const resolved: WriteSpec = { ...spec, ...(keys.length ? { partitionKeys: keys } : {}) };
  const existing = await catalog.getTable(database, table);
  if (existing) checkCompatible(existing, resolved, `${database}.${table}`);
  return { catalog, database, table, spec: resolved, tableInput: tableInputFor(table, schema, resolved, absolutePath(spec.path)), updateBehavior: target.updateBehavior ?? 'UPDATE_IN_DATABASE' };
}

/** Each catalog sink of a job checked against its table (prepareCatalogSink), keyed by its write. */
export async function prepareCatalogSinks(sinks: readonly { frame: DataFrame<Row>; write: WriteSpec; catalog?: CatalogTarget & { root?: string } }[]): Promise<Map<WriteSpec, PreparedCatalogSink>> {
  const prepared = new Map<WriteSpec, PreparedCatalogSink>();
  for (const sink of sinks) {
    if (sink.catalog) prepared.set(sink.write, await prepareCatalogSink(sink.frame, sink.write, { ...sink.catalog, catalog: sink.catalog.root }));
  }
  return prepared;
}

/**
 * Stages a sink in a bookmarked run; a catalog sink's update is added to `updates`, to be made in
 * the run's commit (commitWithCatalogUpdates).
 */
export async function stageBookmarkedSink(session: BookmarkSession, frame: DataFrame<Row>, sink: WriteSpec | PreparedCatalogSink, updates: CatalogUpdates): Promise<WriteSummary> {
  if (!('tableInput' in sink)) return session.write(frame, sink);
  const summary = await session.write(frame, sink.spec);
  updates.add(sink, randomUUID(), session.lastSinkStaging()!, summary.files);
  return summary;
}

/** The update a staged catalog sink will make once its files (`published`, their final paths) are published. */
export function pendingUpdateOf(sink: PreparedCatalogSink, runId: string, staging: string, published: string[]): CatalogUpdate {
  const root = absolutePath(sink.spec.path);
  return {
    runId, database: sink.database, table: sink.table, root, staging, published, tableInput: sink.tableInput, updateBehavior: sink.updateBehavior,
    partitions: partitionsOfFiles(root, published, sink.spec.partitionKeys ?? []),
  };
}

/**
 * Writes a frame and registers it in the catalog as one commit (Glue's `getSink(…,
 * enableUpdateCatalog=True)` with `setCatalogInfo`): the files are staged, the catalog update
 * (create the table if missing, the schema with UPDATE_IN_DATABASE, the new partitions) is put as
 * pending, then the output's commit point publishes the files, then the update is applied. A
 * crash anywhere leaves the pending update for the next writer or reader of the table to settle
 * (catalog/catalogUpdate.ts): no partition ever points at unpublished files, and no published file
 * stays without its partition.
 */
export async function writeWithCatalogUpdate(frame: DataFrame<Row>, spec: WriteSpec, target: CatalogTarget): Promise<CatalogWriteSummary> {
  const sink = await prepareCatalogSink(frame, spec, target);
  const { catalog, database, table } = sink;
  const root = absolutePath(spec.path);
  const runId = randomUUID();
  const jobRunId = `${runId}-0`;
  const output: PendingOutput = { root, mode: spec.mode === 'error' ? 'errorIfExists' : spec.mode ?? 'append', staging: sinkStaging(root, jobRunId), renames: [] };
  const claims = await claimOutputs([root], runId);
  let update: CatalogUpdate | undefined;
  let committed = false;
  try {
    const result = await frame.write.to({ ...sink.spec, jobRunId, deferCommit: true });
    output.renames = await stageSink(root, jobRunId, result.files);
    crashPoint('after-stage-sink-1');
    update = pendingUpdateOf(sink, runId, output.staging, result.files);
    await catalog.putPendingUpdate(database, table, runId, update);
    crashPoint('after-catalog-intent');
    await commitOutputs({ runId, outputs: [output] });
    committed = true; // from here a failure leaves the update pending, for the next reader or writer
    crashPoint('before-catalog-update');
    const done = await applyCatalogUpdate(catalog, update);
    await catalog.deletePendingUpdate(database, table, runId);
    return { ...result, catalog: { table: `${database}.${table}`, ...done } };
  } catch (e) {
    if (!committed && !(e instanceof CommittedError)) {
      await abortOutputs({ runId, outputs: [output] }).catch(() => undefined);
      // Not committed: the pending update names files that will never be published.
      if (update) await catalog.deletePendingUpdate(database, table, runId).catch(() => undefined);
    }
    throw e;
  } finally {
    await releaseAll(claims);
  }
}

/** The table a sink creates: the frame's columns (lower-cased, Hive types), its partition keys, format and path. */
function tableInputFor(name: string, schema: Schema, spec: WriteSpec, root: string): TableInput {
  const keys = spec.partitionKeys ?? [];
  const lowerKeys = keys.map((k) => k.toLowerCase());
  const { storage, parameters } = storageOfFormat(spec.format, spec.formatOptions);
  const dataFields = schema.fields.filter((f) => !lowerKeys.includes(f.name.toLowerCase()));
  return {
    Name: name,
    TableType: 'EXTERNAL_TABLE',
    StorageDescriptor: {
      ...storage,
      Columns: columnsOfSchema({ fields: dataFields }),
      Location: `${root.replace(/\/+$/, '')}/`,
      Compressed: false,
      NumberOfBuckets: -1,
    },
    PartitionKeys: keys.map((key) => {
      const field = schema.fields.find((f) => f.name === key)!;
      return { Name: key.toLowerCase(), Type: hiveTypeName(field.type) };
    }),
    Parameters: parameters,
  };
}

/** Glue's rules for writing into an existing table: the same partition keys in the same order, and the same format. */
function checkCompatible(table: NonNullable<Awaited<ReturnType<Catalog['getTable']>>>, spec: WriteSpec, name: string): void {
  const tableKeys = (table.PartitionKeys ?? []).map((k) => k.Name);
  const keys = (spec.partitionKeys ?? []).map((k) => k.toLowerCase());
  if (tableKeys.join(',') !== keys.join(',')) {
    throw new SluiceError(`the sink's partitionKeys [${keys.join(', ')}] must equal table ${name}'s, in order: [${tableKeys.join(', ')}]`);
  }
  const classification = classificationOf(table);
  const format = spec.format === 'glueparquet' as string ? 'parquet' : spec.format;
  if (classification && classification !== format) {
    throw new SluiceError(`table ${name} is ${classification}; this sink writes ${format}: write the table's format, or use another table`);
  }
}
