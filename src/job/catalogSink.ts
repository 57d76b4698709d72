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
  const catalog = openCatalog(target.catalog);
  const database = catalogName(target.database, 'database');
  const tableName = catalogName(target.table, 'table');
  const updateBehavior = target.updateBehavior ?? 'UPDATE_IN_DATABASE';
  if (!(await catalog.getDatabase(database))) throw new EntityNotFoundError(`Database ${database} not found in the catalog ${catalog.root}: create it first (sluice catalog, or Catalog.createDatabase)`);
  await settlePendingUpdates(catalog, database, tableName);
  const root = absolutePath(spec.path);
  const schema = await frame.schema();
  // Spark resolves column names case-insensitively: a key 'year' partitions by the column 'Year'.
  const keys = (spec.partitionKeys ?? []).map((key) => {
    const field = schema.fields.find((f) => f.name === key) ?? schema.fields.find((f) => f.name.toLowerCase() === key.toLowerCase());
    if (!field) throw new SluiceError(`partition key '${key}' is not a column of the frame; its columns are: ${schema.fields.map((f) => f.name).join(', ')}`);
    return field.name;
  });
  spec = { ...spec, ...(keys.length ? { partitionKeys: keys } : {}) };
  const existing = await catalog.getTable(database, tableName);
  if (existing) checkCompatible(existing, spec, `${database}.${tableName}`);
  const tableInput = tableInputFor(tableName, schema, spec, root);

  const runId = randomUUID();
  const jobRunId = `${runId}-0`;
  const output: PendingOutput = { root, mode: spec.mode === 'error' ? 'errorIfExists' : spec.mode ?? 'append', staging: sinkStaging(root, jobRunId), renames: [] };
  const claims = await claimOutputs([root], runId);
  let update: CatalogUpdate | undefined;
  try {
    const result = await frame.write.to({ ...spec, jobRunId, deferCommit: true });
    output.renames = await stageSink(root, jobRunId, result.files);
    crashPoint('after-stage-sink-1');
    update = {
      runId, database, table: tableName, root, staging: output.staging, published: result.files, tableInput, updateBehavior,
      partitions: partitionsOfFiles(root, result.files, keys),
    };
    await catalog.putPendingUpdate(database, tableName, runId, update);
    crashPoint('after-catalog-intent');
    await commitOutputs({ runId, outputs: [output] });
    crashPoint('before-catalog-update');
    const done = await applyCatalogUpdate(catalog, update);
    await catalog.deletePendingUpdate(database, tableName, runId);
    return { ...result, catalog: { table: `${database}.${tableName}`, ...done } };
  } catch (e) {
    if (!(e instanceof CommittedError)) {
      await abortOutputs({ runId, outputs: [output] }).catch(() => undefined);
      // Not committed: the pending update names files that will never be published.
      if (update) await catalog.deletePendingUpdate(database, tableName, runId).catch(() => undefined);
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
