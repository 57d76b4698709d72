import type { Column, Partition, PartitionInput, Table, TableInput } from '@aws-sdk/client-glue';
import type { Catalog } from '../Catalog.js';
import type { CrawledTable } from './tableInputs.js';

/** Glue's `SchemaChangePolicy.UpdateBehavior`. */
export type UpdateBehavior = 'UPDATE_IN_DATABASE' | 'LOG';
/** Glue's `SchemaChangePolicy.DeleteBehavior`. */
export type DeleteBehavior = 'DELETE_FROM_DATABASE' | 'LOG' | 'DEPRECATE_IN_DATABASE';

/** How a crawl's outcome changes the catalog (Glue's SchemaChangePolicy and `CrawlerOutput` configuration). */
export interface ApplyPolicy {
  database: string;
  /** The crawler's name: the tables it manages carry it as `UPDATED_BY_CRAWLER`. */
  crawlerName: string;
  /** The include path (absolute): tables of this crawler located under it are its to update or delete. */
  root: string;
  /** Default UPDATE_IN_DATABASE. */
  updateBehavior?: UpdateBehavior;
  /** Default DEPRECATE_IN_DATABASE. */
  deleteBehavior?: DeleteBehavior;
  /** `CrawlerOutput.Tables.AddOrUpdateBehavior: MergeNewColumns`: add new columns, never remove or retype one. */
  mergeNewColumns?: boolean;
  /** `CrawlerOutput.Partitions.AddOrUpdateBehavior: InheritFromTable`: each partition gets the table's columns, formats and parameters. */
  inheritFromTable?: boolean;
  /** CRAWL_NEW_FOLDERS_ONLY: the outcome holds new folders only; nothing is updated or deleted (Glue forces LOG). */
  newFoldersOnly?: boolean;
}

/** What applying one crawl did, as Glue's crawler metrics and log name it. */
export interface AppliedChanges {
  tablesCreated: string[];
  tablesUpdated: string[];
  tablesDeleted: string[];
  tablesDeprecated: string[];
  partitionsAdded: number;
  /** Existing partitions whose files changed schema or format (or whose table changed, under InheritFromTable), updated in place. */
  partitionsUpdated: number;
  partitionsDeleted: number;
  /** What the LOG policies left as it was, and why: Glue writes these to the crawler's log. */
  logged: string[];
}

/** Parameters that change with every file added: a difference in these alone is no schema change. */
const STATISTICS = new Set(['recordCount', 'averageRecordSize', 'objectCount', 'sizeKey']);
/** A change of these makes a table deprecated under MergeNewColumns (GDG crawler-configuration.md). */
const FORMAT_FACTS = ['classification', 'compressionType', 'delimiter'];
/** Set on a table the crawler no longer finds (DEPRECATE_IN_DATABASE). */
export const DEPRECATED_PARAMETER = 'DEPRECATED_BY_CRAWLER';

const sameColumns = (a: readonly Column[] = [], b: readonly Column[] = []) =>
  a.length === b.length && a.every((c, i) => c.Name === b[i].Name && c.Type === b[i].Type);

/** The parts of a table a crawl decides, without the statistics: equal means nothing to update. */
function schemaOf(table: TableInput | Table): string {
  const sd = table.StorageDescriptor ?? {};
  const params = Object.entries(table.Parameters ?? {}).filter(([k]) => !STATISTICS.has(k)).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([sd.Columns, sd.Location, sd.InputFormat, sd.OutputFormat, sd.SerdeInfo, table.PartitionKeys, params]);
}

/** A table as TableInput (what UpdateTable takes), without the fields the catalog sets. */
function inputOf(table: Table): TableInput {
  const { Name, Description, Owner, Retention, StorageDescriptor, PartitionKeys, TableType, Parameters, ViewOriginalText, ViewExpandedText, TargetTable } = table;
  return { Name, Description, Owner, Retention, StorageDescriptor, PartitionKeys, TableType, Parameters, ViewOriginalText, ViewExpandedText, TargetTable };
}

const isUnder = (location: string | undefined, root: string) => location !== undefined && (location === root || location.startsWith(`${root.replace(/\/+$/, '')}/`));

/**
 * Applies a crawl's tables to a catalog as Glue's crawler does (GDG crawler-configuration.md,
 * incremental-crawls.md): new tables and partitions are always created; a changed table is
 * replaced (UPDATE_IN_DATABASE), only widened by new columns (MergeNewColumns; a changed format
 * deprecates it instead), or left and logged (LOG); tables and partitions of this crawler no longer
 * found are deleted, deprecated or logged per DeleteBehavior. New-folders-only runs add only.
 */
export async function applyCrawl(catalog: Catalog, tables: readonly CrawledTable[], policy: ApplyPolicy): Promise<AppliedChanges> {
  const changes: AppliedChanges = { tablesCreated: [], tablesUpdated: [], tablesDeleted: [], tablesDeprecated: [], partitionsAdded: 0, partitionsUpdated: 0, partitionsDeleted: 0, logged: [] };
  const db = policy.database.toLowerCase();
  if (!(await catalog.getDatabase(db))) await catalog.createDatabase({ Name: db, Description: `Created by the crawler ${policy.crawlerName}` });
  const existing = new Map((await catalog.getTables(db)).map((t) => [t.Name!, t]));
  const updateBehavior = policy.newFoldersOnly ? 'LOG' : policy.updateBehavior ?? 'UPDATE_IN_DATABASE';
  const deleteBehavior = policy.newFoldersOnly ? 'LOG' : policy.deleteBehavior ?? 'DEPRECATE_IN_DATABASE';

  for (const crawled of tables) {
    const { input } = crawled;
    const name = input.Name!;
    const current = existing.get(name);
    existing.delete(name);
    if (!current) {
      await catalog.createTable(db, input);
      changes.tablesCreated.push(name);
      changes.partitionsAdded += await addPartitions(catalog, db, name, policy.inheritFromTable ? crawled.partitions.map((p) => inherit(input, p)) : crawled.partitions);
      continue;
    }
    await updateTable(catalog, db, current, input, updateBehavior, policy, changes);
    // InheritFromTable: partitions take the table as it now stands (widened only, under MergeNewColumns; unchanged under LOG).
    const table = policy.inheritFromTable ? (await catalog.getTable(db, name)) ?? current : current;
    const partitions = compatiblePartitions(current, policy.inheritFromTable ? crawled.partitions.map((p) => inherit(inputOf(table), p)) : crawled.partitions, changes);
    if (policy.newFoldersOnly) {
      // Only new folders were read: nothing known is in this crawl, and existing values are skipped by the create-only adds.
      changes.partitionsAdded += await addPartitions(catalog, db, name, partitions);
      continue;
    }
    const stored = new Map((await catalog.getPartitions(db, name)).map((p) => [JSON.stringify(p.Values), p]));
    changes.partitionsAdded += await addPartitions(catalog, db, name, partitions.filter((p) => !stored.has(JSON.stringify(p.Values))));
    await updatePartitions(catalog, db, name, partitions, stored, updateBehavior, policy, changes);
    await removeMissingPartitions(catalog, db, name, partitions, [...stored.values()], deleteBehavior, changes);
  }

  for (const [name, table] of existing) {
    if (table.Parameters?.UPDATED_BY_CRAWLER !== policy.crawlerName || !isUnder(table.StorageDescriptor?.Location, policy.root)) continue;
    if (policy.newFoldersOnly) continue; // not crawled this time: not gone
    if (deleteBehavior === 'DELETE_FROM_DATABASE') {
      await catalog.deleteTable(db, name);
      changes.tablesDeleted.push(name);
    } else if (deleteBehavior === 'DEPRECATE_IN_DATABASE') {
      if (table.Parameters?.[DEPRECATED_PARAMETER] === undefined) {
        await catalog.updateTable(db, { ...inputOf(table), Parameters: { ...table.Parameters, [DEPRECATED_PARAMETER]: policy.crawlerName } });
        changes.tablesDeprecated.push(name);
      }
    } else changes.logged.push(`table ${db}.${name}: its data is no longer found at ${table.StorageDescriptor?.Location}; kept (DeleteBehavior LOG)`);
  }
  return changes;
}

async function updateTable(catalog: Catalog, db: string, current: Table, input: TableInput, behavior: UpdateBehavior, policy: ApplyPolicy, changes: AppliedChanges): Promise<void> {
  const name = input.Name!;
  if (schemaOf(current) === schemaOf(input)) return;
  if (behavior === 'LOG') {
    changes.logged.push(`table ${db}.${name}: the crawl found a different schema or format; not updated (UpdateBehavior LOG)`);
    return;
  }
  if (!policy.mergeNewColumns) {
    await catalog.updateTable(db, input);
    changes.tablesUpdated.push(name);
    return;
  }
  const changedFact = FORMAT_FACTS.find((fact) => (current.Parameters?.[fact] ?? '') !== (input.Parameters?.[fact] ?? ''));
  if (changedFact) {
    if (current.Parameters?.[DEPRECATED_PARAMETER] !== undefined) return; // deprecated by an earlier run: no version per run
    await catalog.updateTable(db, { ...inputOf(current), Parameters: { ...current.Parameters, [DEPRECATED_PARAMETER]: policy.crawlerName } });
    changes.tablesDeprecated.push(name);
    changes.logged.push(`table ${db}.${name}: ${changedFact} changed from '${current.Parameters?.[changedFact] ?? ''}' to '${input.Parameters?.[changedFact] ?? ''}'; the table is deprecated (MergeNewColumns)`);
    return;
  }
  const known = new Set((current.StorageDescriptor?.Columns ?? []).map((c) => c.Name));
  const added = (input.StorageDescriptor?.Columns ?? []).filter((c) => !known.has(c.Name));
  if (added.length === 0) return;
  const sd = current.StorageDescriptor ?? {};
  await catalog.updateTable(db, { ...inputOf(current), StorageDescriptor: { ...sd, Columns: [...(sd.Columns ?? []), ...added] } });
  changes.tablesUpdated.push(name);
}

/** The parts of a partition a crawl decides, without the statistics: equal means nothing to update. */
function partitionSchemaOf(partition: PartitionInput | Partition): string {
  const sd = partition.StorageDescriptor ?? {};
  const params = Object.entries(partition.Parameters ?? {}).filter(([k]) => !STATISTICS.has(k)).sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([sd.Columns, sd.Location, sd.InputFormat, sd.OutputFormat, sd.SerdeInfo, sd.Compressed, params]);
}

/**
 * Existing partitions whose crawled schema or format differs from the stored one (GDG
 * crawler-configuration.md): UPDATE_IN_DATABASE replaces the partition's StorageDescriptor and
 * Parameters, MergeNewColumns only adds its new columns, LOG leaves it and says so. Under
 * InheritFromTable the crawled partition already carries the table's, so a table change reaches
 * every partition ("Update all new and existing partitions with metadata from the table").
 */
async function updatePartitions(
  catalog: Catalog, db: string, name: string, found: readonly PartitionInput[], stored: ReadonlyMap<string, Partition>,
  behavior: UpdateBehavior, policy: ApplyPolicy, changes: AppliedChanges,
): Promise<void> {
  const entries: { PartitionValueList: string[]; PartitionInput: PartitionInput }[] = [];
  for (const partition of found) {
    const values = partition.Values ?? [];
    const before = stored.get(JSON.stringify(values));
    if (!before || partitionSchemaOf(before) === partitionSchemaOf(partition)) continue;
    if (behavior === 'LOG') {
      changes.logged.push(`partition (${values.join(', ')}) of ${db}.${name}: the crawl found a different schema or format; not updated (UpdateBehavior LOG)`);
      continue;
    }
    entries.push({ PartitionValueList: values, PartitionInput: policy.mergeNewColumns && !policy.inheritFromTable ? widened(before, partition) : partition });
  }
  const changed = entries.filter((e) => partitionSchemaOf(e.PartitionInput) !== partitionSchemaOf(stored.get(JSON.stringify(e.PartitionValueList))!));
  if (changed.length === 0) return;
  const { updated } = await catalog.batchUpdatePartition(db, name, changed);
  changes.partitionsUpdated += updated.length;
}

/** MergeNewColumns for a partition: its stored storage and parameters, with the crawl's new columns appended. */
function widened(before: Partition, found: PartitionInput): PartitionInput {
  const sd = before.StorageDescriptor ?? {};
  const known = new Set((sd.Columns ?? []).map((c) => c.Name));
  const added = (found.StorageDescriptor?.Columns ?? []).filter((c) => !known.has(c.Name));
  return { Values: before.Values, StorageDescriptor: { ...sd, Columns: [...(sd.Columns ?? []), ...added] }, Parameters: before.Parameters };
}

/** A partition with the table's storage (columns, formats, parameters) at its own location. */
function inherit(table: TableInput, partition: PartitionInput): PartitionInput {
  return { ...partition, StorageDescriptor: { ...table.StorageDescriptor, Location: partition.StorageDescriptor?.Location }, Parameters: { ...table.Parameters } };
}

/** Partitions per BatchCreatePartition call (Glue's limit is 100), and calls in flight at once. */
const PARTITION_BATCH = 50;
const BATCHES_IN_FLIGHT = 64;

/**
 * Adds partitions in batches several at a time: each partition is its own create-only document,
 * so batches are independent, and a durable write's wait (fsync, an S3 PUT) overlaps the others'.
 * Returns how many were new.
 */
async function addPartitions(catalog: Catalog, db: string, table: string, partitions: readonly PartitionInput[]): Promise<number> {
  let added = 0;
  let next = 0;
  const worker = async () => {
    while (next < partitions.length) {
      const batch = partitions.slice(next, (next += PARTITION_BATCH));
      const { created } = await catalog.batchCreatePartition(db, table, batch);
      added += created.length; // after the await: `added += await …` would add to a stale total

    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, Math.ceil(partitions.length / PARTITION_BATCH)) }, worker));
  return added;
}

/** Partitions whose keys match the table's (a crawl that changed the keys cannot add to the old table: logged). */
function compatiblePartitions(current: Table, partitions: readonly PartitionInput[], changes: AppliedChanges): PartitionInput[] {
  const keys = current.PartitionKeys ?? [];
  return partitions.filter((p) => {
    if ((p.Values ?? []).length === keys.length) return true;
    changes.logged.push(`partition (${(p.Values ?? []).join(', ')}) of ${current.DatabaseName}.${current.Name}: ${p.Values?.length} values for ${keys.length} partition keys; not added`);
    return false;
  });
}

async function removeMissingPartitions(
  catalog: Catalog, db: string, name: string, found: readonly PartitionInput[], stored: readonly Partition[], behavior: DeleteBehavior, changes: AppliedChanges,
): Promise<void> {
  const seen = new Set(found.map((p) => JSON.stringify(p.Values)));
  const gone = stored.map((p) => p.Values ?? []).filter((values) => !seen.has(JSON.stringify(values)));
  if (gone.length === 0) return;
  if (behavior === 'DELETE_FROM_DATABASE') {
    await catalog.batchDeletePartition(db, name, gone);
    changes.partitionsDeleted += gone.length;
  } else for (const values of gone) changes.logged.push(`partition (${values.join(', ')}) of ${db}.${name}: no longer found; kept (DeleteBehavior ${behavior})`);
}
