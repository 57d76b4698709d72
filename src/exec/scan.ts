import { DataType, Dictionary, Field, Int32, RecordBatch, Schema, Type, Utf8 } from 'apache-arrow';
import { makeBatch, rowsOnlyBatch } from '../columns/makeBatch.js';
import { nullColumn } from '../columns/nullColumn.js';
import { nodeLabel, type ScanNode } from '../plan/PlanNode.js';
import { partitionFolderFilter, prunePartitions } from './prunePartitions.js';
import type { ExprNode } from '../expr/ast.js';
import { checkReadOptions, readerFor } from '../io/formats/registry.js';
import { appendPartitionColumns, discoverPartitions, type DiscoveredPartitions, type PartitionedFile } from '../io/partitioning/discoverPartitions.js';
import { listInputs } from '../io/partitioning/listInputs.js';
import { readUnchanged } from '../io/partitioning/readUnchanged.js';
import { absolutePath } from '../io/store/storePath.js';
import { isLiteralFile, type PathMode } from '../io/partitioning/pathMode.js';
import { isFolderPath } from '../io/store/storeFor.js';
import { parseType, schemaFromSpec, typeName } from '../types/typeNames.js';
import { mergeDataTypes, mergeSchemas, overlaySchema, SchemaConflict } from '../types/mergeSchemas.js';
import { isChoice } from '../types/choice.js';
import { dictionaryEncodedField } from '../types/dictionaryEncoded.js';
import { wideningOf } from '../types/WidenSignal.js';
import type { Widening } from '../types/ErrorRecord.js';
import { formatDef } from '../io/formats/registry.js';
import { storeFor } from '../io/store/storeFor.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { ChunkStream } from './Kernel.js';
import { currentProgress } from './progress.js';

export interface PreparedScan {
  schema: Schema;
  files: PartitionedFile[];
  /** Set when the schema (some of it) was inferred from CSV/JSON: the columns a misfit widens (exec/widening.ts). */
  inference?: ScanInference;
  run(signal?: AbortSignal): ChunkStream;
}

/** Which inferred scan a WidenSignal belongs to, and the columns that may widen. */
export interface ScanInference {
  key: string;
  widenable: string[];
}

/** A scan's files as listed, with its partition columns (and what a pruned listing spared). */
interface ListedScan {
  files: PartitionedFile[];
  partitionSchema: Schema;
  listing?: DiscoveredPartitions['listing'];
}

/**
 * One action's listings, by what a scan lists (paths, base path, predicate): an action prepares a
 * scan more than once (parallel planning prepares it, its region, then the rewritten plan), and
 * each listing of an S3 prefix is a round of requests. Made per action (executePlan, writePlan),
 * so the next action sees files added since.
 */
export type ScanListings = Map<string, Promise<ListedScan>>;

function listedOnce(node: ScanNode, listings: ScanListings | undefined): Promise<ListedScan> {
  const list = () => (node.basePath !== undefined ? listFilesUnder(node.basePath, node.paths) : listScanFiles(node.paths, node.pathMode, node.predicate));
  if (!listings) return list();
  const key = JSON.stringify([node.paths, node.pathMode ?? null, node.basePath ?? null, node.predicate ?? null]);
  let listed = listings.get(key);
  if (!listed) {
    listed = list();
    listings.set(key, listed);
    listed.catch(() => listings.delete(key));
  }
  return listed;
}

/**
 * Binds a scan: lists its files (folders recursively, with Hive `k=v` segments as partition
 * columns), and fixes the schema — the given one, or the first file's inferred one — followed by
 * the partition columns. Partition columns a given schema names as int32/int64/string keep that type.
 */
export async function prepareScan(node: ScanNode, listings?: ScanListings, judge: { columns?: string[] } = { columns: node.columns }): Promise<PreparedScan> {
  const reader = readerFor(node.format);
  const options = node.formatOptions ?? {};
  // Plans may be built without readFrame (JSON, bookmarks): the options are checked here too.
  checkReadOptions(node.format, options);
  const listed: ListedScan = node.files
    ? { files: node.files, partitionSchema: schemaFromSpec(node.partitionKeys ?? {}) }
    : await listedOnce(node, listings);
  const { partitionSchema } = listed;
  const label = nodeLabel(node);
  const pruned = prunePartitions(listed.files, partitionSchema, node.predicate);
  if (node.predicate && partitionSchema.fields.length) {
    const foldersPruned = listed.listing?.foldersPruned ?? 0;
    const foldersListed = listed.listing?.foldersListed;
    currentProgress()?.partitionsPruned(label, pruned.partitions + foldersPruned, pruned.partitionsSkipped + foldersPruned, foldersListed);
  }
  const files = pruned.files;
  const sample = listed.listing?.sample;
  const partitionNames = new Set(partitionSchema.fields.map((f) => f.name));
  const given = node.schema ? schemaFromSpec(node.schema) : undefined;
  // With every partition pruned, the schema still comes from a listed file (the plan above needs its columns).
  const { schema: fileSchema, inference } = await scanSchema(node, files.length ? files : sample ? [sample] : listed.files.slice(0, 1), options, given);
  const stubs = new Set(node.stubColumns);
  const dataSchema = await withRepeatingColumns(node, files, options, new Schema(fileSchema.fields.filter((f) => !partitionNames.has(f.name))), judge.columns, stubs);
  const allPartitionFields = partitionSchema.fields.map((f) => {
    const declared = given?.fields.find((g) => g.name === f.name);
    return declared && [Type.Int, Type.Utf8].includes(declared.type.typeId) ? new Field(f.name, declared.type, true) : f;
  });
  const { projected, partitionFields, rowsOnly, readColumns, stubbed } = scanProjection(node.format, dataSchema.fields, allPartitionFields, node.columns, stubs);
  const partitions = new Schema(partitionFields);
  const partitionIndex = partitionFields.map((f) => allPartitionFields.indexOf(f));
  const batchSize = typeof options.batchSize === 'number' ? options.batchSize : undefined;
  const pushed = node.predicate ? { predicate: node.predicate, onPruned: (skipped: number, read: number) => currentProgress()?.rowGroupsPruned(label, skipped, read) } : {};
  const widenable = inference?.widenable;
  return {
    schema: new Schema([...projected, ...partitionFields]),
    files,
    ...(inference ? { inference } : {}),
    async *run(signal?: AbortSignal) {
      for (const file of files) {
        const values = partitionIndex.map((i) => file.values[i]);
        const read = () => reader.read(file.path, options, { schema: dataSchema, batchSize, columns: readColumns, ...pushed, ...(widenable ? { widenable } : {}) });
        for await (const chunk of signalsOf(inference, readUnchanged(file.path, read))) {
          signal?.throwIfAborted();
          let batch = chunk.batch;
          if (rowsOnly) batch = withoutColumns(batch);
          else {
            if (stubbed.size > 0) batch = withStubColumns(batch, projected, stubbed);
            if (partitionFields.length) batch = appendPartitionColumns(batch, partitions, values);
          }
          yield { batch, errors: chunk.errors };
        }
        currentProgress()?.fileRead(file.path);
      }
    },
  };
}

/** What a scan reads and gives, by its projection (prepareScan's rules, which a worker's split reader follows too). */
export interface ScanProjection {
  /** The file columns the scan gives, stubs included, in file order. */
  projected: Field[];
  partitionFields: Field[];
  /** No column is given at all: batches of row counts. */
  rowsOnly: boolean;
  /** The columns the reader reads; undefined for all. */
  readColumns?: string[];
  /** The given columns that are stubs, added as nulls after reading (withStubColumns); empty for none. */
  stubbed: ReadonlySet<string>;
}

/**
 * Projection: keep the wanted columns (all when `columns` is undefined); with none wanted (a
 * count), read no column or the first (see countColumns) for the row counts and hand on batches
 * without columns. `stubs` (ScanNode.stubColumns) are given but not read: all nulls.
 */
export function scanProjection(format: string, dataFields: Field[], allPartitionFields: Field[], columns: string[] | undefined, stubs: ReadonlySet<string>): ScanProjection {
  const wanted = columns ? new Set(columns) : undefined;
  const projected = wanted ? dataFields.filter((f) => wanted.has(f.name)) : dataFields;
  const partitionFields = wanted ? allPartitionFields.filter((f) => wanted.has(f.name)) : allPartitionFields;
  const rowsOnly = wanted !== undefined && projected.length === 0 && partitionFields.length === 0;
  const stubbed = new Set(projected.filter((f) => stubs.has(f.name) && isFlat(f.type)).map((f) => f.name));
  const read = projected.filter((f) => !stubbed.has(f.name));
  const readColumns = rowsOnly || (stubbed.size > 0 && read.length === 0) ? countColumns(format, dataFields) : wanted || stubbed.size > 0 ? read.map((f) => f.name) : undefined;
  return { projected, partitionFields, rowsOnly, readColumns, stubbed };
}

/** Stubs are flat columns (structs, lists and maps are read even when only checked: few files drop them whole). */
const FLAT = new Set([Type.Null, Type.Int, Type.Float, Type.Utf8, Type.Binary, Type.Bool, Type.Decimal, Type.Date, Type.Time, Type.Timestamp, Type.Dictionary]);
const isFlat = (type: DataType): boolean => FLAT.has(type.typeId);

/** A batch as `fields` (in order): the read columns by name, each stub (ScanProjection.stubbed) a column of nulls. */
export function withStubColumns(batch: RecordBatch, fields: Field[], stubs: ReadonlySet<string>): RecordBatch {
  const length = batch.numRows;
  const columns = fields.map((f) => (stubs.has(f.name) ? nullColumn(f.type, length) : batch.data.children[batch.schema.names.indexOf(f.name)]));
  return makeBatch(new Schema(fields), columns, length);
}

/**
 * The columns a scan that wants none reads for its row counts: none when the format counts rows
 * without them (Parquet's footer), else the first data column.
 */
export function countColumns(format: string, dataFields: readonly Field[]): string[] {
  return formatDef(format).read.countsWithoutColumns ? [] : dataFields.slice(0, 1).map((f) => f.name);
}

/**
 * SLUICE_CSV_DICTIONARY: `auto` (default) reads string columns whose values repeat as
 * Dictionary<Utf8, Int32>, `always` every string column the reader can (the test suite runs so to
 * prove every transform takes them), `off` none.
 */
function dictionaryMode(): 'auto' | 'always' | 'off' {
  const mode = process.env.SLUICE_CSV_DICTIONARY ?? 'auto';
  if (mode === 'auto' || mode === 'always' || mode === 'off') return mode;
  throw new SluiceError(`SLUICE_CSV_DICTIONARY must be auto, always or off, got '${mode}'`);
}

const dictionaryTypes = new WeakMap<readonly string[], { key: string; types: Promise<Map<string, Dictionary<Utf8, Int32>>> }>();

/**
 * The scan's data schema with the string columns whose values repeat (the reader judges from the
 * first file's head) as Dictionary<Utf8, Int32>. Decided once per scan (remembered on its `paths`,
 * as the inference is), so every preparation and every split reads the same types.
 */
async function withRepeatingColumns(node: ScanNode, files: PartitionedFile[], options: Record<string, unknown>, schema: Schema, columns: string[] | undefined, stubs: ReadonlySet<string>): Promise<Schema> {
  const mode = dictionaryMode();
  const reader = readerFor(node.format);
  // Only the columns the plan reads are judged (each on its own values, so a subset decides each
  // column as the whole would): sampling a column costs a string per sampled row.
  const wanted = columns ? new Set(columns) : undefined;
  const judged = new Schema(schema.fields.filter((f) => DataType.isUtf8(f.type) && (!wanted || wanted.has(f.name)) && !stubs.has(f.name)));
  if (mode === 'off' || !reader.repeatingColumns || files.length === 0 || judged.fields.length === 0) return schema;
  const key = JSON.stringify([node.format, mode, options, files[0].path, schema.fields.map((f) => [f.name, String(f.type)]), judged.names]);
  let known = dictionaryTypes.get(node.paths);
  if (known?.key !== key) {
    const names = reader.repeatingColumns(files[0].path, options, judged, mode);
    known = { key, types: names.then((list) => new Map(list.map((name) => [name, new Dictionary(new Utf8(), new Int32())]))) };
    dictionaryTypes.set(node.paths, known);
  }
  const types = await known.types;
  if (types.size === 0) return schema;
  return new Schema(schema.fields.map((f) => {
    const type = DataType.isUtf8(f.type) ? types.get(f.name) : undefined;
    return type ? dictionaryEncodedField(f, type) : f;
  }), schema.metadata);
}

/** Files whose schema is inferred concurrently. */
const INFER_CONCURRENCY = 8;
/** Files up to this size are sampled whole for JSON and XML (their `samplingRows` is lifted). */
const SAMPLE_WHOLE_BYTES = 1024 * 1024;
/** Formats whose readers keep any value as text, so a type conflict between files becomes a string column. */
const TEXT_FORMATS = new Set(['csv', 'json', 'xml']);

/**
 * The files' schema, fixed once before any read or split (parallel splits all get it):
 * - no schema given: every file's inferred schema (Parquet/Avro: footer/header; CSV: its head;
 *   JSON/XML: `samplingRows` records, or the whole file when small), merged by mergeSchemas
 *   (columns in first-seen order, int32 → int64 → float64, other conflicts → a choice for CSV and
 *   JSON, text for XML, an error naming both files for Parquet/Avro), with the widenings later
 *   values asked for (exec/widening.ts);
 * - a schema naming every column of the first file: that schema, as given;
 * - for CSV, JSON and XML, a schema naming only some of the columns (a partial schema): the inferred schema with the
 *   named columns' types, in the files' order; named columns the files lack come last.
 * The inference of a scan is remembered on its `paths` array (plan copies share it), so the
 * inline and the parallel preparation of a region infer once.
 */
async function scanSchema(node: ScanNode, files: PartitionedFile[], options: Record<string, unknown>, given: Schema | undefined): Promise<{ schema: Schema; inference?: ScanInference }> {
  if (files.length === 0) return { schema: given ?? new Schema([]) };
  const reader = readerFor(node.format);
  const format = formatDef(node.format).name;
  if (given) {
    // Parquet/Avro carry their own schema: a given one declares widenings and the columns wanted.
    if (!TEXT_FORMATS.has(format)) return { schema: given };
    // Only the first file's column names matter here (a CSV reads just its header for them).
    const first = reader.columnNames ? await reader.columnNames(files[0].path, options) : ((await reader.inferSchema(files[0].path, options)).names as string[]);
    const names = new Set(given.fields.map((f) => f.name));
    const covered = first.every((name) => names.has(name));
    const overlapping = first.some((name) => names.has(name));
    // A schema that names the files' columns, or none of them (positional names), is the schema.
    if (covered || !overlapping) return { schema: given };
    const { schema, key } = await inferAll(node, files, options);
    const overlaid = overlaySchema(schema, given);
    return { schema: overlaid, ...inferenceOf(format, key, schema.fields.filter((f) => !names.has(f.name)).map((f) => f.name)) };
  }
  const { schema, key } = await inferAll(node, files, options);
  return { schema, ...inferenceOf(format, key, schema.fields.map((f) => f.name)) };
}

/** Formats whose readers widen an inferred column on a misfit (XML keeps its misfits as error records). */
const WIDEN_FORMATS = new Set(['csv', 'json']);

const inferenceOf = (format: string, key: string, widenable: string[]) => (WIDEN_FORMATS.has(format) ? { inference: { key, widenable } } : {});

const inferred = new WeakMap<readonly string[], { key: string; schema: Promise<Schema> }>();
/** Widenings the runs of this process have met, by inference key: applied over the inferred schema. */
const widenings = new Map<string, Widening[]>();

/** The inferred schema of a scan's files, with the widenings met so far applied, and its inference key. */
async function inferAll(node: ScanNode, files: PartitionedFile[], options: Record<string, unknown>): Promise<{ schema: Schema; key: string }> {
  const key = JSON.stringify([node.format, options, files.map((f) => f.path)]);
  let known = inferred.get(node.paths);
  if (known?.key !== key) {
    known = { key, schema: inferFiles(node.format, files.map((f) => f.path), options) };
    inferred.set(node.paths, known);
    known.schema.catch(() => inferred.delete(node.paths));
  }
  return { schema: widened(await known.schema, widenings.get(key) ?? []), key };
}

function widened(schema: Schema, list: readonly Widening[]): Schema {
  if (list.length === 0) return schema;
  const fields = schema.fields.map((field) => {
    let type = field.type;
    for (const w of list) if (w.column === field.name) type = mergeDataTypes(type, parseType(w.type));
    return type === field.type ? field : new Field(field.name, type, true, field.metadata);
  });
  return new Schema(fields, schema.metadata);
}

/**
 * Records a widening a reader asked for (its scan key set), so the next preparation of that scan
 * reads the column as the wider type. False when it was recorded already: widening made no
 * progress, and reading again would meet the same misfit.
 */
export function widenScan(widening: Widening): boolean {
  if (!widening.scan) return false;
  const list = widenings.get(widening.scan) ?? [];
  if (list.some((w) => w.column === widening.column && w.type === widening.type)) return false;
  widenings.set(widening.scan, [...list, { column: widening.column, type: widening.type }]);
  return true;
}

/** Tags the WidenSignals of a scan's reads with the scan's inference key. */
export async function* signalsOf<C>(inference: ScanInference | undefined, chunks: AsyncIterable<C>): AsyncGenerator<C> {
  try {
    yield* chunks;
  } catch (error) {
    const widening = wideningOf(error);
    if (widening && inference) widening.scan = inference.key;
    throw error;
  }
}

async function inferFiles(format: string, paths: string[], options: Record<string, unknown>): Promise<Schema> {
  const name = formatDef(format).name;
  const reader = readerFor(format);
  const wholeSmallFiles = (name === 'json' || name === 'xml') && options.samplingRows === undefined;
  const schemas: Schema[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      let fileOptions = options;
      if (wholeSmallFiles && paths.length > 1) {
        const size = (await (await storeFor(paths[i])).stat(paths[i]))?.size;
        if (size !== undefined && size <= SAMPLE_WHOLE_BYTES) fileOptions = { ...options, samplingRows: Number.MAX_SAFE_INTEGER };
      }
      schemas[i] = await reader.inferSchema(paths[i], fileOptions);
    }
  };
  await Promise.all(Array.from({ length: Math.min(INFER_CONCURRENCY, paths.length) }, worker));
  try {
    const merged = mergeSchemas(schemas, TEXT_FORMATS.has(name) ? 'choice' : 'conflict');
    // XML values are text the reader types by the schema: a conflict between files stays text there.
    return name === 'xml' ? choicesAsText(merged) : merged;
  } catch (e) {
    if (!(e instanceof SchemaConflict)) throw e;
    const type = (s: Schema) => s.fields.find((f) => f.name === e.path.split('.')[0]);
    const at = (pick: (s: Schema) => boolean) => paths[schemas.findIndex(pick)];
    const a = at((s) => type(s) !== undefined);
    const b = at((s) => type(s) !== undefined && typeName(type(s)!.type) !== typeName(type(schemas[paths.indexOf(a)])!.type));
    throw new SluiceError(`the ${name} inputs disagree: ${e.message} (${a}, ${b}); give the read a schema, or cast the files to one type`, { file: b });
  }
}

function choicesAsText(schema: Schema): Schema {
  return new Schema(schema.fields.map((f) => (isChoice(f.type) ? new Field(f.name, new Utf8(), true, f.metadata) : f)), schema.metadata);
}

/** A batch with the same number of rows and no columns: all a count needs. */
function withoutColumns(batch: RecordBatch): RecordBatch {
  return rowsOnlyBatch(batch.numRows);
}

/** The given files of a partitioned folder, with the partition columns the whole folder implies. */
async function listFilesUnder(basePath: string, paths: string[]): Promise<{ files: PartitionedFile[]; partitionSchema: Schema }> {
  const wanted = new Set(paths.map((p) => absolutePath(p)));
  const { files, partitionSchema } = await discoverPartitions(basePath);
  return { files: files.filter((f) => wanted.has(f.path)), partitionSchema };
}

/**
 * The files of all paths; folders bring their partition columns, which must agree across paths.
 * With a predicate, a folder is listed level by level and only the partitions the predicate can
 * match are listed (discoverPartitions with partitionFolderFilter).
 */
async function listScanFiles(paths: string[], mode: PathMode = 'auto', predicate?: ExprNode): Promise<{ files: PartitionedFile[]; partitionSchema: Schema; listing?: DiscoveredPartitions['listing'] }> {
  if (paths.length === 0) throw new SluiceError('a read needs at least one path');
  const files: PartitionedFile[] = [];
  let partitionSchema: Schema | undefined;
  let listing: DiscoveredPartitions['listing'];
  const keep = partitionFolderFilter(predicate);
  for (const path of paths) {
    const isFolder = mode !== 'literal' && !(await isLiteralFile(path, mode)) && (await isFolderPath(path));
    const found: DiscoveredPartitions = isFolder
      ? await discoverPartitions(path, keep)
      : { files: (await listInputs(path, mode)).map((p) => ({ path: p, values: [] })), partitionSchema: new Schema([]) };
    const keys = found.partitionSchema.fields.map((f) => f.name).join(', ');
    if (partitionSchema && partitionSchema.fields.map((f) => f.name).join(', ') !== keys) {
      throw new SluiceError(`${path} is partitioned by (${keys}) but the other inputs by (${partitionSchema.fields.map((f) => f.name).join(', ')})`, { file: path });
    }
    partitionSchema ??= found.partitionSchema;
    files.push(...found.files);
    if (found.listing) listing = mergeListings(listing, found.listing);
  }
  return { files, partitionSchema: partitionSchema!, ...(listing ? { listing } : {}) };
}

/** Two paths' pruned listings as one: counts added, the first sample kept. */
function mergeListings(a: DiscoveredPartitions['listing'], b: NonNullable<DiscoveredPartitions['listing']>): NonNullable<DiscoveredPartitions['listing']> {
  if (!a) return b;
  const sample = a.sample ?? b.sample;
  return { foldersPruned: a.foldersPruned + b.foldersPruned, foldersListed: a.foldersListed + b.foldersListed, ...(sample ? { sample } : {}) };
}
