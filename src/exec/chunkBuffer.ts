import { randomUUID } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, RecordBatchReader, Struct, Table, makeData, tableToIPC, type Schema } from 'apache-arrow';
import { batchBytes } from '../columns/arrowBytes.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import type { Chunk, ChunkStream } from './Kernel.js';

/** What a buffer holds in memory before it spills batches to a temp file: 64 MiB, or env SLUICE_BUFFER_BYTES. */
export function chunkBufferBytes(): number {
  const fromEnv = Number(process.env.SLUICE_BUFFER_BYTES);
  return Number.isFinite(fromEnv) && fromEnv >= 0 && process.env.SLUICE_BUFFER_BYTES !== '' ? fromEnv : 64 * 1024 * 1024;
}

/** A chunk as buffered: its batch in memory, or the next batch of the spill file; its errors stay in memory. */
type Entry = { batch: RecordBatch; errors: ErrorRecord[] } | { spilled: true; errors: ErrorRecord[] };

/**
 * Chunks in arrival order: in memory up to a byte budget, then batches appended to a temp Arrow
 * IPC file (errors stay in memory). `replay()` hands them back once, in order, and removes the
 * file when it ends or is left; `discard()` removes it unread. Used where a step must see its
 * whole input before it can hand anything on (a stream settling its schema, Unbox inferring a type).
 */
export class ChunkBuffer {
  private readonly entries: Entry[] = [];
  private bytes = 0;
  /** Rows pushed so far. */
  rows = 0;
  private file?: string;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(private readonly budget: number, private readonly schema: Schema) {}

  async push({ batch, errors }: Chunk): Promise<void> {
    this.rows += batch.numRows;
    const size = batchBytes(batch);
    if (batch.numRows === 0 || (this.file === undefined && this.bytes + size <= this.budget)) {
      this.entries.push({ batch, errors });
      this.bytes += size;
      return;
    }
    if (this.file === undefined) {
      this.file = spillFile();
      finalizer.register(this, this.file, this);
    }
    // Each batch is its own IPC stream: the file is a run of streams, read back one after another.
    const ipc = tableToIPC(new Table([batch]), 'stream');
    this.pending.push(ipc);
    this.pendingBytes += ipc.byteLength;
    this.entries.push({ spilled: true, errors });
    if (this.pendingBytes >= 1024 * 1024) await this.flush();
  }

  /** Writes what is still pending to the spill file; call once the last chunk is pushed. */
  async flush(): Promise<void> {
    if (!this.file || this.pending.length === 0) return;
    const data = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await appendFile(this.file, data);
  }

  async discard(): Promise<void> {
    finalizer.unregister(this);
    if (this.file) await removeSpill(this.file);
  }

  async *replay(): ChunkStream {
    const file = this.file;
    finalizer.unregister(this);
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

/** A buffer dropped unreplayed (a schema() that prepared an Unbox) removes its file when collected. */
const finalizer = new FinalizationRegistry<string>((file) => void removeSpill(file));

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
