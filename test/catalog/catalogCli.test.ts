import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as glue from '@aws-sdk/client-glue';
import type { BatchCreatePartitionRequest, CreateTableRequest } from '@aws-sdk/client-glue';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/Catalog.js';
import { athenaDdl, glueApiExport } from '../../src/catalog/exportTable.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';
import { runCliInProcess, runScript } from '../support/cli.js';

const parquetTable = {
  Name: 'events',
  Description: "events' table",
  StorageDescriptor: {
    Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'payload', Type: 'struct<a:int,b:array<string>>' }],
    Location: 's3://lake/events',
    InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
    OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
    SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
  },
  PartitionKeys: [{ Name: 'dt', Type: 'string' }],
  Parameters: { classification: 'parquet', compressionType: 'none' },
};

async function catalogWithTables(): Promise<{ root: string; catalog: Catalog }> {
  const root = join(await tempDir('sluice-catalog-cli-'), 'catalog');
  const catalog = Catalog.open(root);
  await catalog.createDatabase({ Name: 'lake', Description: 'the lake' });
  await catalog.createTable('lake', parquetTable);
  await catalog.createTable('lake', {
    Name: 'plain',
    StorageDescriptor: {
      Columns: [{ Name: 'a', Type: 'int' }],
      Location: 's3://lake/plain/',
      InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': '|' } },
    },
    Parameters: { classification: 'csv', 'skip.header.line.count': '1' },
  });
  await catalog.batchCreatePartition('lake', 'events', Array.from({ length: 150 }, (_, i) => ({ Values: [`2024-01-${String(i).padStart(3, '0')}`] })));
  return { root, catalog };
}

type Schema = [number, string, string, unknown, string[]?, unknown[]?];

/** Checks `value` against one of the SDK's runtime shapes (its smithy schemas): unknown keys are errors. */
function unknownKeys(value: unknown, schema: unknown, path = ''): string[] {
  const s = (typeof schema === 'function' ? (schema as () => unknown)() : schema) as Schema | number;
  if (!Array.isArray(s) || value === null || typeof value !== 'object') return [];
  if (s[0] === 3) {
    const members = s[4] ?? [];
    return Object.entries(value).flatMap(([key, v]) => {
      const i = members.indexOf(key);
      return i < 0 ? [`${path}${key}`] : unknownKeys(v, s[5]?.[i], `${path}${key}.`);
    });
  }
  if (s[0] === 1 && Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, s[4], `${path}${i}.`));
  return [];
}

describe('catalog export', () => {
  it('glue-api: CreateTable and BatchCreatePartition requests with only the SDK shapes\' keys, 100 partitions per call', async () => {
    const { catalog } = await catalogWithTables();
    const table = (await catalog.getTable('lake', 'events'))!;
    const exported = glueApiExport(table, await catalog.getPartitions('lake', 'events'));
    const create: CreateTableRequest = exported.createTable;
    const batches: BatchCreatePartitionRequest[] = exported.batchCreatePartition;
    const sdk = glue as unknown as Record<string, unknown>;
    expect(unknownKeys(JSON.parse(JSON.stringify(create)), sdk.CreateTableRequest$)).toEqual([]);
    for (const batch of batches) expect(unknownKeys(JSON.parse(JSON.stringify(batch)), sdk.BatchCreatePartitionRequest$)).toEqual([]);
    // The check itself catches a Table member that is not a TableInput one.
    expect(unknownKeys({ DatabaseName: 'x', TableInput: { Name: 't', VersionId: '1' } }, sdk.CreateTableRequest$)).toEqual(['TableInput.VersionId']);
    expect(create).toEqual({
      DatabaseName: 'lake',
      TableInput: {
        Name: 'events', Description: "events' table", TableType: 'EXTERNAL_TABLE', StorageDescriptor: table.StorageDescriptor,
        PartitionKeys: [{ Name: 'dt', Type: 'string' }], Parameters: { classification: 'parquet', compressionType: 'none' },
      },
    });
    expect(batches.map((b) => b.PartitionInputList!.length)).toEqual([100, 50]);
    expect(batches[1].PartitionInputList![0]).toEqual({
      Values: ['2024-01-100'],
      StorageDescriptor: { ...table.StorageDescriptor, Location: 's3://lake/events/dt=2024-01-100/' },
    });
    expect(batches[0]).toMatchObject({ DatabaseName: 'lake', TableName: 'events' });
  });

  it('athena-ddl: CREATE EXTERNAL TABLE … STORED AS … LOCATION with a trailing slash, then MSCK REPAIR TABLE', async () => {
    const { catalog } = await catalogWithTables();
    const events = (await catalog.getTable('lake', 'events'))!;
    expect(athenaDdl(events, await catalog.getPartitions('lake', 'events'))).toBe(`CREATE EXTERNAL TABLE \`lake\`.\`events\` (
  \`id\` bigint,
  \`payload\` struct<a:int,b:array<string>>
)
COMMENT 'events\\' table'
PARTITIONED BY (
  \`dt\` string
)
STORED AS PARQUET
LOCATION 's3://lake/events/'
TBLPROPERTIES (
  'classification'='parquet',
  'compressionType'='none'
);

MSCK REPAIR TABLE \`lake\`.\`events\`;
`);
    const plain = (await catalog.getTable('lake', 'plain'))!;
    expect(athenaDdl(plain, [])).toBe(`CREATE EXTERNAL TABLE \`lake\`.\`plain\` (
  \`a\` int
)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '|'
STORED AS TEXTFILE
LOCATION 's3://lake/plain/'
TBLPROPERTIES (
  'classification'='csv',
  'skip.header.line.count'='1'
);
`);
  });

  it('athena-ddl: partitions outside Hive folders are added one by one (MSCK REPAIR cannot find them)', async () => {
    const root = join(await tempDir('sluice-catalog-cli-'), 'catalog');
    const catalog = Catalog.open(root);
    await catalog.createDatabase({ Name: 'lake' });
    await catalog.createTable('lake', { Name: 'logs', StorageDescriptor: { Columns: [{ Name: 'line', Type: 'string' }], Location: 's3://lake/logs/' }, PartitionKeys: [{ Name: 'partition_0', Type: 'string' }] });
    await catalog.batchCreatePartition('lake', 'logs', [{ Values: ['2019'], StorageDescriptor: { Location: 's3://lake/logs/2019/' } }]);
    const ddl = athenaDdl((await catalog.getTable('lake', 'logs'))!, await catalog.getPartitions('lake', 'logs'));
    expect(ddl.split('\n\n')[1]).toBe("ALTER TABLE `lake`.`logs` ADD IF NOT EXISTS PARTITION (`partition_0`='2019') LOCATION 's3://lake/logs/2019/';\n");
  });
});

describe('sluice catalog', () => {
  it('lists databases, tables, partitions (with an expression) and versions; shows and deletes a table', async () => {
    const { root, catalog } = await catalogWithTables();
    await catalog.updateTable('lake', { ...parquetTable, Description: 'v2' });
    const run = (...args: string[]) => runCliInProcess(['catalog', ...args, '--catalog', root]);
    expect((await run('databases')).out).toMatch(/^ {2}database {2}description {2}created\s*\n {2}lake {6}the lake {5}\d{4}-/);
    const tables = (await run('tables', 'LAKE')).out.split('\n');
    expect(tables[0]).toBe('  table   classification  columns  partition keys  version  location');
    expect(tables.slice(1, 3)).toEqual([
      '  events  parquet         2        dt              2        s3://lake/events',
      '  plain   csv             1                        1        s3://lake/plain/',
    ]);
    const partitions = await run('partitions', 'lake.events', '--expression', "dt >= '2024-01-148'");
    expect(partitions.out).toBe([
      '  dt           location',
      '  2024-01-148  s3://lake/events/dt=2024-01-148/',
      '  2024-01-149  s3://lake/events/dt=2024-01-149/',
      '',
    ].join('\n'));
    const versions = JSON.parse((await run('versions', 'lake.events', '--json')).out) as { VersionId: string; Table: { Description: string } }[];
    expect(versions.map((v) => [v.VersionId, v.Table.Description])).toEqual([['2', 'v2'], ['1', "events' table"]]);
    const show = (await run('show', 'Lake.Events')).out;
    expect(show).toContain('table lake.events (version 2, EXTERNAL_TABLE)');
    expect(show).toContain('  payload  struct<a:int,b:array<string>>');
    expect(show).toContain('  classification   parquet');
    expect((await run('delete', 'lake.plain')).out).toContain('deleted table lake.plain');
    expect((await run('tables', 'lake')).out).not.toContain('plain');
    const missing = await run('show', 'lake.plain');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('Table lake.plain not found');
  });

  it('export writes request files the AWS CLI takes, and the DDL', async () => {
    const { root } = await catalogWithTables();
    const out = join(await tempDir('sluice-catalog-export-'), 'out');
    expect((await runCliInProcess(['catalog', 'export', 'lake.events', '--as', 'glue-api', '--out', out, '--catalog', root])).code).toBe(0);
    expect((await runCliInProcess(['catalog', 'export', 'lake.events', '--as', 'athena-ddl', '--out', out, '--catalog', root])).code).toBe(0);
    expect(await filesUnder(out)).toEqual(['batch-create-partition-1.json', 'batch-create-partition-2.json', 'create-table.json', 'events.sql']);
    const create = JSON.parse(await readFile(join(out, 'create-table.json'), 'utf8')) as CreateTableRequest;
    expect(create.TableInput?.Name).toBe('events');
    expect((await readFile(join(out, 'events.sql'), 'utf8')).endsWith('MSCK REPAIR TABLE `lake`.`events`;\n')).toBe(true);
  });

  it('refuses what it cannot do, naming the problem', async () => {
    const { root } = await catalogWithTables();
    const run = (...args: string[]) => runCliInProcess(['catalog', ...args, '--catalog', root]);
    expect((await run('export', 'lake.events')).err).toContain('sluice catalog export needs --as glue-api|athena-ddl');
    expect((await run('export', 'lake.events', '--as', 'hive')).err).toContain("--as must be one of glue-api, athena-ddl, got 'hive'");
    expect((await run('tables')).err).toContain('sluice catalog tables needs <database>');
    expect((await run('frobnicate')).err).toContain("unknown action 'frobnicate'");
    expect((await run('show', 'events')).err).toContain("A catalog table is named database.table: 'events'");
    expect((await run('partitions', 'lake.events', '--expression', 'x = 1')).err).toContain("names 'x', which is not a partition key; the keys are: dt");
  });

  it('sluice --version loads no catalog code', async () => {
    const dir = await tempDir('sluice-catalog-lazy-');
    const log = join(dir, 'loaded.txt');
    const hooks = join(dir, 'hooks.mjs');
    await writeFile(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`);
    const script = join(dir, 'version.mts');
    await writeFile(script, `import { register } from 'node:module';
register(${JSON.stringify(`file://${hooks}`)});
const { runCli } = await import(${JSON.stringify(join(REPO, 'src/cli/runCli.ts'))});
await runCli(['--version'], { out: () => {}, err: () => {} });
await runCli(['catalog', 'databases', '--catalog', ${JSON.stringify(join(dir, 'cat'))}], { out: () => {}, err: () => {} });
`);
    await runScript(script);
    const loaded = (await readFile(log, 'utf8')).split('\n');
    const firstCatalog = loaded.findIndex((url) => url.includes('/src/catalog/'));
    const command = loaded.findIndex((url) => url.includes('/src/cli/catalogCommand'));
    expect(command).toBeGreaterThan(0);
    expect(firstCatalog).toBeGreaterThan(command); // nothing of src/catalog/ before the verb ran
  }, 30_000);
});
