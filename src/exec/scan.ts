import { Field, RecordBatch, Schema, Type } from 'apache-arrow';
import { rowsOnlyBatch } from '../columns/makeBatch.js';
import { nodeLabel, type ScanNode } from '../plan/PlanNode.js';
import { prunePartitions } from './prunePartitions.js';
import { checkReadOptions, readerFor } from '../io/formats/registry.js';
import { appendPartitionColumns, discoverPartitions, type PartitionedFile } from '../io/partitioning/discoverPartitions.js';
import { listInputs } from '../io/partitioning/listInputs.js';
import { readUnchanged } from '../io/partitioning/readUnchanged.js';
import { absolutePath } from '../io/store/storePath.js';
import { isLiteralFile, type PathMode } from '../io/partitioning/pathMode.js';
import { isFolderPath } from '../io/store/storeFor.js';
import { schemaFromSpec, typeName } from '../types/typeNames.js';
import { mergeSchemas, overlaySchema, SchemaConflict } from '../types/mergeSchemas.js';
import { formatDef } from '../io/formats/registry.js';
import { storeFor } from '../io/store/storeFor.js';
import { SluiceError } from '../types/ErrorRecord.js';
import type { ChunkStream } from './Kernel.js';
import { currentProgress } from './progress.js';

export interface PreparedScan {
  schema: Schema;
  files: PartitionedFile[];
  run(signal?: AbortSignal): ChunkStream;
}

/**
 * Binds a scan: lists its files (folders recursively, with Hive `k=v` segments as partition
 * columns), and fixes the schema — the given one, or the first file's inferred one — followed by
 * the partition columns. Partition columns a given schema names as int32/int64/string keep that type.
 */
export async function prepareScan(node: ScanNode): Promise<PreparedScan> {
  const reader = readerFor(node.format);
  const options = node.formatOptions ?? {};
  // Plans may be built without readFrame (JSON, bookmarks): the options are checked here too.
  checkReadOptions(node.format, options);
  const listed = node.files
    ? { files: node.files, partitionSchema: schemaFromSpec(node.partitionKeys ?? {}) }
    : node.basePath !== undefined ? await listFilesUnder(node.basePath, node.paths) : await listScanFiles(node.paths, node.pathMode);
  const { partitionSchema } = listed;
  const label = nodeLabel(node);
  const pruned = prunePartitions(listed.files, partitionSchema, node.predicate);
  if (node.predicate && partitionSchema.fields.length) currentProgress()?.partitionsPruned(label, pruned.partitions, pruned.partitionsSkipped);
  const files = pruned.files;
  const partitionNames = new Set(partitionSchema.fields.map((f) => f.name));
  const given = node.schema ? schemaFromSpec(node.schema) : undefined;
  // With every partition pruned, the schema still comes from a listed file (the plan above needs its columns).
  const fileSchema = await scanSchema(node, files.length ? files : listed.files.slice(0, 1), options, given);
  const dataSchema = new Schema(fileSchema.fields.filter((f) => !partitionNames.has(f.name)));
  const allPartitionFields = partitionSchema.fields.map((f) => {
    const declared = given?.fields.find((g) => g.name === f.name);
    return declared && [Type.Int, Type.Utf8].includes(declared.type.typeId) ? new Field(f.name, declared.type, true) : f;
  });
  // Projection: keep the wanted columns; with none wanted (a count), read the first data column
  // for its row counts and hand on batches without columns.
  const wanted = node.columns ? new Set(node.columns) : undefined;
  const projected = wanted ? dataSchema.fields.filter((f) => wanted.has(f.name)) : dataSchema.fields;
  const partitionFields = wanted ? allPartitionFields.filter((f) => wanted.has(f.name)) : allPartitionFields;
  const rowsOnly = wanted !== undefined && projected.length === 0 && partitionFields.length === 0;
  const readColumns = wanted ? (rowsOnly ? dataSchema.fields.slice(0, 1) : projected).map((f) => f.name) : undefined;
  const partitions = new Schema(partitionFields);
  const partitionIndex = partitionFields.map((f) => allPartitionFields.indexOf(f));
  const batchSize = typeof options.batchSize === 'number' ? options.batchSize : undefined;
  const pushed = node.predicate ? { predicate: node.predicate, onPruned: (skipped: number, read: number) => currentProgress()?.rowGroupsPruned(label, skipped, read) } : {};
  return {
    schema: new Schema([...projected, ...partitionFields]),
    files,
    async *run(signal?: AbortSignal) {
      for (const file of files) {
        const values = partitionIndex.map((i) => file.values[i]);
        for await (const chunk of readUnchanged(file.path, () => reader.read(file.path, options, { schema: dataSchema, batchSize, columns: readColumns, ...pushed }))) {
          signal?.throwIfAborted();
          let batch = chunk.batch;
          if (rowsOnly) batch = withoutColumns(batch);
          else if (partitionFields.length) batch = appendPartitionColumns(batch, partitions, values);
          yield { batch, errors: chunk.errors };
        }
        currentProgress()?.fileRead(file.path);
      }
    },
  };
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
 *   (columns in first-seen order, int32 → int64 → float64, other conflicts → string for text
 *   formats, an error naming both files for Parquet/Avro);
 * - a schema naming every column of the first file: that schema, as given;
 * - for CSV, JSON and XML, a schema naming only some of the columns (a partial schema): the inferred schema with the
 *   named columns' types, in the files' order; named columns the files lack come last.
 * The inference of a scan is remembered on its `paths` array (plan copies share it), so the
 * inline and the parallel preparation of a region infer once.
 */
async function scanSchema(node: ScanNode, files: PartitionedFile[], options: Record<string, unknown>, given: Schema | undefined): Promise<Schema> {
  if (files.length === 0) return given ?? new Schema([]);
  const reader = readerFor(node.format);
  if (given) {
    // Parquet/Avro carry their own schema: a given one declares widenings and the columns wanted.
    if (!TEXT_FORMATS.has(formatDef(node.format).name)) return given;
    // Only the first file's column names matter here (a CSV reads just its header for them).
    const first = reader.columnNames ? await reader.columnNames(files[0].path, options) : ((await reader.inferSchema(files[0].path, options)).names as string[]);
    const names = new Set(given.fields.map((f) => f.name));
    const covered = first.every((name) => names.has(name));
    const overlapping = first.some((name) => names.has(name));
    // A schema that names the files' columns, or none of them (positional names), is the schema.
    if (covered || !overlapping) return given;
    return overlaySchema(await inferAll(node, files, options), given);
  }
  return inferAll(node, files, options);
}

const inferred = new WeakMap<readonly string[], { key: string; schema: Promise<Schema> }>();

function inferAll(node: ScanNode, files: PartitionedFile[], options: Record<string, unknown>): Promise<Schema> {
  const key = JSON.stringify([node.format, options, files.map((f) => f.path)]);
  const known = inferred.get(node.paths);
  if (known?.key === key) return known.schema;
  const schema = inferFiles(node.format, files.map((f) => f.path), options);
  inferred.set(node.paths, { key, schema });
  schema.catch(() => inferred.delete(node.paths));
  return schema;
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
    return mergeSchemas(schemas, TEXT_FORMATS.has(name) ? 'string' : 'conflict');
  } catch (e) {
    if (!(e instanceof SchemaConflict)) throw e;
    const type = (s: Schema) => s.fields.find((f) => f.name === e.path.split('.')[0]);
    const at = (pick: (s: Schema) => boolean) => paths[schemas.findIndex(pick)];
    const a = at((s) => type(s) !== undefined);
    const b = at((s) => type(s) !== undefined && typeName(type(s)!.type) !== typeName(type(schemas[paths.indexOf(a)])!.type));
    throw new SluiceError(`the ${name} inputs disagree: ${e.message} (${a}, ${b}); give the read a schema, or cast the files to one type`, { file: b });
  }
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

/** The files of all paths; folders bring their partition columns, which must agree across paths. */
async function listScanFiles(paths: string[], mode: PathMode = 'auto'): Promise<{ files: PartitionedFile[]; partitionSchema: Schema }> {
  if (paths.length === 0) throw new SluiceError('a read needs at least one path');
  const files: PartitionedFile[] = [];
  let partitionSchema: Schema | undefined;
  for (const path of paths) {
    const isFolder = mode !== 'literal' && !(await isLiteralFile(path, mode)) && (await isFolderPath(path));
    const found = isFolder
      ? await discoverPartitions(path)
      : { files: (await listInputs(path, mode)).map((p) => ({ path: p, values: [] })), partitionSchema: new Schema([]) };
    const keys = found.partitionSchema.fields.map((f) => f.name).join(', ');
    if (partitionSchema && partitionSchema.fields.map((f) => f.name).join(', ') !== keys) {
      throw new SluiceError(`${path} is partitioned by (${keys}) but the other inputs by (${partitionSchema.fields.map((f) => f.name).join(', ')})`, { file: path });
    }
    partitionSchema ??= found.partitionSchema;
    files.push(...found.files);
  }
  return { files, partitionSchema: partitionSchema! };
}
