import { join } from 'node:path';
import type {
  Column, Database, DatabaseInput, Partition, PartitionInput, StorageDescriptor, Table, TableInput, TableVersion,
} from '@aws-sdk/client-glue';
import { storeFor } from '../io/store/storeFor.js';
import { absolutePath, baseName, joinPath } from '../io/store/storePath.js';
import { StorePreconditionError, type Store } from '../io/store/Store.js';
import { partitionPath } from '../io/partitioning/hivePath.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { AlreadyExistsError, ConcurrentModificationError, EntityNotFoundError } from './catalogErrors.js';
import {
  databaseFile, databasesFolder, partitionFileName, partitionsFolder, tablesFolder, updatesFolder, valuesOfPartitionFile, versionFile,
  versionOfFile, versionsFolder,
} from './catalogLayout.js';
import { catalogName } from './catalogNames.js';
import { partitionsMatching } from './partitionExpression.js';

/** What `batchCreatePartition` did: partitions created, and those skipped because their values existed. */
export interface BatchCreatePartitionResult {
  created: string[][];
  /** Glue reports these as `AlreadyExistsException` errors; the others are still created. */
  skipped: string[][];
}

/** One entry of `batchUpdatePartition` (Glue's BatchUpdatePartitionRequestEntry). */
export interface PartitionUpdateEntry {
  PartitionValueList: string[];
  PartitionInput: PartitionInput;
}

/** What `batchUpdatePartition` did: partitions updated, and those not found. */
export interface BatchUpdatePartitionResult {
  updated: string[][];
  missing: string[][];
}

/** One stored table version: the table, or a tombstone left by deleteTable. */
interface VersionDocument {
  table?: Table;
  deleted?: true;
  /** UpdateTable's SkipArchive: the version before this one is not kept as an archived version. */
  skipArchive?: true;
}

const DATE_KEYS = new Set(['CreateTime', 'UpdateTime', 'LastAccessTime', 'LastAnalyzedTime', 'CreationTime']);
const reviveDates = (key: string, value: unknown): unknown => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value);
const decoder = new TextDecoder();
/** Writers racing for one revision retry this often before giving up (each retry re-reads). */
const MAX_ATTEMPTS = 200;

/**
 * The embedded Data Catalog: Glue's databases, tables, table versions and partitions, in Glue's
 * own API shapes, kept as JSON documents under a root folder or s3:// prefix (catalogLayout.ts)
 * through the Store, so Lambda functions and several machines can share one catalog on S3.
 * Every change is one create-only put: table version n+1 is created only if absent, so of two
 * writers that read version n only one wins and the other re-reads and retries (compare-and-swap
 * on the revision). Names are lower-cased as Glue and Hive do.
 *
 * @example
 * const catalog = Catalog.open('s3://lake/catalog');
 * await catalog.createDatabase({ Name: 'sales' });
 * const table = await catalog.getTable('sales', 'orders');
 */
export class Catalog {
  private constructor(readonly root: string) {}

  /**
   * Opens the catalog at `root`: a folder or an s3:// prefix; default the `SLUICE_CATALOG`
   * environment variable, else `.sluice/catalog` under the working folder. Nothing is read yet.
   */
  static open(root?: string): Catalog {
    const chosen = root ?? process.env.SLUICE_CATALOG ?? join(process.cwd(), '.sluice', 'catalog');
    return new Catalog(absolutePath(chosen));
  }

  private store(): Promise<Store> {
    return storeFor(this.root);
  }

  /** Glue's CreateDatabase; an AlreadyExistsException when the name is taken. */
  async createDatabase(input: DatabaseInput): Promise<void> {
    const name = catalogName(input.Name, 'database');
    const database: Database = { ...input, Name: name, CreateTime: new Date() };
    await this.createDocument(databaseFile(this.root, name), database, () => new AlreadyExistsError(`Database ${name} already exists in the catalog ${this.root}`));
  }

  /** Glue's GetDatabase; undefined when there is none. */
  async getDatabase(name: string): Promise<Database | undefined> {
    return this.readDocument<Database>(databaseFile(this.root, catalogName(name, 'database')));
  }

  /** Glue's GetDatabases, in name order. */
  async getDatabases(): Promise<Database[]> {
    const store = await this.store();
    const databases: Database[] = [];
    for await (const object of store.list(databasesFolder(this.root))) {
      const name = baseName(object.path);
      if (name.startsWith('.') || !name.endsWith('.json')) continue;
      const database = await this.readDocument<Database>(object.path);
      if (database) databases.push(database);
    }
    return databases.sort((a, b) => (a.Name! < b.Name! ? -1 : 1));
  }

  /** Glue's CreateTable: version 1 of the table. AlreadyExistsException when it exists. */
  async createTable(database: string, input: TableInput): Promise<Table> {
    const db = await this.requireDatabase(database);
    const name = catalogName(input.Name, 'table');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const latest = await this.latestVersion(db, name);
      if (latest?.document.table) throw new AlreadyExistsError(`Table ${db}.${name} already exists in the catalog ${this.root}`);
      const version = (latest?.version ?? 0) + 1;
      const now = new Date();
      const table: Table = { ...normaliseTable(input, db, name), CreateTime: now, UpdateTime: now, VersionId: String(version) };
      if (await this.putVersion(db, name, version, { table })) return table;
    }
    throw new ConcurrentModificationError(`Table ${db}.${name}: too many writers racing to create it`);
  }

  /** Glue's GetTable (the current version); undefined when there is none. */
  async getTable(database: string, name: string): Promise<Table | undefined> {
    const db = catalogName(database, 'database');
    return (await this.latestVersion(db, catalogName(name, 'table')))?.document.table;
  }

  /** Glue's GetTables: every table of a database, in name order. */
  async getTables(database: string): Promise<Table[]> {
    const db = await this.requireDatabase(database);
    const store = await this.store();
    const names = new Set<string>();
    const folder = tablesFolder(this.root, db);
    for await (const object of store.list(folder)) {
      const relative = object.path.slice(folder.length + 1).split(/[\\/]/);
      if (relative.length === 3 && relative[1] === 'versions') names.add(relative[0]);
    }
    const tables: Table[] = [];
    for (const name of [...names].sort()) {
      const table = await this.getTable(db, name);
      if (table) tables.push(table);
    }
    return tables;
  }

  /**
   * Glue's UpdateTable: stores `input` as the table's next version (VersionId n+1). The version
   * replaced stays readable through getTableVersions unless `skipArchive`. With `versionId`, the
   * update applies only if the current version is still that one (ConcurrentModificationException
   * otherwise), as Glue's optimistic `VersionId` parameter; without it, a writer that loses a race
   * simply takes the next number, so no version is ever overwritten.
   */
  async updateTable(database: string, input: TableInput, options: { skipArchive?: boolean; versionId?: string } = {}): Promise<Table> {
    const name = catalogName(input.Name, 'table');
    return this.modifyTable(database, name, (current) => {
      if (options.versionId !== undefined && current.VersionId !== options.versionId) {
        throw new ConcurrentModificationError(`Table ${current.DatabaseName}.${name} is at version ${current.VersionId}, not ${options.versionId}: read it again and retry`);
      }
      return input;
    }, options);
  }

  /**
   * Read-modify-write of a table: `change` gets the current table and returns its new input (or
   * undefined to leave it as is); when another writer got there first, `change` runs again on the
   * newer table. What sinks and crawlers use to add columns without losing a concurrent change.
   */
  async modifyTable(
    database: string,
    name: string,
    change: (current: Table) => TableInput | undefined,
    options: { skipArchive?: boolean } = {},
  ): Promise<Table> {
    const db = catalogName(database, 'database');
    const tableName = catalogName(name, 'table');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const latest = await this.latestVersion(db, tableName);
      const current = latest?.document.table;
      if (!latest || !current) throw new EntityNotFoundError(`Table ${db}.${tableName} not found in the catalog ${this.root}`);
      const input = change(current);
      if (input === undefined) return current;
      const version = latest.version + 1;
      const table: Table = {
        ...normaliseTable({ ...input, Name: tableName }, db, tableName),
        CreateTime: current.CreateTime,
        UpdateTime: new Date(),
        VersionId: String(version),
      };
      if (await this.putVersion(db, tableName, version, { table, ...(options.skipArchive ? { skipArchive: true as const } : {}) })) return table;
    }
    throw new ConcurrentModificationError(`Table ${db}.${tableName}: too many writers racing to update it`);
  }

  /** Glue's DeleteTable: the table and its partitions. EntityNotFoundException when there is none. */
  async deleteTable(database: string, name: string): Promise<void> {
    const db = catalogName(database, 'database');
    const tableName = catalogName(name, 'table');
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const latest = await this.latestVersion(db, tableName);
      if (!latest?.document.table) throw new EntityNotFoundError(`Table ${db}.${tableName} not found in the catalog ${this.root}`);
      // The tombstone is the delete (one atomic put); the rest is cleaning up behind it.
      if (!(await this.putVersion(db, tableName, latest.version + 1, { deleted: true }))) continue;
      const store = await this.store();
      await store.deleteFolder(partitionsFolder(this.root, db, tableName));
      const older = (await this.versionNumbers(db, tableName)).filter((v) => v <= latest.version);
      await store.delete(older.map((v) => versionFile(this.root, db, tableName, v)));
      return;
    }
    throw new ConcurrentModificationError(`Table ${db}.${tableName}: too many writers racing to delete it`);
  }

  /** Glue's GetTableVersions: the current version and the archived ones, newest first. */
  async getTableVersions(database: string, name: string): Promise<TableVersion[]> {
    const db = catalogName(database, 'database');
    const tableName = catalogName(name, 'table');
    const numbers = (await this.versionNumbers(db, tableName)).sort((a, b) => b - a);
    const versions: TableVersion[] = [];
    let skipNext = false;
    for (const version of numbers) {
      const document = await this.readDocument<VersionDocument>(versionFile(this.root, db, tableName, version));
      if (!document || document.deleted) break; // an older incarnation of the name
      if (!skipNext) versions.push({ Table: document.table, VersionId: String(version) });
      skipNext = document.skipArchive === true;
    }
    return versions;
  }

  /**
   * Glue's BatchCreatePartition: each partition is one create-only document, so concurrent writers
   * adding partitions never lose one. Values already present are skipped and reported (Glue's
   * AlreadyExistsException per entry); the others are created. A partition without a
   * StorageDescriptor gets the table's, located at the Hive folder `k=v/…` under the table.
   */
  async batchCreatePartition(database: string, table: string, inputs: PartitionInput[]): Promise<BatchCreatePartitionResult> {
    const current = await this.requireTable(database, table);
    const keys = current.PartitionKeys ?? [];
    const folder = partitionsFolder(this.root, current.DatabaseName!, current.Name!);
    const result: BatchCreatePartitionResult = { created: [], skipped: [] };
    for (const input of inputs) {
      const values = input.Values ?? [];
      if (values.length !== keys.length) {
        throw new SluiceError(`Partition (${values.join(', ')}) of ${current.DatabaseName}.${current.Name} has ${values.length} values; the table's partition keys are ${keys.length}: ${keys.map((k) => k.Name).join(', ')}`);
      }
      const partition: Partition = {
        ...input,
        Values: [...values],
        DatabaseName: current.DatabaseName,
        TableName: current.Name,
        CreationTime: new Date(),
        StorageDescriptor: input.StorageDescriptor ?? defaultPartitionDescriptor(current, values),
      };
      const created = await this.createDocument(joinPath(folder, partitionFileName(values)), partition, () => undefined);
      (created ? result.created : result.skipped).push([...values]);
    }
    return result;
  }

  /**
   * Glue's GetPartitions, in value order. `expression` (GetPartitions' Expression, also what
   * `catalogPartitionPredicate` and `pushDownPredicate` are) is SQL over the partition keys; it is
   * evaluated on the values in the partitions' names, so only matching partitions are read.
   */
  async getPartitions(database: string, table: string, options: { expression?: string } = {}): Promise<Partition[]> {
    const current = await this.requireTable(database, table);
    const store = await this.store();
    const found: { path: string; values: string[] }[] = [];
    for await (const object of store.list(partitionsFolder(this.root, current.DatabaseName!, current.Name!))) {
      const values = valuesOfPartitionFile(baseName(object.path));
      if (values) found.push({ path: object.path, values });
    }
    let kept = found;
    if (options.expression?.trim()) {
      const matches = partitionsMatching(options.expression, current.PartitionKeys ?? [], found.map((f) => f.values));
      kept = found.filter((_, i) => matches[i] === 1);
    }
    const partitions: Partition[] = [];
    for (const { path } of kept) {
      const partition = await this.readDocument<Partition>(path);
      if (partition) partitions.push(partition);
    }
    return partitions.sort((a, b) => compareValues(a.Values!, b.Values!));
  }

  /**
   * Glue's BatchUpdatePartition: each entry's partition (by its current values) gets the input's
   * StorageDescriptor and Parameters; its values and CreationTime are kept. Each write is
   * conditional on the document it read (its ETag), so a concurrent change is re-read, never
   * overwritten unseen. Partitions that do not exist are reported, as Glue reports them per entry.
   */
  async batchUpdatePartition(database: string, table: string, entries: readonly PartitionUpdateEntry[]): Promise<BatchUpdatePartitionResult> {
    const current = await this.requireTable(database, table);
    const folder = partitionsFolder(this.root, current.DatabaseName!, current.Name!);
    const store = await this.store();
    const result: BatchUpdatePartitionResult = { updated: [], missing: [] };
    for (const { PartitionValueList: values, PartitionInput: input } of entries) {
      const path = joinPath(folder, partitionFileName(values));
      let done = false;
      for (let attempt = 0; attempt < MAX_ATTEMPTS && !done; attempt++) {
        const stored = await store.get(path);
        if (!stored) break;
        const partition = JSON.parse(decoder.decode(stored.bytes), reviveDates) as Partition;
        const updated: Partition = { ...partition, StorageDescriptor: input.StorageDescriptor ?? partition.StorageDescriptor, Parameters: input.Parameters ?? partition.Parameters };
        try {
          await store.put(path, `${JSON.stringify(updated, null, 2)}\n`, { ifMatch: stored.etag });
          done = true;
        } catch (e) {
          if (!(e instanceof StorePreconditionError)) throw e;
        }
      }
      (done ? result.updated : result.missing).push([...values]);
      if (!done && (await store.get(path))) throw new ConcurrentModificationError(`Partition (${values.join(', ')}) of ${current.DatabaseName}.${current.Name} keeps changing while being updated`);
    }
    return result;
  }

  /** Glue's BatchDeletePartition: partitions by their values; missing ones are not an error. */
  async batchDeletePartition(database: string, table: string, values: string[][]): Promise<void> {
    const current = await this.requireTable(database, table);
    const folder = partitionsFolder(this.root, current.DatabaseName!, current.Name!);
    await (await this.store()).delete(values.map((v) => joinPath(folder, partitionFileName(v))));
  }

  /**
   * Records a change a writer will make once its output commits (catalogUpdate.ts): kept in the
   * catalog, so whoever next touches the table can finish or drop it after a crash.
   */
  async putPendingUpdate(database: string, table: string, id: string, update: unknown): Promise<void> {
    const folder = updatesFolder(this.root, catalogName(database, 'database'), catalogName(table, 'table'));
    await this.createDocument(joinPath(folder, `${id}.json`), update, () => new AlreadyExistsError(`A pending catalog update ${id} already exists`));
  }

  /** The pending updates of a table, oldest run first by id order. */
  async pendingUpdates<T>(database: string, table: string): Promise<{ id: string; update: T }[]> {
    const folder = updatesFolder(this.root, catalogName(database, 'database'), catalogName(table, 'table'));
    const found: { id: string; update: T }[] = [];
    for await (const object of (await this.store()).list(folder)) {
      const name = baseName(object.path);
      if (name.startsWith('.') || !name.endsWith('.json')) continue;
      const update = await this.readDocument<T>(object.path);
      if (update) found.push({ id: name.slice(0, -'.json'.length), update });
    }
    return found;
  }

  async deletePendingUpdate(database: string, table: string, id: string): Promise<void> {
    const folder = updatesFolder(this.root, catalogName(database, 'database'), catalogName(table, 'table'));
    await (await this.store()).delete([joinPath(folder, `${id}.json`)]);
  }

  private async requireDatabase(database: string): Promise<string> {
    const db = catalogName(database, 'database');
    if (!(await this.getDatabase(db))) throw new EntityNotFoundError(`Database ${db} not found in the catalog ${this.root}`);
    return db;
  }

  private async requireTable(database: string, table: string): Promise<Table> {
    const found = await this.getTable(database, table);
    if (!found) throw new EntityNotFoundError(`Table ${catalogName(database, 'database')}.${catalogName(table, 'table')} not found in the catalog ${this.root}`);
    return found;
  }

  private async versionNumbers(db: string, table: string): Promise<number[]> {
    const store = await this.store();
    const numbers: number[] = [];
    for await (const object of store.list(versionsFolder(this.root, db, table))) {
      const version = versionOfFile(baseName(object.path));
      if (version !== undefined) numbers.push(version);
    }
    return numbers;
  }

  /** The newest version document of a table (a tombstone when it was deleted), or undefined. */
  private async latestVersion(db: string, table: string): Promise<{ version: number; document: VersionDocument } | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const numbers = await this.versionNumbers(db, table);
      if (numbers.length === 0) return undefined;
      const version = Math.max(...numbers);
      const document = await this.readDocument<VersionDocument>(versionFile(this.root, db, table, version));
      if (document) return { version, document };
      // Listed, then gone: a deleteTable cleaning up meanwhile. List again.
    }
    throw new ConcurrentModificationError(`Table ${db}.${table}: its versions keep changing while being read`);
  }

  /** Creates version `version` if no writer has: true when this one won. */
  private putVersion(db: string, table: string, version: number, document: VersionDocument): Promise<boolean> {
    return this.createDocument(versionFile(this.root, db, table, version), document, () => undefined);
  }

  /** A create-only put; when something is there already, throws `exists()` or returns false. */
  private async createDocument(path: string, document: unknown, exists: () => Error | undefined): Promise<boolean> {
    const store = await this.store();
    try {
      await store.put(path, `${JSON.stringify(document, null, 2)}\n`, { ifNoneMatch: '*' });
      return true;
    } catch (e) {
      if (!(e instanceof StorePreconditionError)) throw e;
      const error = exists();
      if (error) throw error;
      return false;
    }
  }

  private async readDocument<T>(path: string): Promise<T | undefined> {
    const stored = await (await this.store()).get(path);
    if (!stored) return undefined;
    try {
      return JSON.parse(decoder.decode(stored.bytes), reviveDates) as T;
    } catch (e) {
      throw new SluiceError(`The catalog document ${path} is not valid JSON: ${(e as Error).message}`, { file: path });
    }
  }
}

/** A TableInput as the catalog keeps it: lower-cased names, PartitionKeys always present, EXTERNAL_TABLE by default. */
function normaliseTable(input: TableInput, db: string, name: string): Table {
  const columns = lowerColumns(input.StorageDescriptor?.Columns ?? [], `${db}.${name}`);
  const keys = lowerColumns(input.PartitionKeys ?? [], `${db}.${name}`);
  const clash = keys.find((k) => columns.some((c) => c.Name === k.Name));
  if (clash) throw new SluiceError(`Table ${db}.${name}: '${clash.Name}' is both a column and a partition key`);
  return {
    ...input,
    Name: name,
    DatabaseName: db,
    TableType: input.TableType ?? 'EXTERNAL_TABLE',
    PartitionKeys: keys,
    StorageDescriptor: { ...input.StorageDescriptor, Columns: columns },
    Parameters: { ...input.Parameters },
  };
}

function lowerColumns(columns: readonly Column[], table: string): Column[] {
  const seen = new Set<string>();
  return columns.map((column) => {
    const name = catalogName(column.Name, 'column');
    if (seen.has(name)) throw new SluiceError(`Table ${table} has two columns named '${name}' (names are case-insensitive in the catalog)`);
    seen.add(name);
    return { ...column, Name: name, Type: (column.Type ?? 'string').toLowerCase() };
  });
}

/** The table's storage, located at the partition's Hive folder under the table's Location. */
function defaultPartitionDescriptor(table: Table, values: readonly string[]): StorageDescriptor {
  const location = table.StorageDescriptor?.Location;
  const keys = table.PartitionKeys ?? [];
  const folder = partitionPath(keys.map((k) => k.Name!), values);
  return {
    ...table.StorageDescriptor,
    ...(location ? { Location: `${location.replace(/\/+$/, '')}/${folder}/` } : {}),
  };
}

function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}
