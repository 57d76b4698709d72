import type {
  BatchCreatePartitionRequest, Column, CreateTableRequest, Partition, PartitionInput, Table, TableInput,
} from '@aws-sdk/client-glue';
import { partitionPath } from '../io/partitioning/hivePath.js';

/** Glue's BatchCreatePartition takes at most this many partitions per call. */
const PARTITIONS_PER_CALL = 100;

/** The requests that rebuild a table in AWS Glue: `aws glue create-table --cli-input-json file://…` and batch-create-partition. */
export interface GlueApiExport {
  createTable: CreateTableRequest;
  /** One request per 100 partitions (Glue's limit per call); empty when the table has none. */
  batchCreatePartition: BatchCreatePartitionRequest[];
}

/**
 * A catalog table and its partitions as Glue API inputs: only the members each input shape has
 * (a Table's CreateTime, VersionId or DatabaseName are not TableInput members, and the AWS CLI
 * refuses unknown keys), PartitionKeys always present as Athena needs.
 */
export function glueApiExport(table: Table, partitions: readonly Partition[]): GlueApiExport {
  const tableInput: TableInput = pick(table, [
    'Name', 'Description', 'Owner', 'Retention', 'StorageDescriptor', 'PartitionKeys', 'ViewOriginalText', 'ViewExpandedText', 'TableType', 'Parameters', 'TargetTable',
  ]);
  tableInput.PartitionKeys ??= [];
  const inputs: PartitionInput[] = partitions.map((p) => pick(p, ['Values', 'StorageDescriptor', 'Parameters']));
  const batchCreatePartition: BatchCreatePartitionRequest[] = [];
  for (let at = 0; at < inputs.length; at += PARTITIONS_PER_CALL) {
    batchCreatePartition.push({ DatabaseName: table.DatabaseName, TableName: table.Name, PartitionInputList: inputs.slice(at, at + PARTITIONS_PER_CALL) });
  }
  return { createTable: { DatabaseName: table.DatabaseName, TableInput: tableInput }, batchCreatePartition };
}

function pick<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/** `STORED AS` shorthands Athena knows, by the input format a table declares. */
const STORED_AS: Record<string, string> = {
  'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat': 'PARQUET',
  'org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat': 'AVRO',
  'org.apache.hadoop.hive.ql.io.orc.OrcInputFormat': 'ORC',
  'org.apache.hadoop.mapred.TextInputFormat': 'TEXTFILE',
};

const quoteName = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const quoteText = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const columnList = (columns: readonly Column[]): string =>
  columns.map((c) => `  ${quoteName(c.Name ?? '')} ${c.Type ?? 'string'}${c.Comment ? ` COMMENT ${quoteText(c.Comment)}` : ''}`).join(',\n');
/** Athena's LOCATION is a folder with a trailing slash. */
const folderLocation = (location: string): string => (location.endsWith('/') ? location : `${location}/`);

/**
 * Athena DDL for a table: `CREATE EXTERNAL TABLE … PARTITIONED BY … ROW FORMAT … STORED AS …
 * LOCATION 's3://…/' TBLPROPERTIES (…)`, then what loads its partitions: `MSCK REPAIR TABLE` when
 * every partition sits at its Hive folder `k=v/` under the table, else one `ALTER TABLE … ADD
 * PARTITION … LOCATION` per partition (MSCK finds only Hive folders).
 */
export function athenaDdl(table: Table, partitions: readonly Partition[]): string {
  const sd = table.StorageDescriptor ?? {};
  const name = `${quoteName(table.DatabaseName ?? 'default')}.${quoteName(table.Name ?? '')}`;
  const keys = table.PartitionKeys ?? [];
  const lines = [`CREATE EXTERNAL TABLE ${name} (`, columnList(sd.Columns ?? []), ')'];
  if (table.Description) lines.push(`COMMENT ${quoteText(table.Description)}`);
  if (keys.length) lines.push('PARTITIONED BY (', columnList(keys), ')');
  lines.push(...rowFormat(sd.SerdeInfo?.SerializationLibrary, sd.SerdeInfo?.Parameters ?? {}));
  const storedAs = sd.InputFormat ? STORED_AS[sd.InputFormat] : undefined;
  if (storedAs) lines.push(`STORED AS ${storedAs}`);
  else if (sd.InputFormat && sd.OutputFormat) lines.push(`STORED AS INPUTFORMAT ${quoteText(sd.InputFormat)}`, `OUTPUTFORMAT ${quoteText(sd.OutputFormat)}`);
  if (sd.Location) lines.push(`LOCATION ${quoteText(folderLocation(sd.Location))}`);
  const properties = Object.entries(table.Parameters ?? {});
  if (properties.length) lines.push('TBLPROPERTIES (', properties.map(([k, v]) => `  ${quoteText(k)}=${quoteText(v)}`).join(',\n'), ')');
  const statements = [`${lines.join('\n')};`];
  if (keys.length && partitions.length) statements.push(...loadPartitions(name, table, partitions));
  return `${statements.join('\n\n')}\n`;
}

function rowFormat(serde: string | undefined, parameters: Record<string, string>): string[] {
  if (!serde) return [];
  if (serde === 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' || serde === 'org.apache.hadoop.hive.serde2.avro.AvroSerDe') return [];
  const properties = Object.entries(parameters);
  if (serde === 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe' && properties.every(([k]) => k === 'field.delim' || k === 'serialization.format')) {
    const delimiter = parameters['field.delim'];
    return delimiter ? [`ROW FORMAT DELIMITED FIELDS TERMINATED BY ${quoteText(delimiter)}`] : ['ROW FORMAT DELIMITED'];
  }
  const lines = [`ROW FORMAT SERDE ${quoteText(serde)}`];
  if (properties.length) lines.push('WITH SERDEPROPERTIES (', properties.map(([k, v]) => `  ${quoteText(k)}=${quoteText(v)}`).join(',\n'), ')');
  return lines;
}

function loadPartitions(name: string, table: Table, partitions: readonly Partition[]): string[] {
  const keys = (table.PartitionKeys ?? []).map((k) => k.Name ?? '');
  const root = folderLocation(table.StorageDescriptor?.Location ?? '');
  const atHiveFolder = (p: Partition): boolean => folderLocation(p.StorageDescriptor?.Location ?? '') === `${root}${partitionPath(keys, p.Values ?? [])}/`;
  if (partitions.every(atHiveFolder)) return [`MSCK REPAIR TABLE ${name};`];
  return partitions.map((p) => {
    const spec = keys.map((k, i) => `${quoteName(k)}=${quoteText(p.Values?.[i] ?? '')}`).join(', ');
    const location = p.StorageDescriptor?.Location;
    return `ALTER TABLE ${name} ADD IF NOT EXISTS PARTITION (${spec})${location ? ` LOCATION ${quoteText(folderLocation(location))}` : ''};`;
  });
}
