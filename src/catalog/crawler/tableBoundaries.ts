import type { Field } from 'apache-arrow';
import { compatibilityKey, filesBelow, type CrawledFile, type LakeFolder } from './lakeTree.js';
import { majoritySimilar, mergeAll, type SchemaUnit } from './schemaSimilarity.js';

/** One table the crawl found: a folder (its files, partitions below it) or a single file. */
export interface FoundTable {
  /** '/'-separated location under the include path ('' for the include path). */
  relative: string;
  /** The folder's or file's name, before sanitising and the table prefix. */
  name: string;
  /** A folder of files (partitioned when depth > 0), or one file. */
  kind: 'folder' | 'file';
  /** Folder levels between the table's location and its files: the partition keys. */
  partitionDepth: number;
  files: CrawledFile[];
  /** The table's columns: every file's, merged. */
  fields: Field[];
}

/** How a crawler groups folders into tables (Glue's `Configuration.Grouping`). */
export interface GroupingOptions {
  /** `TableGroupingPolicy: CombineCompatibleSchemas`: compatible files form one table whatever their schemas. */
  combineCompatibleSchemas?: boolean;
  /** `TableLevelConfiguration`: tables are made at this absolute folder level. */
  tableLevel?: number;
  /** The level of the include path itself (a bucket's top folder is 1). */
  rootLevel: number;
}

const unitOf = (files: readonly CrawledFile[]): SchemaUnit | undefined => {
  const fields = mergeAll(files.map((f) => f.classification));
  return fields && files.length ? { fields, conflicts: files[0].classification.conflicts } : undefined;
};

/**
 * The tables of a crawled tree, as Glue decides them (GDG crawler-s3-folder-table-partition.md):
 * a folder is one table when its files share format, compression and dialect, all lie at the same
 * depth below it, and at every level the majority of schemas are similar (schemaSimilarity.ts;
 * skipped under CombineCompatibleSchemas) — the folders below it become its partitions. Otherwise
 * each subfolder is decided alone, and a file beside them is a table of its own. With a table
 * level, the folders at that level are the tables.
 */
export function tableBoundaries(root: LakeFolder, options: GroupingOptions): FoundTable[] {
  const found: FoundTable[] = [];
  const decide = (folder: LakeFolder, level: number): void => {
    const forced = options.tableLevel !== undefined && level === options.tableLevel;
    const table = options.tableLevel !== undefined && level < options.tableLevel ? undefined : asTable(folder, options.combineCompatibleSchemas === true || forced);
    if (table) {
      found.push(table);
      return;
    }
    for (const file of folder.files) found.push(fileTable(file));
    for (const sub of folder.folders.values()) decide(sub, level + 1);
  };
  decide(root, options.rootLevel);
  return found;
}

function fileTable(file: CrawledFile): FoundTable {
  const name = file.relative.slice(file.relative.lastIndexOf('/') + 1);
  return { relative: file.relative, name, kind: 'file', partitionDepth: 0, files: [file], fields: file.classification.fields };
}

function asTable(folder: LakeFolder, ignoreSimilarity: boolean): FoundTable | undefined {
  const files = filesBelow(folder);
  if (files.length === 0) return undefined;
  const key = compatibilityKey(files[0]);
  if (files.some((file) => compatibilityKey(file) !== key)) return undefined;
  const base = folder.relative === '' ? 0 : folder.relative.split('/').length;
  const depth = files[0].relative.split('/').length - 1 - base;
  if (files.some((file) => file.relative.split('/').length - 1 - base !== depth)) return undefined;
  if (!ignoreSimilarity && !levelsSimilar(folder)) return undefined;
  const unit = unitOf(files);
  if (!unit) return undefined;
  return { relative: folder.relative, name: folder.name, kind: 'folder', partitionDepth: depth, files, fields: unit.fields };
}

/** The majority rule at every level below a folder: its files (a leaf), else its subfolders' merged schemas. */
function levelsSimilar(folder: LakeFolder): boolean {
  if (folder.folders.size === 0) return majoritySimilar(folder.files.map((f) => f.classification));
  const units: SchemaUnit[] = [];
  for (const sub of folder.folders.values()) {
    if (!levelsSimilar(sub)) return false;
    const unit = unitOf(filesBelow(sub));
    if (!unit) return false;
    units.push(unit);
  }
  return majoritySimilar(units);
}
