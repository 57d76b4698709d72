import { SluiceError } from '../types/ErrorRecord.js';

/**
 * A database, table or column name as the catalog keeps it: lower case, as Glue and Hive do
 * ("For Hive compatibility, this must be entirely lowercase"). Names become folder names under
 * the catalog root, so path separators and dot-names are refused.
 */
export function catalogName(name: string | undefined, what: string): string {
  const lower = (name ?? '').trim().toLowerCase();
  if (lower === '' || lower.length > 255) throw new SluiceError(`A ${what} name must be 1 to 255 characters: '${name ?? ''}'`);
  if (/[/\\\u0000]/.test(lower) || lower === '.' || lower === '..' || lower.startsWith('.')) {
    throw new SluiceError(`A ${what} name cannot contain '/' or '\\' or start with '.': '${name}'`);
  }
  return lower;
}

/** "db.table" (or "db"."table" / `db`.`table`) → its two lower-cased names. */
export function splitTableName(qualified: string): { database: string; table: string } {
  const parts = qualified.split('.').map((p) => p.trim().replace(/^[`"]|[`"]$/g, ''));
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new SluiceError(`A catalog table is named database.table: '${qualified}'`);
  return { database: catalogName(parts[0], 'database'), table: catalogName(parts[1], 'table') };
}
