import { Field, Schema } from 'apache-arrow';
import type { Partition, Table } from '@aws-sdk/client-glue';
import { Catalog } from '../catalog/Catalog.js';
import { EntityNotFoundError } from '../catalog/catalogErrors.js';
import { catalogName, splitTableName } from '../catalog/catalogNames.js';
import { partitionsMatching, partitionsSatisfying } from '../catalog/partitionExpression.js';
import { referencedColumns, type ExprNode } from '../expr/ast.js';
import { allOf, conjuncts } from '../expr/conjuncts.js';
import { currentProgress } from '../exec/progress.js';
import { settlePendingUpdates } from '../catalog/catalogUpdate.js';
import { readFormatOf } from '../catalog/tableStorage.js';
import { checkReadOptions, readerFor } from '../io/formats/registry.js';
import { findInputs } from '../io/partitioning/listInputs.js';
import { DEFAULT_PARTITION } from '../io/partitioning/hivePath.js';
import type { StoredObject } from '../io/store/Store.js';
import { absolutePath } from '../io/store/storePath.js';
import { nodeInfoOf, type NodeInfo, type PlanNode, type ScanNode } from '../plan/PlanNode.js';
import { SluiceError } from '../types/ErrorRecord.js';
import { parseType } from '../types/typeNames.js';
import { DataFrame, type Row } from './DataFrame.js';

/** A file of a catalog table, as listed: what a bookmark needs to tell new files from read ones. */
export interface ListedFile extends StoredObject {
  /** The partition folder it was found under. */
  root?: string;
}

/** Options of a read through the catalog (Glue's `from_catalog` arguments). */
export interface CatalogReadOptions extends NodeInfo {
  /** The catalog: an open one, or its root (default `SLUICE_CATALOG`, else `.sluice/catalog`). */
  catalog?: Catalog | string;
  /**
   * Spark SQL over the partition keys (`"year == '2024' and month >= '03'"`): only the matching
   * partitions are listed and read (Glue's `push_down_predicate`).
   */
  pushDownPredicate?: string;
  /** GetPartitions' expression, evaluated by the catalog before pushDownPredicate (Glue's `catalogPartitionPredicate`). */
  catalogPartitionPredicate?: string;
  /**
   * Which of the listed files to read, and the frame of them: a bookmarked source (job/) passes
   * one that keeps only files its bookmark has not seen. Default: all of them.
   */
  chooseFiles?: (files: ListedFile[], listedAtMs: number, frameOf: (chosen: readonly ListedFile[]) => DataFrame<Row>) => DataFrame<Row>;
}

/** What a catalog read found when it ran: for metrics and tests (partitions pruned, files listed). */
export interface CatalogReadStats {
  partitions: number;
  partitionsListed: number;
  filesListed: number;
  filesChosen: number;
}

const statsOfFrame = new WeakMap<PlanNode, CatalogReadStats>();

/** The partition and file counts of a catalog read, once its plan has run (undefined before). */
export function catalogReadStats(frame: DataFrame<Row>): CatalogReadStats | undefined {
  return statsOfFrame.get(frame.plan);
}

/**
 * A lazy frame over a catalog table (Spark: `spark.read.table('db.table')`, Glue:
 * `create_dynamic_frame.from_catalog`). When it first runs, the table's partitions are pruned
 * by the predicates on their values alone, then only the kept partitions' folders are listed.
 * Columns come out with the catalog's lower-case names and types, in its order, partition keys
 * last; file columns are matched case-insensitively (CSV: by position, as Hive's LazySimpleSerDe).
 *
 * @example
 * ```ts
 * readTable('sales.orders', { pushDownPredicate: "year = '2024'" }).count();
 * ```
 */
export function readTable<T extends Row = Row>(name: string | { database: string; table: string }, options: CatalogReadOptions = {}): DataFrame<T> {
  const { database, table } = typeof name === 'string'
    ? splitTableName(name)
    : { database: catalogName(name.database, 'database'), table: catalogName(name.table, 'table') };
  const catalog = options.catalog instanceof Catalog ? options.catalog : Catalog.open(options.catalog);
  const label = `${database}.${table}`;
  // One resolution per pushed-down filter (a bookmarked read chooses its files once: it ignores filters).
  const resolved = new Map<string, Promise<PlanNode>>();
  const node: ScanNode = {
    kind: 'scan',
    format: 'parquet',
    paths: [`catalog:${label}`],
    ...nodeInfoOf(options),
    resolve: (self) => {
      const predicate = options.chooseFiles ? undefined : self.predicate;
      const key = JSON.stringify(predicate ?? null);
      let plan = resolved.get(key);
      if (!plan) resolved.set(key, (plan = resolveTable(catalog, database, table, options, node, predicate)));
      return plan;
    },
  };
  return new DataFrame<T>(node);
}

async function resolveTable(catalog: Catalog, database: string, name: string, options: CatalogReadOptions, node: ScanNode, predicate?: ExprNode): Promise<PlanNode> {
  await settlePendingUpdates(catalog, database, name); // what a sink that died left half-registered
  const table = await catalog.getTable(database, name);
  if (!table) throw new EntityNotFoundError(`Table ${database}.${name} not found in the catalog ${catalog.root}`);
  const keys = table.PartitionKeys ?? [];
  const listedAtMs = Date.now(); // before listing: a file landing meanwhile stays newer than a bookmark's mark
  let partitions: { location: string; values: string[] }[];
  let total = 1;
  if (keys.length === 0) {
    partitions = [{ location: tableLocation(table), values: [] }];
  } else {
    let found: Partition[] = await catalog.getPartitions(database, name, { expression: options.catalogPartitionPredicate });
    total = found.length;
    if (options.pushDownPredicate?.trim()) {
      const keep = partitionsMatching(options.pushDownPredicate, keys, found.map((p) => p.Values ?? []));
      found = found.filter((_, i) => keep[i] === 1);
    }
    // A filter over the table (a WHERE, df.filter) prunes by its parts that read only partition keys.
    const onKeys = predicate && partitionCondition(predicate, keys);
    if (onKeys) {
      const keep = partitionsSatisfying(onKeys, keys, found.map((p) => p.Values ?? []));
      found = found.filter((_, i) => keep[i] === 1);
      currentProgress()?.partitionsPruned(`${database}.${name}`, total, total - found.length);
    }
    partitions = found.map((p) => ({ location: p.StorageDescriptor?.Location ?? tableLocation(table), values: p.Values ?? [] }));
  }
  const files: (ListedFile & { values: string[] })[] = [];
  for (const partition of partitions) {
    const found = await findInputs(absolutePath(partition.location));
    for (const file of found?.files ?? []) files.push({ ...file, root: absolutePath(partition.location), values: partition.values });
  }
  const stats: CatalogReadStats = { partitions: total, partitionsListed: partitions.length, filesListed: files.length, filesChosen: files.length };
  const valuesOf = new Map(files.map((f) => [f.path, f.values]));
  const frameOf = (chosen: readonly ListedFile[]): DataFrame<Row> => {
    stats.filesChosen = chosen.length;
    return tableFrame(table, chosen.map((f) => ({ path: f.path, values: (valuesOf.get(f.path) ?? []).map(nullDefault) })), options);
  };
  const frame = options.chooseFiles ? options.chooseFiles(files, listedAtMs, frameOf) : frameOf(files);
  const plan = await frame.plan;
  statsOfFrame.set(node, stats);
  return plan;
}

/** The parts of a pushed-down filter that read only the table's partition keys (names as the catalog spells them, lower case). */
function partitionCondition(predicate: ExprNode, keys: readonly { Name?: string }[]): ExprNode | undefined {
  const names = new Set(keys.map((k) => (k.Name ?? '').toLowerCase()));
  return allOf(conjuncts(predicate).filter((part) => {
    const columns = referencedColumns(part);
    return columns.size > 0 && [...columns].every((c) => names.has(c));
  }));
}

/** Hive's default partition (a null key value) reads as null. */
const nullDefault = (value: string): string | null => (value === DEFAULT_PARTITION ? null : value);

function tableLocation(table: Table): string {
  const location = table.StorageDescriptor?.Location;
  if (!location) throw new SluiceError(`Table ${table.DatabaseName}.${table.Name} has no StorageDescriptor.Location: the catalog does not say where its files are`);
  return location;
}

/** A catalog column's type as sluice reads it; a Hive type sluice cannot name (map<…>) is read as string. */
function catalogType(type: string | undefined): string {
  try {
    parseType(type ?? 'string');
    return type ?? 'string';
  } catch {
    return 'string';
  }
}

/**
 * The frame over the chosen files: a scan of exactly those files with their partition values,
 * read under the files' own column names, then mapped to the catalog's names and types.
 */
async function tableFrameAsync(table: Table, files: { path: string; values: (string | null)[] }[], options: CatalogReadOptions): Promise<PlanNode> {
  const { format, formatOptions } = readFormatOf(table);
  checkReadOptions(format, formatOptions);
  const columns = table.StorageDescriptor?.Columns ?? [];
  const keys = table.PartitionKeys ?? [];
  const info = nodeInfoOf(options);
  if (files.length === 0) {
    return { kind: 'values', schema: schemaOf([...columns, ...keys]), batches: [], ...info };
  }
  const fileSchema = await readerFor(format).inferSchema(files[0].path, formatOptions);
  const byLowerName = new Map(fileSchema.fields.map((f) => [f.name.toLowerCase(), f]));
  const positional = format === 'csv';
  const sources = columns.map((c, i) => (positional ? fileSchema.fields[i] : byLowerName.get(c.Name!.toLowerCase())));
  const given: Record<string, string> = {};
  sources.forEach((field, i) => {
    if (field) given[field.name] = catalogType(columns[i].Type);
  });
  const scan: ScanNode = {
    kind: 'scan',
    format,
    paths: [...new Set(files.map((f) => f.path.slice(0, Math.max(f.path.lastIndexOf('/'), 0)) || f.path))],
    formatOptions,
    schema: given,
    files: files.map((f) => ({ path: f.path, values: f.values })),
    partitionKeys: Object.fromEntries(keys.map((k) => [k.Name!, 'string'])),
    ...info,
  };
  let frame = new DataFrame<Row>(scan);
  const missing = columns.filter((_, i) => !sources[i]);
  if (missing.length) {
    frame = frame.withColumns(Object.fromEntries(missing.map((c) => [missingName(c.Name!), { kind: 'cast', expr: { kind: 'lit', value: null }, to: catalogType(c.Type) }])));
  }
  const mappings: [string, string, string, string][] = [
    ...columns.map((c, i): [string, string, string, string] => {
      const source = sources[i]?.name ?? missingName(c.Name!);
      return [quotePath(source), catalogType(c.Type), quotePath(c.Name!), catalogType(c.Type)];
    }),
    ...keys.map((k): [string, string, string, string] => [quotePath(k.Name!), 'string', quotePath(k.Name!), catalogType(k.Type)]),
  ];
  return frame.applyMapping(mappings, info).plan;
}

const missingName = (name: string): string => `__sluice_missing_${name}`;
const quotePath = (name: string): string => (/[.`]/.test(name) ? `\`${name.replace(/`/g, '``')}\`` : name);

function schemaOf(columns: readonly { Name?: string; Type?: string }[]): Schema {
  return new Schema(columns.map((c) => new Field(c.Name!, parseType(catalogType(c.Type)), true)));
}

/** tableFrameAsync as a frame: its plan resolves (through ScanNode.resolve) when first run. */
function tableFrame(table: Table, files: { path: string; values: (string | null)[] }[], options: CatalogReadOptions): DataFrame<Row> {
  let resolved: Promise<PlanNode> | undefined;
  return new DataFrame<Row>({
    kind: 'scan',
    format: 'parquet',
    paths: files.map((f) => f.path),
    resolve: () => (resolved ??= tableFrameAsync(table, files, options)),
  });
}
