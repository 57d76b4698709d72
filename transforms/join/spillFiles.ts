import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatchReader, Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { takeBatch } from '../../src/columns/take.js';

/** Bytes of IPC a partition buffers before appending them to its file: few, large writes. */
const FLUSH_BYTES = 1024 * 1024;

/** The temp folder of one spilled join, `os.tmpdir()/sluice-join-<uuid>`. */
export class SpillFolder {
  private constructor(readonly path: string) {}

  static async create(): Promise<SpillFolder> {
    const path = join(tmpdir(), `sluice-join-${randomUUID()}`);
    await mkdir(path, { recursive: true });
    return new SpillFolder(path);
  }

  /** Removes the folder and every file in it; safe to call twice. */
  remove(): Promise<void> {
    return rm(this.path, { recursive: true, force: true });
  }
}

/**
 * One side of a join cut into `partitions` files of Arrow IPC (`<side>-<p>.arrow`). Each append
 * is its own IPC stream (schema, dictionaries, batch): a file is a run of streams, which
 * RecordBatchReader.readAll reads back one after the other, and dictionaries never need deltas.
 */
export class PartitionedSpill {
  private readonly pending: Uint8Array[][];
  private readonly pendingBytes: Float64Array;
  private readonly written: Uint8Array;
  bytes = 0;
  rows = 0;

  constructor(private readonly folder: SpillFolder, private readonly side: string, readonly partitions: number) {
    this.pending = Array.from({ length: partitions }, () => []);
    this.pendingBytes = new Float64Array(partitions);
    this.written = new Uint8Array(partitions);
  }

  file(partition: number): string {
    return join(this.folder.path, `${this.side}-${String(partition).padStart(3, '0')}.arrow`);
  }

  /** Sends each row of `batch` to the partition `partitionOfRow[row]` names. */
  async append(batch: RecordBatch, partitionOfRow: Uint16Array): Promise<void> {
    const n = batch.numRows;
    if (n === 0) return;
    // Counting sort of row indices by partition: one take per partition, rows kept in order.
    const starts = new Int32Array(this.partitions + 1);
    for (let i = 0; i < n; i++) starts[partitionOfRow[i] + 1]++;
    for (let p = 0; p < this.partitions; p++) starts[p + 1] += starts[p];
    const order = new Int32Array(n);
    const fill = starts.slice(0, this.partitions);
    for (let i = 0; i < n; i++) order[fill[partitionOfRow[i]]++] = i;
    for (let p = 0; p < this.partitions; p++) {
      const count = starts[p + 1] - starts[p];
      if (count === 0) continue;
      const part = count === n ? batch : takeBatch(batch, order.subarray(starts[p], starts[p + 1]));
      const ipc = tableToIPC(new Table([part]), 'stream');
      this.pending[p].push(ipc);
      this.pendingBytes[p] += ipc.byteLength;
      this.bytes += ipc.byteLength;
      if (this.pendingBytes[p] >= FLUSH_BYTES) await this.flush(p);
    }
    this.rows += n;
  }

  /** Writes what every partition still buffers. */
  async close(): Promise<void> {
    for (let p = 0; p < this.partitions; p++) await this.flush(p);
  }

  /** A partition's batches, read whole (the build side of one partition must fit in memory). */
  async readAll(partition: number): Promise<RecordBatch[]> {
    if (!this.written[partition]) return [];
    const bytes = await readFile(this.file(partition));
    const batches: RecordBatch[] = [];
    for (const reader of RecordBatchReader.readAll(bytes)) for (const batch of reader) batches.push(batch);
    return batches;
  }

  /** A partition's batches streamed from its file (the probe side), in the order they were appended. */
  async *stream(partition: number): AsyncGenerator<RecordBatch> {
    if (!this.written[partition] || !existsSync(this.file(partition))) return;
    for await (const reader of RecordBatchReader.readAll(createReadStream(this.file(partition)))) {
      for await (const batch of reader) yield batch;
    }
  }

  private async flush(partition: number): Promise<void> {
    const chunks = this.pending[partition];
    if (chunks.length === 0) return;
    this.pending[partition] = [];
    this.pendingBytes[partition] = 0;
    this.written[partition] = 1;
    await appendFile(this.file(partition), Buffer.concat(chunks));
  }
}
