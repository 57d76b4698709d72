import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Partition, Table } from '@aws-sdk/client-glue';
import { Catalog } from '../catalog/Catalog.js';
import { EntityNotFoundError } from '../catalog/catalogErrors.js';
import { splitTableName } from '../catalog/catalogNames.js';
import { athenaDdl, glueApiExport } from '../catalog/exportTable.js';
import { choiceFlag, parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';
import { UsageError } from './UsageError.js';

const ACTIONS = ['databases', 'tables', 'show', 'partitions', 'versions', 'delete', 'export'] as const;
type Action = (typeof ACTIONS)[number];
/** What each action takes after its name. */
const OPERAND: Record<Action, string | undefined> = {
  databases: undefined, tables: '<database>', show: '<db.table>', partitions: '<db.table>', versions: '<db.table>', delete: '<db.table>', export: '<db.table>',
};
const EXPORTS = ['glue-api', 'athena-ddl'] as const;

/**
 * `sluice catalog databases|tables <db>|show db.t|partitions db.t|versions db.t|delete db.t|
 * export db.t --as glue-api|athena-ddl`: the embedded Data Catalog as people and other tools see it.
 */
export async function catalogCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('catalog', argv, {
    catalog: { type: 'string' },
    json: { type: 'boolean' },
    as: { type: 'string' },
    out: { type: 'string' },
    expression: { type: 'string' },
  }, { min: 1, max: 2, names: `an action: ${ACTIONS.join(', ')}` });
  if (values.help) {
    io.out(VERB_USAGE.catalog);
    return 0;
  }
  const [actionArg, operand] = positionals;
  if (!(ACTIONS as readonly string[]).includes(actionArg)) throw new UsageError(`sluice catalog: unknown action '${actionArg}'; use ${ACTIONS.join(', ')}`, 'catalog');
  const action = actionArg as Action;
  const wanted = OPERAND[action];
  if (wanted && operand === undefined) throw new UsageError(`sluice catalog ${action} needs ${wanted}`, 'catalog');
  if (!wanted && operand !== undefined) throw new UsageError(`sluice catalog ${action}: unexpected argument '${operand}'`, 'catalog');
  if (values.as !== undefined && action !== 'export') throw new UsageError('--as goes with sluice catalog export', 'catalog');
  if (values.out !== undefined && action !== 'export') throw new UsageError('--out goes with sluice catalog export', 'catalog');
  if (values.expression !== undefined && action !== 'partitions') throw new UsageError('--expression goes with sluice catalog partitions', 'catalog');
  const catalog = Catalog.open(values.catalog as string | undefined);
  const json = values.json === true;
  const print = (data: unknown, text: () => string) => io.out(json ? JSON.stringify(data, null, 2) : text());

  if (action === 'databases') {
    const databases = await catalog.getDatabases();
    print(databases, () => (databases.length ? textTable(['database', 'description', 'created'], databases.map((d) => [d.Name ?? '', d.Description ?? '', iso(d.CreateTime)])) : `no databases in the catalog ${catalog.root}`));
    return 0;
  }
  if (action === 'tables') {
    const tables = await catalog.getTables(operand);
    print(tables, () => (tables.length
      ? textTable(['table', 'classification', 'columns', 'partition keys', 'version', 'location'], tables.map((t) => [
        t.Name ?? '', t.Parameters?.classification ?? '', String(t.StorageDescriptor?.Columns?.length ?? 0),
        (t.PartitionKeys ?? []).map((k) => k.Name).join(', '), t.VersionId ?? '', t.StorageDescriptor?.Location ?? '',
      ]))
      : `no tables in database ${operand.toLowerCase()}`));
    return 0;
  }
  const { database, table: tableName } = splitTableName(operand);
  const table = await catalog.getTable(database, tableName);
  if (!table) throw new EntityNotFoundError(`Table ${database}.${tableName} not found in the catalog ${catalog.root}`);
  switch (action) {
    case 'show':
      print(table, () => describeTable(table));
      return 0;
    case 'partitions': {
      const partitions = await catalog.getPartitions(database, tableName, { expression: values.expression as string | undefined });
      const keys = (table.PartitionKeys ?? []).map((k) => k.Name ?? '');
      print(partitions, () => (partitions.length
        ? textTable([...keys, 'location'], partitions.map((p) => [...(p.Values ?? []), p.StorageDescriptor?.Location ?? '']))
        : `no partitions${values.expression ? ' match' : ''} in ${database}.${tableName}`));
      return 0;
    }
    case 'versions': {
      const versions = await catalog.getTableVersions(database, tableName);
      print(versions, () => textTable(['version', 'updated', 'columns', 'partition keys'], versions.map((v) => [
        v.VersionId ?? '', iso(v.Table?.UpdateTime), (v.Table?.StorageDescriptor?.Columns ?? []).map((c) => `${c.Name} ${c.Type}`).join(', '),
        (v.Table?.PartitionKeys ?? []).map((k) => k.Name).join(', '),
      ])));
      return 0;
    }
    case 'delete':
      await catalog.deleteTable(database, tableName);
      io.out(`deleted table ${database}.${tableName} and its partitions (the data files are left where they are)`);
      return 0;
    case 'export': {
      const as = choiceFlag(values.as, 'as', 'catalog', EXPORTS);
      if (!as) throw new UsageError(`sluice catalog export needs --as ${EXPORTS.join('|')}`, 'catalog');
      const partitions = await catalog.getPartitions(database, tableName);
      await exportTable(as, table, partitions, values.out as string | undefined, io);
      return 0;
    }
  }
  return 0;
}

/**
 * glue-api: `create-table.json` and `batch-create-partition-N.json`, each one request the AWS CLI
 * takes with `--cli-input-json file://…`; athena-ddl: `<table>.sql`. Without --out, to stdout.
 */
async function exportTable(as: (typeof EXPORTS)[number], table: Table, partitions: Partition[], out: string | undefined, io: CliIO): Promise<void> {
  if (as === 'athena-ddl') {
    const ddl = athenaDdl(table, partitions);
    if (!out) return io.out(ddl.trimEnd());
    await mkdir(resolve(out), { recursive: true });
    const file = join(resolve(out), `${table.Name}.sql`);
    await writeFile(file, ddl);
    return io.out(`wrote ${file}`);
  }
  const requests = glueApiExport(table, partitions);
  if (!out) return io.out(JSON.stringify({ CreateTable: requests.createTable, BatchCreatePartition: requests.batchCreatePartition }, null, 2));
  await mkdir(resolve(out), { recursive: true });
  const files: [string, unknown][] = [
    ['create-table.json', requests.createTable],
    ...requests.batchCreatePartition.map((r, i): [string, unknown] => [`batch-create-partition-${i + 1}.json`, r]),
  ];
  for (const [name, body] of files) await writeFile(join(resolve(out), name), `${JSON.stringify(body, null, 2)}\n`);
  io.out(`wrote ${files.map(([name]) => join(resolve(out), name)).join(', ')}`);
  io.out(`load with: aws glue create-table --cli-input-json file://create-table.json; aws glue batch-create-partition --cli-input-json file://batch-create-partition-1.json …`);
}

function describeTable(table: Table): string {
  const sd = table.StorageDescriptor ?? {};
  const lines = [
    `table ${table.DatabaseName}.${table.Name} (version ${table.VersionId}, ${table.TableType ?? 'EXTERNAL_TABLE'})`,
    `location:      ${sd.Location ?? '(none)'}`,
    `input format:  ${sd.InputFormat ?? ''}`,
    `output format: ${sd.OutputFormat ?? ''}`,
    `serde:         ${sd.SerdeInfo?.SerializationLibrary ?? ''}${Object.keys(sd.SerdeInfo?.Parameters ?? {}).length ? ` ${JSON.stringify(sd.SerdeInfo?.Parameters)}` : ''}`,
    `created:       ${iso(table.CreateTime)}; updated: ${iso(table.UpdateTime)}`,
    '',
    'columns:',
    textTable(['name', 'type', 'comment'], (sd.Columns ?? []).map((c) => [c.Name ?? '', c.Type ?? '', c.Comment ?? ''])),
  ];
  if (table.PartitionKeys?.length) lines.push('', 'partition keys:', textTable(['name', 'type'], table.PartitionKeys.map((k) => [k.Name ?? '', k.Type ?? ''])));
  const parameters = Object.entries(table.Parameters ?? {});
  if (parameters.length) lines.push('', 'parameters:', textTable(['key', 'value'], parameters));
  return lines.join('\n');
}

const iso = (date: Date | undefined): string => (date ? date.toISOString() : '');

function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
