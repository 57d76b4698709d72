import type { Column, PartitionInput, StorageDescriptor, TableInput } from '@aws-sdk/client-glue';
import type { Field } from 'apache-arrow';
import { DEFAULT_PARTITION, parsePartitionSegment } from '../../io/partitioning/hivePath.js';
import { joinPath } from '../../io/store/storePath.js';
import { hiveTypeName } from '../hiveTypes.js';
import { GROK_CUSTOM_PATTERNS, GROK_FORMAT } from './grokClassifier.js';
import type { CrawledFile } from './lakeTree.js';
import { storageFormat } from './storageFormats.js';
import type { FoundTable } from './tableBoundaries.js';
import { mergeAll } from './schemaSimilarity.js';

/** A table the crawl found, in the Data Catalog's own shapes: what CreateTable and BatchCreatePartition take. */
export interface CrawledTable {
  input: TableInput;
  partitions: PartitionInput[];
}

/** What the crawler writes beside the columns. */
export interface TableContext {
  /** The include path (local absolute, or `s3://…` without a trailing '/'). */
  root: string;
  /** The crawler's name (`UPDATED_BY_CRAWLER`). */
  crawlerName: string;
  /** The exclude patterns, kept on the table as Glue does (`exclusions`) so reads honour them. */
  exclusions: readonly string[];
}

/** A table or column name as the catalog keeps it: lower case, letters, digits and `_` (Hive, Athena). */
export const tableNameOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_]/g, '_');

const columnsOf = (fields: readonly Field[]): Column[] => fields.map((f) => ({ Name: f.name.toLowerCase(), Type: hiveTypeName(f.type) }));

/** A folder location as Glue and Athena want it: ending in '/'. */
const folderLocation = (root: string, relative: string): string => `${(relative ? joinPath(root, relative) : root).replace(/\/+$/, '')}/`;

/** The statistics Parameters of some files (Glue's `recordCount`, `averageRecordSize`, `objectCount`, `sizeKey`). */
function statistics(files: readonly CrawledFile[]): Record<string, string> {
  let records = 0;
  let sampleRecords = 0;
  let sampleBytes = 0;
  let size = 0;
  for (const file of files) {
    const c = file.classification;
    size += file.object.size;
    sampleRecords += c.sampleRecords;
    sampleBytes += c.sampleBytes;
    // Estimated from the sample when the file was not read whole (Glue estimates too).
    records += c.exactRecords ?? (c.sampleRecords === 0 ? 0 : Math.round((c.sampleRecords * file.object.size) / Math.max(1, file.compression === 'none' ? c.sampleBytes : Math.min(file.object.size, 1 << 20))));
  }
  return {
    recordCount: String(records),
    averageRecordSize: String(sampleRecords === 0 ? 0 : Math.round(sampleBytes / sampleRecords)),
    objectCount: String(files.length),
    sizeKey: String(size),
  };
}

function parametersOf(files: readonly CrawledFile[], context: TableContext): Record<string, string> {
  const first = files[0];
  const facts = { ...first.classification.parameters };
  delete facts['avro.schema.literal'];
  delete facts.jsonPath;
  delete facts[GROK_FORMAT]; // in the SerDe's parameters, as Glue keeps them
  delete facts[GROK_CUSTOM_PATTERNS];
  const params: Record<string, string> = {
    classification: first.classification.classification,
    compressionType: first.compression,
    typeOfData: 'file',
    ...statistics(files),
    UPDATED_BY_CRAWLER: context.crawlerName,
    CrawlerSchemaSerializerVersion: '1.0',
    CrawlerSchemaDeserializerVersion: '1.0',
    ...facts,
  };
  if (first.classification.classification === 'csv') {
    params.columnsOrdered = 'true';
    params.areColumnsQuoted = 'false';
  }
  if (first.classification.parameters.jsonPath) params.jsonPath = first.classification.parameters.jsonPath;
  if (context.exclusions.length) params.exclusions = JSON.stringify(context.exclusions.map((glob) => joinPath(context.root, glob)));
  return params;
}

function storageDescriptor(location: string, fields: readonly Field[], files: readonly CrawledFile[], parameters: Record<string, string>): StorageDescriptor {
  const first = files[0].classification;
  const format = storageFormat(first.classification, first.parameters, fields.map((f) => f.name));
  return {
    Columns: columnsOf(fields),
    Location: location,
    ...format,
    Compressed: files[0].compression !== 'none',
    NumberOfBuckets: -1,
    BucketColumns: [],
    SortColumns: [],
    Parameters: parameters,
    StoredAsSubDirectories: false,
  };
}

/** A partition key: a Hive `k=v` level is `k`, any other `partition_<i>`; all `string`, as Glue's crawler types them. */
interface PartitionKey {
  name: string;
  hive: boolean;
}

function partitionKeys(table: FoundTable): PartitionKey[] {
  const base = table.relative === '' ? 0 : table.relative.split('/').length;
  const keys: PartitionKey[] = [];
  for (let level = 0; level < table.partitionDepth; level++) {
    const found = new Set(table.files.map((file) => parsePartitionSegment(file.relative.split('/')[base + level])?.key));
    const [key] = found;
    keys.push(found.size === 1 && key ? { name: tableNameOf(key), hive: true } : { name: `partition_${level}`, hive: false });
  }
  return keys;
}

/** The TableInput and PartitionInputs of one found table. */
export function crawledTable(table: FoundTable, tableName: string, context: TableContext): CrawledTable {
  const location = table.kind === 'file' ? joinPath(context.root, table.relative) : folderLocation(context.root, table.relative);
  const parameters = parametersOf(table.files, context);
  const keys = partitionKeys(table);
  const input: TableInput = {
    Name: tableName,
    StorageDescriptor: storageDescriptor(location, table.fields, table.files, parameters),
    PartitionKeys: keys.map((key) => ({ Name: key.name, Type: 'string' })),
    TableType: 'EXTERNAL_TABLE',
    Parameters: parameters,
  };
  return { input, partitions: table.partitionDepth === 0 ? [] : partitionsOf(table, keys, context) };
}

function partitionsOf(table: FoundTable, keys: readonly PartitionKey[], context: TableContext): PartitionInput[] {
  const base = table.relative === '' ? 0 : table.relative.split('/').length;
  const byFolder = new Map<string, CrawledFile[]>();
  for (const file of table.files) {
    const folder = file.relative.split('/').slice(0, base + table.partitionDepth).join('/');
    const list = byFolder.get(folder);
    if (list) list.push(file);
    else byFolder.set(folder, [file]);
  }
  return [...byFolder].map(([folder, files]) => {
    const segments = folder.split('/').slice(base);
    const values = segments.map((segment, level) => (keys[level].hive ? parsePartitionSegment(segment)?.value ?? DEFAULT_PARTITION : segment));
    const fields = mergeAll(files.map((f) => f.classification)) ?? table.fields;
    const parameters = parametersOf(files, context);
    return { Values: values, StorageDescriptor: storageDescriptor(folderLocation(context.root, folder), fields, files, parameters), Parameters: parameters };
  });
}
