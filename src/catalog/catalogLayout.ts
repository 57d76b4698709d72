import { joinPath } from '../io/store/storePath.js';

/*
 * Where the catalog keeps its documents under its root (a folder or an s3:// prefix):
 *
 *   databases/<db>.json                               one Database, created once
 *   tables/<db>/<table>/versions/<n>.json             table version n (1, 2, …), each created once
 *   partitions/<db>/<table>/<values>.json             one Partition, created once, deleted by name
 *   updates/<db>/<table>/<runId>.json                 a sink's catalog update, put before its output commits
 *
 * Every document is written with a create-only put (a hard link locally, If-None-Match on S3), so
 * a change is one atomic step and two writers racing for the same revision cannot both win.
 */

export const databasesFolder = (root: string): string => joinPath(root, 'databases');
export const databaseFile = (root: string, db: string): string => joinPath(root, `databases/${db}.json`);
export const tablesFolder = (root: string, db: string): string => joinPath(root, `tables/${db}`);
export const versionsFolder = (root: string, db: string, table: string): string => joinPath(root, `tables/${db}/${table}/versions`);
export const versionFile = (root: string, db: string, table: string, version: number): string =>
  joinPath(root, `tables/${db}/${table}/versions/${version}.json`);
export const tableFolder = (root: string, db: string, table: string): string => joinPath(root, `tables/${db}/${table}`);
export const partitionsFolder = (root: string, db: string, table: string): string => joinPath(root, `partitions/${db}/${table}`);

/**
 * A partition's file name: its values, each percent-encoded (so ',' '/' and '.' cannot appear raw),
 * joined by ','. The values can be read back from the name alone, so a predicate prunes partitions
 * before their documents are read.
 */
export const partitionFileName = (values: readonly string[]): string =>
  `${values.map((v) => encodeURIComponent(v).replace(/\./g, '%2E').replace(/\*/g, '%2A')).join(',') || '%'}.json`;

/** The values a partition file name holds (inverse of partitionFileName). */
export function valuesOfPartitionFile(name: string): string[] | undefined {
  if (!name.endsWith('.json') || name.startsWith('.')) return undefined;
  const stem = name.slice(0, -'.json'.length);
  if (stem === '%') return [];
  try {
    return stem.split(',').map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** The version number a version file name holds; undefined for temp files and strays. */
export function versionOfFile(name: string): number | undefined {
  const match = /^(\d+)\.json$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export const updatesFolder = (root: string, db: string, table: string): string => joinPath(root, `updates/${db}/${table}`);
