import { makeFolder } from '../store/makeFolder.js';
import { dirname } from 'node:path';
import type { RecordBatch, Schema } from 'apache-arrow';
import { batchBytes } from '../../columns/arrowBytes.js';
import { makeBatch, takeBatch } from '../../columns/take.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { WriteResult } from '../formats/Format.js';
import type { ParquetWriteOptions } from '../formats/parquet/parquetWriter.js';
import { writableFormatDef, type WritableFormat } from '../formats/registry.js';
import type { CsvWriteOptions } from '../formats/text/csvWriter.js';
import type { JsonWriteOptions } from '../formats/text/jsonWriter.js';
import { BatchChannel } from './batchChannel.js';
import { StagedOutput } from './commit.js';
import type { SaveMode } from './commit.js';
import { groupRows } from './groupRows.js';
import { partitionPath } from './hivePath.js';
import { checkPartitionKeys } from './partitionKeyNames.js';
import { UnstagedOutput } from './unstagedOutput.js';

export type OutputFormat = WritableFormat;

export interface PartitionedWriteOptions {
  /** Columns whose values name the folders (`year=2024/month=5`); they are left out of the files. */
  partitionKeys?: string[];
  format: OutputFormat;
  writerOptions?: ParquetWriteOptions | CsvWriteOptions | JsonWriteOptions;
  /** Start a new part file once a file holds this many rows (default: no limit). */
  maxRowsPerFile?: number;
  /**
   * Start a new part file before the Arrow bytes of the rows sent to a file would pass this
   * (default: no limit; a file holds at least one row). In-memory Arrow bytes, not file bytes:
   * Parquet encodes and compresses, so files come out smaller — a conservative stand-in.
   */
  maxBytesPerFile?: number;
  /** Files open at once (default 32); past it the least recently written file is finished. */
  maxOpenFiles?: number;
  /** Default 'errorIfExists', as Spark. */
  mode?: SaveMode;
  /** Names the staging folder and the part files; default a random UUID. */
  jobRunId?: string;
  /** Stage the files but do not publish them (see StagedOutputOptions.deferCommit). */
  deferCommit?: boolean;
  /** Write the part files straight under `root`, for a caller that owns the commit (see UnstagedOutput). */
  unstaged?: boolean;
}

export interface PartitionedWriteResult extends WriteResult {
  /** Partition folders written, relative to the root (`''` when unpartitioned), sorted. */
  partitions: string[];
}

/**
 * In the batches a writer is given: the end of one Spark task's rows (a partition of
 * `repartition(n)`): every open file is finished, so the next rows start new part files.
 */
export const TASK_END = Symbol('sluice.taskEnd');

/** One part file being written: a FormatWriter pulling from a channel the splitter pushes to. */
interface OpenFile {
  staged: string;
  channel: BatchChannel;
  done: Promise<WriteResult>;
  rows: number;
  /** Arrow bytes of the rows sent so far (see maxBytesPerFile). */
  arrowBytes: number;
}

/**
 * Writes batches as Hive-partitioned part files under `root` (`root/k=v/…/part-00000-<id>.ext`),
 * with the commit protocol of commit.ts (unless `unstaged`): files are staged beside the root (`.<name>.sluice-staging/<jobRunId>`) and
 * published through a manifest, then `_SUCCESS`, only when every file is written; on failure nothing is.
 *
 * Each batch is split by its key values (see `groupRows`): one `takeBatch` (the columns/ take
 * kernel) lays its rows out group after group, and each group's rows are a slice of that. One
 * writer per open partition streams its file; at most `maxOpenFiles` are open, and a partition
 * met again after its file was finished gets a new part file.
 */
export async function writePartitioned(
  batches: AsyncIterable<RecordBatch | typeof TASK_END>,
  root: string,
  options: PartitionedWriteOptions,
): Promise<PartitionedWriteResult> {
  const format = writableFormatDef(options.format).write;
  const keys = options.partitionKeys ?? [];
  checkPartitionKeys(keys);
  const maxRows = options.maxRowsPerFile ?? Infinity;
  const maxOpen = Math.max(1, options.maxOpenFiles ?? 32);
  const mode = options.mode ?? 'errorIfExists';
  const maxBytes = options.maxBytesPerFile ?? Infinity;
  if (!(maxRows >= 1)) throw new SluiceError(`maxRowsPerFile must be at least 1, got ${options.maxRowsPerFile}`);
  if (!(maxBytes >= 1)) throw new SluiceError(`maxBytesPerFile must be at least 1 byte, got ${options.maxBytesPerFile}`);

  const output = options.unstaged
    ? new UnstagedOutput(root, options.jobRunId)
    : new StagedOutput(root, options.jobRunId, { deferCommit: options.deferCommit });
  await output.begin(mode);
  // Insertion order of the Map is the recency order: a file is moved to the end when written.
  const open = new Map<string, OpenFile>();
  const staged: string[] = [];
  const partitions = new Set<string>();
  let fileNumber = 0;
  let rows = 0;
  let bytes = 0;

  const finish = async (partition: string) => {
    const file = open.get(partition)!;
    open.delete(partition);
    file.channel.close();
    const result = await file.done;
    bytes += result.bytes;
    output.fileWritten(file.staged);
  };

  const openFile = async (partition: string): Promise<OpenFile> => {
    if (open.size >= maxOpen) await finish(open.keys().next().value!);
    const name = `part-${String(fileNumber++).padStart(5, '0')}-${output.jobRunId}.${format.extension}`;
    const path = output.stagedPath(partition ? `${partition}/${name}` : name);
    await makeFolder(dirname(path));
    const channel = new BatchChannel();
    const done = format.writer.write(channel, path, (options.writerOptions ?? {}) as never);
    done.catch(() => undefined); // observed in finish / on failure
    const file = { staged: path, channel, done, rows: 0, arrowBytes: 0 };
    staged.push(path);
    partitions.add(partition);
    return file;
  };

  const writeRows = async (partition: string, batch: RecordBatch) => {
    // Rows are cut by the batch's average row size: exact for fixed-width columns.
    const rowBytes = maxBytes === Infinity ? 0 : batchBytes(batch) / batch.numRows;
    for (let start = 0; start < batch.numRows; ) {
      let file = open.get(partition);
      if (file) open.delete(partition);
      file ??= await openFile(partition);
      open.set(partition, file);
      const byteRoom = rowBytes > 0 ? Math.max(1, Math.floor((maxBytes - file.arrowBytes) / rowBytes + 1e-9)) : Infinity;
      const take = Math.min(batch.numRows - start, maxRows - file.rows, byteRoom);
      const part = take === batch.numRows ? batch : batch.slice(start, start + take);
      // A writer that fails stops pulling: race so the failure surfaces instead of a hang.
      await Promise.race([file.channel.push(part), file.done.then(() => { throw new SluiceError(`Writer of ${file.staged} stopped early`); })]);
      file.rows += take;
      file.arrowBytes += take * rowBytes;
      start += take;
      if (file.rows >= maxRows || file.arrowBytes + rowBytes > maxBytes) await finish(partition);
    }
  };

  try {
    let layout: { keyColumns: number[]; dataColumns: number[]; dataSchema: Schema } | undefined;
    for await (const batch of batches) {
      if (batch === TASK_END) {
        while (open.size > 0) await finish(open.keys().next().value!);
        continue;
      }
      layout ??= splitLayout(batch.schema, keys);
      if (batch.numRows === 0) continue;
      rows += batch.numRows;
      const data = makeBatch(layout.dataSchema, layout.dataColumns.map((c) => batch.data.children[c]), batch.numRows);
      if (keys.length === 0) {
        await writeRows('', data);
        continue;
      }
      const { order, groups } = groupRows(batch, layout.keyColumns);
      // One gather puts each group's rows together (none when they already are: input ordered
      // by the partition columns); the groups are slices of it, not a gather each.
      const sorted = groups.length === 1 || isIdentity(order) ? data : takeBatch(data, order);
      for (const group of groups) {
        const part = groups.length === 1 ? data : sorted.slice(group.start, group.start + group.indices.length);
        await writeRows(partitionPath(keys, group.values), part);
      }
    }
    while (open.size > 0) await finish(open.keys().next().value!);
    const files = await output.commit(staged, mode);
    return { rows, bytes, files, partitions: [...partitions].sort() };
  } catch (error) {
    for (const file of open.values()) file.channel.fail(error);
    await Promise.allSettled([...open.values()].map((file) => file.done));
    await output.abort();
    throw error;
  }
}

/** Part files of unpartitioned data into the `root` folder, with the same commit protocol. */
export function writeFiles(
  batches: AsyncIterable<RecordBatch>,
  root: string,
  options: Omit<PartitionedWriteOptions, 'partitionKeys'>,
): Promise<PartitionedWriteResult> {
  return writePartitioned(batches, root, { ...options, partitionKeys: [] });
}

/** True when `order` lists 0, 1, 2, …: stops at the first row out of place. */
function isIdentity(order: Int32Array): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

function splitLayout(schema: Schema, keys: string[]) {
  const names = schema.names as string[];
  const missing = keys.filter((key) => !names.includes(key));
  if (missing.length) throw new SluiceError(`Partition column(s) ${missing.join(', ')} not in the data (columns: ${names.join(', ')})`);
  const keyColumns = keys.map((key) => names.indexOf(key));
  const dataColumns = names.map((_, i) => i).filter((i) => !keyColumns.includes(i));
  if (dataColumns.length === 0) throw new SluiceError('Every column is a partition column: nothing would be left to write in the files');
  const dataSchema = schema.select(dataColumns.map((i) => names[i]));
  return { keyColumns, dataColumns, dataSchema };
}
