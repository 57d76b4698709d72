import { Field, RecordBatch, Schema, Struct, Type, makeData } from 'apache-arrow';
import type { ScanNode } from '../plan/PlanNode.js';
import { checkReadOptions, readerFor } from '../io/formats/registry.js';
import { appendPartitionColumns, discoverPartitions, type PartitionedFile } from '../io/partitioning/discoverPartitions.js';
import { listInputs } from '../io/partitioning/listInputs.js';
import { readUnchanged } from '../io/partitioning/readUnchanged.js';
import { absolutePath } from '../io/store/storePath.js';
import { isLiteralFile, type PathMode } from '../io/partitioning/pathMode.js';
import { isFolderPath } from '../io/store/storeFor.js';
import { schemaFromSpec } from '../types/typeNames.js';
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
  const { files, partitionSchema } = node.basePath !== undefined ? await listFilesUnder(node.basePath, node.paths) : await listScanFiles(node.paths, node.pathMode);
  const partitionNames = new Set(partitionSchema.fields.map((f) => f.name));
  const given = node.schema ? schemaFromSpec(node.schema) : undefined;
  const fileSchema = given ?? (await reader.inferSchema(files[0].path, options));
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
  return {
    schema: new Schema([...projected, ...partitionFields]),
    files,
    async *run(signal?: AbortSignal) {
      for (const file of files) {
        const values = partitionIndex.map((i) => file.values[i]);
        for await (const chunk of readUnchanged(file.path, () => reader.read(file.path, options, { schema: dataSchema, batchSize, columns: readColumns }))) {
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

/** A batch with the same number of rows and no columns: all a count needs. */
function withoutColumns(batch: RecordBatch): RecordBatch {
  const schema = new Schema([]);
  return new RecordBatch(schema, makeData({ type: new Struct([]), length: batch.numRows, nullCount: 0, children: [] }));
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
