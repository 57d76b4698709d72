import { List, Struct, type DataType } from 'apache-arrow';
import { Catalog } from '../src/catalog/Catalog.js';
import { EntityNotFoundError } from '../src/catalog/catalogErrors.js';
import { catalogName } from '../src/catalog/catalogNames.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { parseType } from '../src/types/typeNames.js';

/**
 * ResolveChoice `match_catalog`: the catalog table's columns as `[name, type]` (lower-case names,
 * Hive type strings — which are sluice type names too), partition keys last. They travel in the
 * plan node's params, so the plan stays plain data and a worker never opens the catalog.
 */
export type CatalogColumns = [string, string][];

/** Reads the table's columns from the catalog (`catalog`: an open one, its root, or the default). */
export async function catalogColumnsOf(catalog: Catalog | string | undefined, database: string, tableName: string): Promise<CatalogColumns> {
  const opened = catalog instanceof Catalog ? catalog : Catalog.open(catalog);
  const db = catalogName(database, 'database');
  const name = catalogName(tableName, 'table');
  if (!(await opened.getDatabase(db))) throw new EntityNotFoundError(`ResolveChoice match_catalog: database '${db}' not found in the catalog at ${opened.root}`);
  const table = await opened.getTable(db, name);
  if (!table) throw new EntityNotFoundError(`ResolveChoice match_catalog: table '${db}.${name}' not found in the catalog at ${opened.root}`);
  const columns = [...(table.StorageDescriptor?.Columns ?? []), ...(table.PartitionKeys ?? [])];
  return columns.map((c) => [(c.Name ?? '').toLowerCase(), c.Type ?? 'string']);
}

/**
 * The catalog's type at a choice path (`steps` as ResolveChoice parses them: names, and `[]` for
 * an array's element). Names match case-insensitively, as Glue's catalog keeps them lower case.
 */
export function catalogTypeAt(columns: CatalogColumns, steps: string[], table: string, path: string): DataType {
  const missing = (what: string) => new SluiceError(`ResolveChoice match_catalog: table ${table} has no ${what} for '${path}'`);
  const column = columns.find(([name]) => name === steps[0].toLowerCase());
  if (!column) throw missing(`column '${steps[0]}'`);
  let type: DataType;
  try {
    // Hive's varchar(n)/char(n) are strings to Spark, and to sluice.
    type = parseType(column[1].replace(/\b(?:var)?char\s*\(\s*\d+\s*\)/gi, 'string'));
  } catch {
    throw new SluiceError(`ResolveChoice match_catalog: table ${table} column '${column[0]}' has type '${column[1]}', which sluice cannot cast to`);
  }
  for (const step of steps.slice(1)) {
    if (step === '[]') {
      if (!(type instanceof List)) throw missing(`array at '${column[0]}'`);
      type = type.children[0].type;
      continue;
    }
    const field = type instanceof Struct ? type.children.find((f) => f.name.toLowerCase() === step.toLowerCase()) : undefined;
    if (!field) throw missing(`field '${step}'`);
    type = field.type;
  }
  return type;
}
