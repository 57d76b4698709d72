import { readFile } from 'node:fs/promises';
import { Catalog } from '../catalog/Catalog.js';
import type { CrawlerDefinition } from '../catalog/crawler/crawlerDefinition.js';
import { runCrawler, type CrawlerRun } from '../catalog/crawler/runCrawler.js';
import { choiceFlag, intFlag, parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';
import { UsageError } from './UsageError.js';

const SCHEMA_CHANGE = { update: 'UPDATE_IN_DATABASE', log: 'LOG' } as const;
const DELETE = { delete: 'DELETE_FROM_DATABASE', log: 'LOG', deprecate: 'DEPRECATE_IN_DATABASE' } as const;
const RECRAWL = { everything: 'CRAWL_EVERYTHING', 'new-folders-only': 'CRAWL_NEW_FOLDERS_ONLY' } as const;
/** Flags that describe the crawler; with --config the file describes it instead. */
const DEFINITION_FLAGS = ['database', 'name', 'table-prefix', 'exclude', 'schema-change', 'delete-behavior', 'recrawl', 'combine-compatible-schemas', 'merge-new-columns', 'inherit-from-table', 'table-level', 'table-threshold', 'sample-size'];

/**
 * `sluice crawl <path|s3://…> … --database db [flags]` or `sluice crawl --config crawler.json`:
 * runs a crawler (Glue's CreateCrawler + StartCrawler) into the catalog and prints its summary.
 */
export async function crawlCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('crawl', argv, {
    config: { type: 'string' },
    database: { type: 'string' },
    name: { type: 'string' },
    'table-prefix': { type: 'string' },
    exclude: { type: 'string', multiple: true },
    'schema-change': { type: 'string' },
    'delete-behavior': { type: 'string' },
    recrawl: { type: 'string' },
    'combine-compatible-schemas': { type: 'boolean' },
    'merge-new-columns': { type: 'boolean' },
    'inherit-from-table': { type: 'boolean' },
    'table-level': { type: 'string' },
    'table-threshold': { type: 'string' },
    'sample-size': { type: 'string' },
    catalog: { type: 'string' },
    json: { type: 'boolean' },
  }, { min: 0, max: Infinity, names: 'a path to crawl' });
  if (values.help) {
    io.out(VERB_USAGE.crawl);
    return 0;
  }
  const definition = values.config !== undefined ? await fromConfig(values.config as string, values, positionals) : fromFlags(values, positionals);
  const catalog = Catalog.open(values.catalog as string | undefined);
  const bar = process.stderr.isTTY && !values.json ? crawlProgress(process.stderr) : undefined;
  let run: CrawlerRun;
  try {
    run = await runCrawler(definition, { catalog, onProgress: bar?.update });
  } finally {
    bar?.done();
  }
  io.out(values.json ? JSON.stringify(run, null, 2) : formatRun(run));
  return 0;
}

async function fromConfig(file: string, values: Record<string, unknown>, positionals: readonly string[]): Promise<CrawlerDefinition> {
  const given = DEFINITION_FLAGS.filter((flag) => values[flag] !== undefined);
  if (given.length || positionals.length) {
    throw new UsageError(`--config ${file} describes the crawler; leave out ${[...positionals, ...given.map((f) => `--${f}`)].join(', ')}`, 'crawl');
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the crawler definition ${file}: ${(error as Error).message}`, 'crawl');
  }
  try {
    return JSON.parse(text) as CrawlerDefinition;
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${(error as Error).message}`, 'crawl');
  }
}

function fromFlags(values: Record<string, string | boolean | undefined | string[]>, paths: readonly string[]): CrawlerDefinition {
  if (paths.length === 0) throw new UsageError('sluice crawl needs a path to crawl (or --config crawler.json)', 'crawl');
  const database = values.database;
  if (typeof database !== 'string' || database === '') throw new UsageError('sluice crawl needs --database: the catalog database the tables go to', 'crawl');
  const verb = 'crawl';
  const schemaChange = choiceFlag(values['schema-change'] as string | undefined, 'schema-change', verb, Object.keys(SCHEMA_CHANGE) as (keyof typeof SCHEMA_CHANGE)[]);
  const deleteBehavior = choiceFlag(values['delete-behavior'] as string | undefined, 'delete-behavior', verb, Object.keys(DELETE) as (keyof typeof DELETE)[]);
  const recrawl = choiceFlag(values.recrawl as string | undefined, 'recrawl', verb, Object.keys(RECRAWL) as (keyof typeof RECRAWL)[]);
  const tableLevel = values['table-level'] === undefined ? undefined : intFlag(values['table-level'] as string, 'table-level', verb, 0);
  if (tableLevel === 0) throw new UsageError('--table-level starts at 1 (the top folder)', verb);
  const tableThreshold = values['table-threshold'] === undefined ? undefined : intFlag(values['table-threshold'] as string, 'table-threshold', verb, 0);
  const grouping = {
    ...(values['combine-compatible-schemas'] ? { TableGroupingPolicy: 'CombineCompatibleSchemas' } : {}),
    ...(tableLevel !== undefined ? { TableLevelConfiguration: tableLevel } : {}),
  };
  const tables = {
    ...(values['merge-new-columns'] ? { AddOrUpdateBehavior: 'MergeNewColumns' } : {}),
    ...(tableThreshold !== undefined ? { TableThreshold: tableThreshold } : {}),
  };
  const output = {
    ...(Object.keys(tables).length ? { Tables: tables } : {}),
    ...(values['inherit-from-table'] ? { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } } : {}),
  };
  const configuration = {
    Version: 1.0,
    ...(Object.keys(grouping).length ? { Grouping: grouping } : {}),
    ...(Object.keys(output).length ? { CrawlerOutput: output } : {}),
  };
  const exclusions = (values.exclude as string[] | undefined) ?? [];
  const sampleSize = values['sample-size'] === undefined ? undefined : intFlag(values['sample-size'] as string, 'sample-size', verb, 1);
  if (sampleSize !== undefined && (sampleSize < 1 || sampleSize > 249)) throw new UsageError(`--sample-size is files per folder from 1 to 249 (Glue's SampleSize), not ${sampleSize}`, verb);
  const lastSegment = paths[0].replace(/\/+$/, '').split(/[\\/]/).pop() ?? 'crawl';
  return {
    Name: (values.name as string | undefined) ?? `${database}-${lastSegment}`,
    DatabaseName: database,
    Targets: { S3Targets: paths.map((Path) => ({ Path, Exclusions: exclusions, ...(sampleSize !== undefined ? { SampleSize: sampleSize } : {}) })) },
    ...(values['table-prefix'] !== undefined ? { TablePrefix: values['table-prefix'] as string } : {}),
    SchemaChangePolicy: { UpdateBehavior: SCHEMA_CHANGE[schemaChange ?? 'update'], DeleteBehavior: DELETE[deleteBehavior ?? 'deprecate'] },
    RecrawlPolicy: { RecrawlBehavior: RECRAWL[recrawl ?? 'everything'] },
    Configuration: JSON.stringify(configuration),
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const named = (names: readonly string[]) => (names.length ? ` (${names.join(', ')})` : '');

/** A run's summary as the crawler's console page shows it, then what was skipped and logged. */
export function formatRun(run: CrawlerRun): string {
  const lines = [
    `crawler ${run.crawler} → database ${run.database}: ${run.status} in ${(run.elapsedMs / 1000).toFixed(1)} s`,
    `  tables created ${run.tablesCreated.length}${named(run.tablesCreated)}, updated ${run.tablesUpdated.length}${named(run.tablesUpdated)}, ` +
      `deleted ${run.tablesDeleted.length}${named(run.tablesDeleted)}, deprecated ${run.tablesDeprecated.length}${named(run.tablesDeprecated)}`,
    `  partitions added ${run.partitionsAdded}, updated ${run.partitionsUpdated ?? 0}, deleted ${run.partitionsDeleted}; ${plural(run.filesRead, 'file')} read, ${run.filesExcluded} excluded${run.filesNotSampled ? `, ${run.filesNotSampled} not sampled` : ''}`,
  ];
  if (run.unclassified.length) lines.push(`  not in any table (${run.unclassified.length}):`, ...run.unclassified.map((f) => `    ${f.path}: ${f.reason}`));
  if (run.logged.length) lines.push('  log:', ...run.logged.map((message) => `    ${message}`));
  return lines.join('\n');
}

/** A one-line bar of files read, redrawn at most every 100 ms. */
function crawlProgress(stream: NodeJS.WriteStream): { update(done: number, total: number): void; done(): void } {
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const filled = total ? Math.round((24 * done) / total) : 24;
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}]  ${done}/${total} files\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
