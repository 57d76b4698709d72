import type { Schema } from 'apache-arrow';
import { Catalog } from '../catalog/Catalog.js';
import { hiveTypeName } from '../catalog/hiveTypes.js';
import { DataFrame } from '../frame/DataFrame.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { SqlCommand } from './ast.js';

/** What the commands need from a session: its catalog, its own and temporary tables, and any table's schema. */
export interface CommandScope {
  catalog(): Catalog;
  temporaryNames(): string[];
  schemaOf(parts: string[], pos: number): Promise<Schema>;
}

/**
 * Spark's catalog statements as frames, with Spark's columns (SHOW … [LIKE] 'a*|b' filters names): SHOW DATABASES (`namespace`),
 * SHOW TABLES [IN db] (`namespace`, `tableName`, `isTemporary`: the database's catalog tables,
 * then the session's tables and temp views, as Spark lists temp views in every database), and
 * DESCRIBE [TABLE] t (`col_name`, `data_type`, `comment`, Hive type names; a catalog table's
 * partition columns repeated under `# Partition Information`, as Spark prints them).
 */
export async function runCommand(scope: CommandScope, command: SqlCommand): Promise<DataFrame> {
  switch (command.kind) {
    case 'showDatabases': {
      const names = (await scope.catalog().getDatabases()).map((d) => d.Name!).filter(matching(command.pattern)).sort();
      return DataFrame.fromColumns({ namespace: names }, { namespace: 'string' });
    }
    case 'showTables': {
      const catalog = scope.catalog();
      const database = (command.database ?? 'default').toLowerCase();
      const known = await catalog.getDatabase(database);
      if (!known && command.database !== undefined) throw new SluiceError(`database '${command.database}' not found in the catalog ${catalog.root}; SHOW DATABASES lists them`);
      const tables = known ? (await catalog.getTables(database)).map((t) => t.Name!).filter(matching(command.pattern)).sort() : [];
      const temporary = scope.temporaryNames().filter(matching(command.pattern)).sort();
      return DataFrame.fromColumns(
        {
          namespace: [...tables.map(() => database), ...temporary.map(() => '')],
          tableName: [...tables, ...temporary],
          isTemporary: [...tables.map(() => false), ...temporary.map(() => true)],
        },
        { namespace: 'string', tableName: 'string', isTemporary: 'bool' },
      );
    }
    case 'describe': {
      const schema = await scope.schemaOf(command.table, command.pos);
      const rows: [string, string, string | null][] = schema.fields.map((f) => [f.name, hiveTypeName(f.type), null]);
      if (command.table.length === 2) {
        const table = await scope.catalog().getTable(command.table[0].toLowerCase(), command.table[1].toLowerCase());
        const keys = table?.PartitionKeys ?? [];
        if (keys.length) {
          rows.push(['# Partition Information', '', ''], ['# col_name', 'data_type', 'comment']);
          for (const k of keys) rows.push([k.Name ?? '', k.Type ?? 'string', k.Comment ?? null]);
        }
      }
      return DataFrame.fromColumns(
        { col_name: rows.map((r) => r[0]), data_type: rows.map((r) => r[1]), comment: rows.map((r) => r[2]) },
        { col_name: 'string', data_type: 'string', comment: 'string' },
      );
    }
  }
}

/** SHOW … LIKE 'pattern' as Spark reads it: `*` any characters, `|` between alternatives, case-insensitive. */
function matching(pattern: string | undefined): (name: string) => boolean {
  if (pattern === undefined) return () => true;
  const alternatives = pattern.split('|').map((p) => p.trim().replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*'));
  const re = new RegExp(`^(?:${alternatives.join('|')})$`, 'i');
  return (name) => re.test(name);
}
