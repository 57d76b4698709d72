import { isVisible } from '../../io/partitioning/listInputs.js';
import { parseS3Path, isS3Path } from '../../io/store/s3Path.js';
import type { StoredObject } from '../../io/store/Store.js';
import { storeFor } from '../../io/store/storeFor.js';
import { absolutePath, baseName, relativePath } from '../../io/store/storePath.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import { classify, type CustomClassifier } from './classify.js';
import { excludeMatcher } from './excludeGlob.js';
import { buildTree, type CrawledFile } from './lakeTree.js';
import { sampleFile } from './sampleFile.js';
import { tableBoundaries } from './tableBoundaries.js';
import { tableNameOf, crawledTable, type CrawledTable } from './tableInputs.js';

/** How to crawl one include path (the parts of a Glue crawler definition that shape tables). */
export interface CrawlOptions {
  /** The crawler's name, kept as `UPDATED_BY_CRAWLER` (default `sluice`). */
  name?: string;
  /** Prefixed to every table name (Glue's `TablePrefix`). */
  tablePrefix?: string;
  /** Glob patterns relative to the include path (Glue's `Exclusions`; see excludeGlob.ts). */
  exclusions?: readonly string[];
  /** Custom classifiers, tried before the built-ins in this order. */
  classifiers?: readonly CustomClassifier[];
  /** Glue's `CombineCompatibleSchemas`: one table per include path when formats agree, whatever the schemas. */
  combineCompatibleSchemas?: boolean;
  /** Glue's `TableLevelConfiguration`: tables at this absolute folder level (the include path's top folder is 1). */
  tableLevel?: number;
  /**
   * Glue's `SampleSize` (1–249): only this many files of each folder are read, the first in key
   * order; the others join their folder's table unread, typed as the folder's first classified
   * file, with statistics estimated from it. Default: every file is read.
   */
  sampleSize?: number;
  /** Files whose start is read at once (default 32). */
  concurrency?: number;
  /** Files under these folders (relative to the include path) are neither read nor reported (incremental crawls). */
  skipFolder?: (relativeFolder: string) => boolean;
  /** Called as files are read: done of total. */
  onProgress?: (done: number, total: number) => void;
}

/** A file the crawl could not classify or read, with the reason. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** What one crawl saw: counts, and the files no table holds. */
export interface CrawlSummary {
  filesListed: number;
  filesExcluded: number;
  filesRead: number;
  /** Files left unread by `sampleSize`: in their folder's table, typed as their sampled siblings. */
  filesNotSampled: number;
  bytesRead: number;
  tables: number;
  partitions: number;
  /** Files no classifier was certain of (Glue's UNKNOWN), or that could not be read: kept out of every table, never silently. */
  unclassified: SkippedFile[];
  elapsedMs: number;
}

/** A crawl's result: the tables in the catalog's shapes, and its summary. */
export interface CrawlOutcome {
  tables: CrawledTable[];
  summary: CrawlSummary;
}

const DEFAULT_CONCURRENCY = 32;

/**
 * Crawls an include path (a local folder or `s3://…` prefix) into tables as a Glue crawler does:
 * lists it, drops what the exclude patterns match, reads the start of each file (a Parquet file's
 * footer), classifies it, and groups folders into tables and partitions (tableBoundaries.ts).
 * Nothing is written: apply the outcome to a catalog with `applyCrawl`.
 *
 * @example
 * const { tables, summary } = await crawl('s3://lake/sales/', { exclusions: ['**.tmp'] });
 */
export async function crawl(includePath: string, options: CrawlOptions = {}): Promise<CrawlOutcome> {
  const started = performance.now();
  checkSampleSize(options.sampleSize, 'sampleSize');
  const root = absolutePath(includePath);
  const store = await storeFor(root);
  const kind = await store.kind(root);
  if (kind === 'missing') throw new SluiceError(`Crawler include path ${includePath} does not exist`, { file: root });
  const excluded = excludeMatcher(options.exclusions);
  const listed: StoredObject[] = [];
  if (kind === 'file') {
    const single = await store.stat(root);
    if (single) listed.push(single);
  } else for await (const object of store.list(root)) listed.push(object);

  const fileRoot = kind === 'file' ? parentOf(root) : root;
  const candidates: Candidate[] = [];
  let filesExcluded = 0;
  for (const object of listed) {
    const relative = relativePath(fileRoot, object.path);
    if (!isVisible(relative) || relative.endsWith('_$folder$')) continue;
    if (excluded(relative)) {
      filesExcluded++;
      continue;
    }
    if (options.skipFolder?.(folderOf(relative))) continue;
    candidates.push({ object, relative });
  }

  const { sampled: toRead, unsampled } = sampleFolders(candidates, options.sampleSize);
  const unclassified: SkippedFile[] = [];
  const crawled: (CrawledFile | undefined)[] = new Array(toRead.length);
  let done = 0;
  let bytesRead = 0;
  await forEachConcurrently(toRead.length, options.concurrency ?? DEFAULT_CONCURRENCY, async (i) => {
    const { object, relative } = toRead[i];
    try {
      if (object.size === 0) {
        unclassified.push({ path: object.path, reason: 'empty file' });
        return;
      }
      const sample = await sampleFile(store, object);
      bytesRead += sample.raw.length;
      if (sample.unreadable) {
        unclassified.push({ path: object.path, reason: `${sample.compression}-compressed: ${sample.unreadable}` });
        return;
      }
      const classification = await classify(sample, options.classifiers);
      if (!classification) unclassified.push({ path: object.path, reason: 'UNKNOWN: no classifier is certain of it' });
      else crawled[i] = { object, relative, compression: sample.compression, classification };
    } catch (error) {
      unclassified.push({ path: object.path, reason: error instanceof Error ? error.message : String(error) });
    } finally {
      options.onProgress?.(++done, toRead.length);
    }
  });

  const files = crawled.filter((f): f is CrawledFile => f !== undefined);
  files.push(...typedLikeSiblings(unsampled, files, unclassified));
  const tree = buildTree(files, kind === 'file' ? baseName(fileRoot) : baseName(root));
  const found = kind === 'file' && files.length
    ? [{ relative: files[0].relative, name: files[0].relative, kind: 'file' as const, partitionDepth: 0, files, fields: files[0].classification.fields }]
    : tableBoundaries(tree, { combineCompatibleSchemas: options.combineCompatibleSchemas, tableLevel: options.tableLevel, rootLevel: rootLevel(root) });
  const context = { root: fileRoot, crawlerName: options.name ?? 'sluice', exclusions: options.exclusions ?? [] };
  const names = new Set<string>();
  const tables = found.map((table) => {
    let name = tableNameOf(`${options.tablePrefix ?? ''}${table.name}`);
    // Two folders of the same name in different places: the later gets a suffix from its location, as Glue adds a hash.
    if (names.has(name)) name = `${name}_${shortHash(table.relative)}`;
    names.add(name);
    return crawledTable(table, name, context);
  }).sort((a, b) => (a.input.Name! < b.input.Name! ? -1 : 1));
  unclassified.sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    tables,
    summary: {
      filesListed: listed.length,
      filesExcluded,
      filesRead: toRead.length,
      filesNotSampled: unsampled.length,
      bytesRead,
      tables: tables.length,
      partitions: tables.reduce((sum, t) => sum + t.partitions.length, 0),
      unclassified,
      elapsedMs: Math.round(performance.now() - started),
    },
  };
}

/** Glue's SampleSize range (GDG define-crawler.md). */
const SAMPLE_SIZE_RANGE = [1, 249] as const;

/** Throws unless `value` is absent or a whole number Glue accepts as SampleSize; `option` names it in the message. */
export function checkSampleSize(value: unknown, option: string): void {
  if (value === undefined) return;
  const [min, max] = SAMPLE_SIZE_RANGE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SluiceError(`${option} must be a whole number of files per folder from ${min} to ${max} (Glue's SampleSize), not ${JSON.stringify(value)}`);
  }
}

interface Candidate {
  object: StoredObject;
  relative: string;
}

const folderOf = (relative: string): string => (relative.includes('/') ? relative.slice(0, relative.lastIndexOf('/')) : '');

/** Splits the files into those read and those left unread: at most `sampleSize` per folder, the first in key order. */
function sampleFolders(candidates: readonly Candidate[], sampleSize: number | undefined): { sampled: Candidate[]; unsampled: Candidate[] } {
  if (sampleSize === undefined) return { sampled: [...candidates], unsampled: [] };
  const sorted = [...candidates].sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  const taken = new Map<string, number>();
  const sampled: Candidate[] = [];
  const unsampled: Candidate[] = [];
  for (const candidate of sorted) {
    const folder = folderOf(candidate.relative);
    const count = taken.get(folder) ?? 0;
    if (count < sampleSize) {
      taken.set(folder, count + 1);
      sampled.push(candidate);
    } else unsampled.push(candidate);
  }
  return { sampled, unsampled };
}

/**
 * Unread files as their folder's first classified file says (key order), with its record count scaled
 * by size; a folder none of whose sampled files was classified leaves them out of every table, listed.
 */
function typedLikeSiblings(unsampled: readonly Candidate[], read: readonly CrawledFile[], unclassified: SkippedFile[]): CrawledFile[] {
  const firstByFolder = new Map<string, CrawledFile>();
  for (const file of [...read].sort((a, b) => (a.relative < b.relative ? -1 : 1))) {
    const folder = folderOf(file.relative);
    if (!firstByFolder.has(folder)) firstByFolder.set(folder, file);
  }
  const typed: CrawledFile[] = [];
  for (const { object, relative } of unsampled) {
    const sibling = firstByFolder.get(folderOf(relative));
    if (!sibling) {
      unclassified.push({ path: object.path, reason: 'not sampled (SampleSize), and no sampled file of its folder was classified' });
      continue;
    }
    const { exactRecords } = sibling.classification;
    const scaled = exactRecords === undefined ? undefined : Math.round((exactRecords * object.size) / Math.max(1, sibling.object.size));
    typed.push({ object, relative, compression: sibling.compression, classification: { ...sibling.classification, exactRecords: scaled } });
  }
  return typed;
}

const parentOf = (path: string): string => path.slice(0, path.length - baseName(path).length - 1);

/** The include path's folder level: an S3 prefix's depth below its bucket; a local include path is level 1, as a bucket's top folder. */
function rootLevel(root: string): number {
  if (!isS3Path(root)) return 1;
  const { key } = parseS3Path(root);
  return key.split('/').filter(Boolean).length;
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, '0');
}

async function forEachConcurrently(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
