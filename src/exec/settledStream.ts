import { randomUUID } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, RecordBatchReader, Struct, Table, makeData, tableToIPC, type Schema } from 'apache-arrow';
import { batchBytes } from '../columns/arrowBytes.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import type { PreparedPlan } from './execute.js';
import type { Chunk, ChunkStream } from './Kernel.js';
import { withWidening } from './widening.js';

/** What a settled stream holds in memory before it spills batches to a temp file. */
export const STREAM_BUFFER_BYTES = 64 * 1024 * 1024;

/**
 * A stream whose schema cannot change under its reader (DataFrame.stream). When a CSV/JSON scan
 * below may still widen a column (PreparedPlan.mayWiden), the run goes to its end before the
 * first batch is handed out: its chunks are kept in memory up to `bufferBytes`, the rest in a
 * temp Arrow IPC file; a widen signal drops them and runs again with the wider type
 * (withWidening). So a stream never yields two schemas and never loses a row, at the price of
 * latency and one IPC write and read beyond the buffer. A plan that cannot widen (Parquet, Avro,
 * declared schemas, values) streams as it runs. The temp file is removed when the stream ends,
 * is abandoned by `return()`/`break`, or the process exits.
 */
export async function settledStream(prepare: () => Promise<PreparedPlan>, bufferBytes = STREAM_BUFFER_BYTES): Promise<{ schema: Schema; chunks: ChunkStream }> {
  let prepared: PreparedPlan | undefined = await withWidening(prepare);
  if (!prepared.mayWiden) return { schema: prepared.schema, chunks: prepared.run() };
  return withWidening(async () => {
    const plan = prepared ?? (await prepare());
    prepared = undefined; // a retry prepares again, with the wider schema
    const buffer = new ChunkBuffer(bufferBytes, plan.schema);
    try {
      for await (const chunk of plan.run()) await buffer.push(chunk);
      await buffer.flush();
    } catch (error) {
      await buffer.discard();
      throw error;
    }
    return { schema: plan.schema, chunks: buffer.replay() };
  });
}

/** A chunk as buffered: its batch in memory, or the next batch of the spill file; its errors stay in memory. */
type Entry = { batch: RecordBatch; errors: ErrorRecord[] } | { spilled: true; errors: ErrorRecord[] };

/** Chunks in arrival order: in memory up to a byte budget, then batches appended to a temp IPC file. */
class ChunkBuffer {
  private readonly entries: Entry[] = [];
  private bytes = 0;
  private file?: string;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly budget: number, private readonly schema: Schema) {}

  async push({ batch, errors }: Chunk): Promise<void> {
    const size = batchBytes(batch);
    if (batch.numRows === 0 || (this.file === undefined && this.bytes + size <= this.budget)) {
      this.entries.push({ batch, errors });
      this.bytes += size;
      return;
    }
    this.file ??= spillFile();
    // Each batch is its own IPC stream: the file is a run of streams, read back one after another.
    const ipc = tableToIPC(new Table([batch]), 'stream');
    this.pending.push(ipc);
    this.pendingBytes += ipc.byteLength;
    this.entries.push({ spilled: true, errors });
    if (this.pendingBytes >= 1024 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.file || this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await appendFile(this.file, data);
  }

  async discard(): Promise<void> {
    if (this.file) await removeSpill(this.file);
  }

  async *replay(): ChunkStream {
    const file = this.file;
    try {
      const spilled = file ? spilledBatches(file) : undefined;
      for (const entry of this.entries) {
        if ('batch' in entry) {
          yield entry;
          continue;
        }
        const next = await spilled!.next();
        if (next.done) throw new Error(`stream buffer ${file}: fewer batches than were written`);
        // IPC gives its own schema object (metadata, nullability): the stream's batches all carry the stream's.
        const data = makeData({ type: new Struct(this.schema.fields), length: next.value.numRows, nullCount: 0, children: next.value.data.children });
        yield { batch: new RecordBatch(this.schema, data), errors: entry.errors };
      }
    } finally {
      if (file) await removeSpill(file);
    }
  }
}

async function* spilledBatches(file: string): AsyncGenerator<RecordBatch> {
  for await (const reader of RecordBatchReader.readAll(createReadStream(file))) {
    for await (const batch of reader) yield batch;
  }
}

/** Spill files not yet removed: an abandoned stream's file goes when the process exits. */
const liveSpills = new Set<string>();
let exitHook = false;

function spillFile(): string {
  const file = join(tmpdir(), `sluice-stream-${randomUUID()}.arrow`);
  liveSpills.add(file);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const f of liveSpills) rmSync(f, { force: true });
    });
  }
  return file;
}

async function removeSpill(file: string): Promise<void> {
  liveSpills.delete(file);
  await rm(file, { force: true });
}
