import { randomUUID } from 'node:crypto';
import { storeFor } from '../../io/store/storeFor.js';
import { absolutePath, joinPath } from '../../io/store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { Catalog } from '../Catalog.js';
import { applyCrawl, type AppliedChanges } from './applyCrawl.js';
import { crawl, type CrawlOutcome, type SkippedFile } from './crawl.js';
import { crawlerSettings, type CrawlerDefinition } from './crawlerDefinition.js';

/** One crawler run as the history keeps it (Glue's LastCrawl and crawler metrics). */
export interface CrawlerRun extends AppliedChanges {
  crawler: string;
  runId: string;
  database: string;
  startedAt: string;
  elapsedMs: number;
  status: 'SUCCEEDED' | 'FAILED';
  /** FAILED: why. */
  error?: string;
  recrawl: 'CRAWL_EVERYTHING' | 'CRAWL_NEW_FOLDERS_ONLY';
  filesRead: number;
  /** Files left unread by SampleSize (in their folder's table, typed as their sampled siblings). */
  filesNotSampled: number;
  filesExcluded: number;
  unclassified: SkippedFile[];
}

/** Where a crawler's run history lives under the catalog root: one document per run, never rewritten. */
const runsFolder = (catalog: Catalog, crawler: string) => joinPath(catalog.root, `crawlers/${encodeURIComponent(crawler)}/runs`);

/**
 * A crawler's runs, oldest first (Glue's GetCrawlerMetrics / crawl history).
 *
 * @example
 * const runs = await crawlerRuns('nightly', { catalog: 's3://lake/catalog' });
 * console.log(runs.at(-1)?.tablesCreated);
 */
export async function crawlerRuns(crawler: string, options: { catalog?: Catalog | string } = {}): Promise<CrawlerRun[]> {
  const catalog = openCatalog(options.catalog);
  const store = await storeFor(catalog.root);
  const runs: CrawlerRun[] = [];
  for await (const object of store.list(runsFolder(catalog, crawler))) {
    if (!object.path.endsWith('.json')) continue;
    const got = await store.get(object.path);
    if (got) runs.push(JSON.parse(new TextDecoder().decode(got.bytes)) as CrawlerRun);
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
}

export interface RunCrawlerOptions {
  /** The catalog, or its root folder / s3:// prefix (default: SLUICE_CATALOG, else `.sluice/catalog`). */
  catalog?: Catalog | string;
  /** Called as files are read, per target: done of total. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Runs a crawler (Glue's StartCrawler): crawls each target, applies the tables to the catalog by
 * its policies (applyCrawl.ts), and keeps the run's summary in the history. A crawl that finds
 * more tables than `TableThreshold` fails before anything is written, as Glue's does.
 * CRAWL_NEW_FOLDERS_ONLY reads only folders that are not yet a partition or table of this crawler
 * (the first run, with no history, crawls everything). A failed run is kept in the history too, then thrown.
 *
 * @example
 * const run = await runCrawler({ Name: 'nightly', DatabaseName: 'sales', Targets: { S3Targets: [{ Path: 's3://lake/sales/' }] } }, { catalog: 's3://lake/catalog' });
 */
export async function runCrawler(definition: CrawlerDefinition, options: RunCrawlerOptions = {}): Promise<CrawlerRun> {
  const catalog = openCatalog(options.catalog);
  const settings = crawlerSettings(definition);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const earlier = settings.newFoldersOnly ? await crawlerRuns(settings.name, { catalog }) : [];
  const incremental = settings.newFoldersOnly && earlier.some((run) => run.status === 'SUCCEEDED');
  const run: CrawlerRun = {
    crawler: settings.name, runId: randomUUID(), database: settings.database.toLowerCase(), startedAt, elapsedMs: 0, status: 'SUCCEEDED',
    recrawl: settings.newFoldersOnly ? 'CRAWL_NEW_FOLDERS_ONLY' : 'CRAWL_EVERYTHING', filesRead: 0, filesNotSampled: 0, filesExcluded: 0,
    tablesCreated: [], tablesUpdated: [], tablesDeleted: [], tablesDeprecated: [], partitionsAdded: 0, partitionsUpdated: 0, partitionsDeleted: 0, unclassified: [], logged: [],
  };
  try {
    const outcomes: { root: string; outcome: CrawlOutcome }[] = [];
    for (const target of settings.targets) {
      const root = absolutePath(target.path);
      const known = incremental ? await knownFolders(catalog, settings.database, settings.name, root) : undefined;
      const outcome = await crawl(root, {
        name: settings.name, tablePrefix: settings.tablePrefix, exclusions: target.exclusions, sampleSize: target.sampleSize, classifiers: settings.classifiers,
        combineCompatibleSchemas: settings.combineCompatibleSchemas, tableLevel: settings.tableLevel,
        skipFolder: known ? (folder) => known.has(folder === '' ? root : joinPath(root, folder)) : undefined,
        onProgress: options.onProgress,
      });
      outcomes.push({ root, outcome });
    }
    const found = outcomes.reduce((sum, o) => sum + o.outcome.tables.length, 0);
    if (settings.tableThreshold !== undefined && found > settings.tableThreshold) {
      throw new SluiceError(`Crawler ${settings.name} found ${found} tables, more than its TableThreshold of ${settings.tableThreshold}: nothing was written to the catalog`);
    }
    for (const { root, outcome } of outcomes) {
      run.filesRead += outcome.summary.filesRead;
      run.filesNotSampled += outcome.summary.filesNotSampled;
      run.filesExcluded += outcome.summary.filesExcluded;
      run.unclassified.push(...outcome.summary.unclassified);
      const applied: AppliedChanges = await applyCrawl(catalog, outcome.tables, {
        database: settings.database, crawlerName: settings.name, root, updateBehavior: settings.updateBehavior, deleteBehavior: settings.deleteBehavior,
        mergeNewColumns: settings.mergeNewColumns, inheritFromTable: settings.inheritFromTable, newFoldersOnly: incremental,
      });
      run.tablesCreated.push(...applied.tablesCreated);
      run.tablesUpdated.push(...applied.tablesUpdated);
      run.tablesDeleted.push(...applied.tablesDeleted);
      run.tablesDeprecated.push(...applied.tablesDeprecated);
      run.partitionsAdded += applied.partitionsAdded;
      run.partitionsUpdated += applied.partitionsUpdated;
      run.partitionsDeleted += applied.partitionsDeleted;
      run.logged.push(...applied.logged);
    }
  } catch (error) {
    run.status = 'FAILED';
    run.error = error instanceof Error ? error.message : String(error);
  }
  run.elapsedMs = Math.round(performance.now() - started);
  const store = await storeFor(catalog.root);
  await store.put(joinPath(runsFolder(catalog, settings.name), `${startedAt.replace(/[:.]/g, '-')}-${run.runId}.json`), JSON.stringify(run, null, 2), { ifNoneMatch: '*' });
  if (run.status === 'FAILED') throw new SluiceError(`Crawler ${settings.name} failed: ${run.error}`);
  return run;
}

/** The folders this crawler has already made partitions or tables of, under one include path. */
async function knownFolders(catalog: Catalog, database: string, crawler: string, root: string): Promise<Set<string>> {
  const known = new Set<string>();
  if (!(await catalog.getDatabase(database))) return known;
  const strip = (location: string) => location.replace(/\/+$/, '');
  for (const table of await catalog.getTables(database)) {
    const location = table.StorageDescriptor?.Location;
    if (table.Parameters?.UPDATED_BY_CRAWLER !== crawler || !location) continue;
    if (strip(location) !== strip(root) && !location.startsWith(`${strip(root)}/`)) continue;
    if ((table.PartitionKeys ?? []).length === 0) known.add(strip(location));
    else for (const partition of await catalog.getPartitions(database, table.Name!)) if (partition.StorageDescriptor?.Location) known.add(strip(partition.StorageDescriptor.Location));
  }
  return known;
}

const openCatalog = (catalog: Catalog | string | undefined): Catalog => (catalog instanceof Catalog ? catalog : Catalog.open(catalog));
