import { SluiceError } from '../../types/ErrorRecord.js';
import type { DeleteBehavior, UpdateBehavior } from './applyCrawl.js';
import type { CustomClassifier } from './classify.js';
import { checkSampleSize } from './crawl.js';
import { grokClassifierProblem } from './grokClassifier.js';

/** One include path of a crawler (Glue's `S3Target`; a local folder works the same). */
export interface CrawlerTarget {
  Path: string;
  Exclusions?: string[];
  /** Files read per folder (1–249), the first in key order; the others are typed as their folder's first. Default: all. */
  SampleSize?: number;
}

/**
 * A crawler as Glue's CreateCrawler takes it, so a definition moves between Glue and sluice:
 * `Configuration` is Glue's JSON string (`Grouping.TableGroupingPolicy`,
 * `Grouping.TableLevelConfiguration`, `CrawlerOutput.Tables.AddOrUpdateBehavior`,
 * `CrawlerOutput.Tables.TableThreshold`). Custom classifiers are given inline
 * (`CustomClassifiers`, each as Glue's CreateClassifier body), not by name.
 */
export interface CrawlerDefinition {
  Name: string;
  DatabaseName: string;
  Targets: { S3Targets: CrawlerTarget[] };
  TablePrefix?: string;
  SchemaChangePolicy?: { UpdateBehavior?: UpdateBehavior; DeleteBehavior?: DeleteBehavior };
  RecrawlPolicy?: { RecrawlBehavior?: 'CRAWL_EVERYTHING' | 'CRAWL_NEW_FOLDERS_ONLY' };
  Configuration?: string;
  CustomClassifiers?: CustomClassifier[];
  /** Accepted and not used by a local run (kept so Glue definitions load): */
  Role?: string;
  Description?: string;
  Schedule?: string;
  Tags?: Record<string, string>;
}

/** The settings of a definition, resolved and checked. */
export interface CrawlerSettings {
  name: string;
  database: string;
  targets: { path: string; exclusions: string[]; sampleSize?: number }[];
  tablePrefix?: string;
  updateBehavior: UpdateBehavior;
  deleteBehavior: DeleteBehavior;
  newFoldersOnly: boolean;
  combineCompatibleSchemas: boolean;
  tableLevel?: number;
  mergeNewColumns: boolean;
  tableThreshold?: number;
  /** `CrawlerOutput.Partitions.AddOrUpdateBehavior: InheritFromTable`: partitions take the table's schema and formats. */
  inheritFromTable: boolean;
  classifiers: CustomClassifier[];
}

const KEYS = new Set(['Name', 'DatabaseName', 'Targets', 'TablePrefix', 'SchemaChangePolicy', 'RecrawlPolicy', 'Configuration', 'CustomClassifiers', 'Role', 'Description', 'Schedule', 'Tags']);
const UPDATE = ['UPDATE_IN_DATABASE', 'LOG'];
const DELETE = ['DELETE_FROM_DATABASE', 'LOG', 'DEPRECATE_IN_DATABASE'];
const RECRAWL = ['CRAWL_EVERYTHING', 'CRAWL_NEW_FOLDERS_ONLY'];

const fail = (where: string, why: string) => new SluiceError(`Crawler definition${where ? ` ${where}` : ''}: ${why}`);

function checkKeys(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw fail(where, 'must be an object');
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw fail(where, `unknown option '${key}'; known: ${allowed.join(', ')}`);
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly string[], where: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value)) throw fail(where, `'${String(value)}' is not one of ${allowed.join(', ')}`);
  return value as T;
}

/** Checks a crawler definition (Glue's CreateCrawler shape) and resolves its settings; every unknown option is an error naming it. */
export function crawlerSettings(definition: unknown): CrawlerSettings {
  const d = checkKeys(definition, [...KEYS], '');
  if (typeof d.Name !== 'string' || d.Name === '') throw fail('Name', 'is required');
  if (typeof d.DatabaseName !== 'string' || d.DatabaseName === '') throw fail('DatabaseName', 'is required');
  const targets = checkKeys(d.Targets, ['S3Targets'], 'Targets');
  if (!Array.isArray(targets.S3Targets) || targets.S3Targets.length === 0) throw fail('Targets.S3Targets', 'needs at least one { Path }');
  const resolvedTargets = targets.S3Targets.map((t, i) => {
    const target = checkKeys(t, ['Path', 'Exclusions', 'SampleSize'], `Targets.S3Targets[${i}]`);
    if (typeof target.Path !== 'string' || target.Path === '') throw fail(`Targets.S3Targets[${i}].Path`, 'is required');
    const exclusions = target.Exclusions ?? [];
    if (!Array.isArray(exclusions) || exclusions.some((e) => typeof e !== 'string')) throw fail(`Targets.S3Targets[${i}].Exclusions`, 'must be a list of glob patterns');
    try {
      checkSampleSize(target.SampleSize, 'SampleSize');
    } catch (error) {
      throw fail(`Targets.S3Targets[${i}].SampleSize`, (error as Error).message.replace(/^SampleSize /, ''));
    }
    return { path: target.Path, exclusions: exclusions as string[], ...(target.SampleSize === undefined ? {} : { sampleSize: target.SampleSize as number }) };
  });
  const policy = d.SchemaChangePolicy === undefined ? {} : checkKeys(d.SchemaChangePolicy, ['UpdateBehavior', 'DeleteBehavior'], 'SchemaChangePolicy');
  const recrawl = d.RecrawlPolicy === undefined ? {} : checkKeys(d.RecrawlPolicy, ['RecrawlBehavior'], 'RecrawlPolicy');
  const configuration = parseConfiguration(d.Configuration);
  if (d.TablePrefix !== undefined && typeof d.TablePrefix !== 'string') throw fail('TablePrefix', 'must be a string');
  const classifiers = d.CustomClassifiers ?? [];
  if (!Array.isArray(classifiers)) throw fail('CustomClassifiers', 'must be a list');
  classifiers.forEach((c, i) => {
    const kinds = checkKeys(c, ['CsvClassifier', 'JsonClassifier', 'XMLClassifier', 'GrokClassifier'], `CustomClassifiers[${i}]`);
    if (kinds.GrokClassifier === undefined) return;
    const grok = checkKeys(kinds.GrokClassifier, ['Name', 'Classification', 'GrokPattern', 'CustomPatterns'], `CustomClassifiers[${i}].GrokClassifier`);
    const problem = grokClassifierProblem(grok);
    if (problem) throw fail(`CustomClassifiers[${i}].GrokClassifier`, problem);
  });
  return {
    name: d.Name,
    database: d.DatabaseName,
    targets: resolvedTargets,
    tablePrefix: d.TablePrefix as string | undefined,
    updateBehavior: oneOf<UpdateBehavior>(policy.UpdateBehavior, UPDATE, 'SchemaChangePolicy.UpdateBehavior') ?? 'UPDATE_IN_DATABASE',
    deleteBehavior: oneOf<DeleteBehavior>(policy.DeleteBehavior, DELETE, 'SchemaChangePolicy.DeleteBehavior') ?? 'DEPRECATE_IN_DATABASE',
    newFoldersOnly: oneOf(recrawl.RecrawlBehavior, RECRAWL, 'RecrawlPolicy.RecrawlBehavior') === 'CRAWL_NEW_FOLDERS_ONLY',
    ...configuration,
    classifiers: classifiers as CustomClassifier[],
  };
}

/** Glue's crawler `Configuration` JSON string. */
function parseConfiguration(text: unknown): Pick<CrawlerSettings, 'combineCompatibleSchemas' | 'tableLevel' | 'mergeNewColumns' | 'tableThreshold' | 'inheritFromTable'> {
  if (text === undefined) return { combineCompatibleSchemas: false, mergeNewColumns: false, inheritFromTable: false };
  if (typeof text !== 'string') throw fail('Configuration', 'must be a JSON string, as Glue takes it');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw fail('Configuration', `is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const c = checkKeys(parsed, ['Version', 'Grouping', 'CrawlerOutput'], 'Configuration');
  const grouping = c.Grouping === undefined ? {} : checkKeys(c.Grouping, ['TableGroupingPolicy', 'TableLevelConfiguration'], 'Configuration.Grouping');
  const output = c.CrawlerOutput === undefined ? {} : checkKeys(c.CrawlerOutput, ['Tables', 'Partitions'], 'Configuration.CrawlerOutput');
  const tables = output.Tables === undefined ? {} : checkKeys(output.Tables, ['AddOrUpdateBehavior', 'TableThreshold'], 'Configuration.CrawlerOutput.Tables');
  const partitions = output.Partitions === undefined ? {} : checkKeys(output.Partitions, ['AddOrUpdateBehavior'], 'Configuration.CrawlerOutput.Partitions');
  const level = grouping.TableLevelConfiguration;
  if (level !== undefined && (!Number.isInteger(level) || (level as number) < 1)) throw fail('Configuration.Grouping.TableLevelConfiguration', `must be a whole number from 1 (the top folder), not ${JSON.stringify(level)}`);
  const threshold = tables.TableThreshold;
  if (threshold !== undefined && (!Number.isInteger(threshold) || (threshold as number) < 1)) throw fail('Configuration.CrawlerOutput.Tables.TableThreshold', `must be a whole number above 0, not ${JSON.stringify(threshold)}`);
  return {
    combineCompatibleSchemas: oneOf(grouping.TableGroupingPolicy, ['CombineCompatibleSchemas'], 'Configuration.Grouping.TableGroupingPolicy') === 'CombineCompatibleSchemas',
    tableLevel: level as number | undefined,
    mergeNewColumns: oneOf(tables.AddOrUpdateBehavior, ['MergeNewColumns'], 'Configuration.CrawlerOutput.Tables.AddOrUpdateBehavior') === 'MergeNewColumns',
    tableThreshold: threshold as number | undefined,
    inheritFromTable: oneOf(partitions.AddOrUpdateBehavior, ['InheritFromTable'], 'Configuration.CrawlerOutput.Partitions.AddOrUpdateBehavior') === 'InheritFromTable',
  };
}
