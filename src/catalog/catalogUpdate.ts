import type { Column, Table, TableInput } from '@aws-sdk/client-glue';
import { claimOutput } from '../io/partitioning/outputCommit.js';
import { DEFAULT_PARTITION, parsePartitionSegment } from '../io/partitioning/hivePath.js';
import { StoreLockedError } from '../io/store/storeLock.js';
import { storeFor } from '../io/store/storeFor.js';
import { relativePath } from '../io/store/storePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { AlreadyExistsError } from './catalogErrors.js';
import type { Catalog } from './Catalog.js';

/** Glue's `updateBehavior`: overwrite the table's schema, or only log a change and keep it. */
export type UpdateBehavior = 'UPDATE_IN_DATABASE' | 'LOG';

/**
 * What a catalog sink changes in the catalog once its output is published: plain data, put in the
 * catalog *before* the output's commit point (Catalog.putPendingUpdate) and applied after it. A
 * crash in between leaves the update pending; whoever next writes or reads the table settles it
 * (settlePendingUpdates): applied when the run's files were published, dropped when they never
 * will be. So no partition points at unpublished files, and no published file lacks its partition.
 */
export interface CatalogUpdate {
  runId: string;
  database: string;
  table: string;
  /** The sink's output folder, and where its run staged its files. */
  root: string;
  staging: string;
  /** The files the run publishes: one of them present means the run committed. */
  published: string[];
  /** The table to create when it is missing (the frame's columns, the sink's format and path). */
  tableInput: TableInput;
  updateBehavior: UpdateBehavior;
  /** The partitions the run wrote into: positional values and the folder. */
  partitions: { values: string[]; location: string }[];
}

/**
 * The partitions of the files a write published, each once: its values in the table's key order
 * (keys matched case-insensitively to the `k=v` folders) and its folder.
 */
export function partitionsOfFiles(root: string, files: readonly string[], keys: readonly string[]): { values: string[]; location: string }[] {
  if (keys.length === 0) return [];
  const seen = new Map<string, { values: string[]; location: string }>();
  const base = root.replace(/\/+$/, '');
  for (const file of files) {
    const folders = relativePath(root, file).split('/').slice(0, -1);
    const segments = folders.map(parsePartitionSegment);
    const values = keys.map((key) => {
      const segment = segments.find((s) => s?.key.toLowerCase() === key.toLowerCase());
      if (!segment) throw new SluiceError(`${file} is not under a ${key}= folder of ${root}`, { file });
      return segment.value ?? DEFAULT_PARTITION;
    });
    seen.set(JSON.stringify(values), { values, location: `${base}/${folders.join('/')}/` });
  }
  return [...seen.values()];
}

/**
 * Applies an update, idempotently (a recovery may apply it again): creates the table if missing;
 * with UPDATE_IN_DATABASE, replaces its columns when they changed (a new table version); adds the
 * run's partitions, skipping those present. With LOG, partitions are added only when the frame's
 * columns are among the table's (Glue's rule); otherwise the change is reported and nothing added.
 * Returns what it did, for the job's log.
 */
export async function applyCatalogUpdate(catalog: Catalog, update: CatalogUpdate): Promise<{ created: boolean; updatedSchema: boolean; partitionsAdded: number; logged?: string }> {
  const { database, table } = update;
  let created = false;
  let updatedSchema = false;
  let current = await catalog.getTable(database, table);
  if (!current) {
    try {
      current = await catalog.createTable(database, update.tableInput);
      created = true;
    } catch (e) {
      if (!(e instanceof AlreadyExistsError)) throw e;
      current = (await catalog.getTable(database, table))!;
    }
  }
  const wanted = update.tableInput.StorageDescriptor?.Columns ?? [];
  if (!created && update.updateBehavior === 'UPDATE_IN_DATABASE' && !sameColumns(current.StorageDescriptor?.Columns ?? [], wanted)) {
    current = await catalog.modifyTable(database, table, (t) =>
      (sameColumns(t.StorageDescriptor?.Columns ?? [], wanted) ? undefined : { ...tableInputOf(t), StorageDescriptor: { ...t.StorageDescriptor, Columns: wanted } }));
    updatedSchema = true;
  }
  if (update.updateBehavior === 'LOG') {
    const known = new Set((current.StorageDescriptor?.Columns ?? []).map((c) => c.Name));
    const extra = wanted.filter((c) => !known.has(c.Name));
    if (extra.length) {
      return { created, updatedSchema, partitionsAdded: 0, logged: `the frame has columns the table ${database}.${table} lacks (${extra.map((c) => c.Name).join(', ')}); updateBehavior LOG: the table and its partitions are left as they are` };
    }
  }
  const result = await catalog.batchCreatePartition(database, table, update.partitions.map(({ values, location }) => ({
    Values: values,
    StorageDescriptor: { ...current!.StorageDescriptor, Location: location },
  })));
  return { created, updatedSchema, partitionsAdded: result.created.length };
}

/**
 * Settles the pending updates of a table left by runs that died: each run's output is claimed
 * (a live writer's lock means its update is not pending but in progress: left alone), which also
 * finishes or undoes that output's commit; then the update is applied when one of its files is
 * published, dropped when none is and its staging is gone, and left while its staging waits (a
 * bookmarked run committed but not yet published: its next run publishes it).
 */
export async function settlePendingUpdates(catalog: Catalog, database: string, table: string): Promise<number> {
  let settled = 0;
  for (const { id, update } of await catalog.pendingUpdates<CatalogUpdate>(database, table)) {
    let claim;
    try {
      claim = await claimOutput(update.root);
    } catch (e) {
      if (e instanceof StoreLockedError) continue;
      throw e;
    }
    try {
      const store = await storeFor(update.root);
      let published = false;
      for (const file of update.published) if ((published = (await store.stat(file)) !== undefined)) break;
      if (published) await applyCatalogUpdate(catalog, update);
      else if ((await store.kind(update.staging)) !== 'missing') continue;
      await catalog.deletePendingUpdate(database, table, id);
      settled++;
    } finally {
      await claim.release();
    }
  }
  return settled;
}

function sameColumns(a: readonly Column[], b: readonly Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.Name === b[i].Name && c.Type === b[i].Type);
}

/** The TableInput members of a Table (what UpdateTable takes back). */
export function tableInputOf(table: Table): TableInput {
  const { Name, Description, Owner, Retention, StorageDescriptor, PartitionKeys, ViewOriginalText, ViewExpandedText, TableType, Parameters, TargetTable } = table;
  return { Name, Description, Owner, Retention, StorageDescriptor, PartitionKeys, ViewOriginalText, ViewExpandedText, TableType, Parameters, TargetTable };
}
