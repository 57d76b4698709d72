import { Schema, type RecordBatch } from 'apache-arrow';
import { writeUnstaged } from './writeUnstaged.js';
import { SluiceError, type ErrorRecord } from '../../types/ErrorRecord.js';
import type { ChunkStream, TransformKernel } from '../Kernel.js';
import type { TransformDef } from '../../plan/TransformDef.js';
import { batchFromIpc, batchToIpc, schemaFromIpc } from './arrowWire.js';
import { readSplit } from './splitReader.js';
import { TaskCancelled, taskFailure, type Broadcast, type RegionTask, type TaskResult, type TaskSuccess } from './task.js';
import { installedTransforms } from '../../plan/installedTransforms.js';
import { loadModuleUdfs } from '../../expr/moduleUdf.js';

/**
 * What a thread runs per task — a worker's (src/workers/splitWorker.ts is the thread's entry: it
 * loads the transform definitions, which functions cannot be sent, and moves the result back), or
 * the driver's own while the workers run the other splits (dispatch.ts): reads one split, streams
 * it batch by batch through the plan fragment, and returns IPC batches, a partial aggregation
 * state, or the list of part files it staged. Failures come back as data so the driver keeps the
 * error's class and details (file, line…). `transfer` collects the typed arrays of a partial state,
 * which a worker moves rather than copies.
 */
export async function runRegionTaskHere(task: RegionTask, transfer: ArrayBufferView[] = []): Promise<TaskResult> {
  try {
    return await run(task, transfer);
  } catch (error) {
    return taskFailure(error);
  }
}

/** Runs the task; `transfer` collects the typed arrays of a partial state, to move rather than copy. */
async function run(task: RegionTask, transfer: ArrayBufferView[]): Promise<TaskSuccess> {
  const flag = new Int32Array(task.cancel);
  const checkCancelled = () => {
    if (Atomics.load(flag, 0) !== 0) throw new TaskCancelled();
  };
  checkCancelled();
  // UDFs from modules that the steps call: imported by this thread before any kernel evaluates.
  await loadModuleUdfs([task.steps, task.partial, task.scan]);
  const dataSchema = schemaFromIpc(task.scan.dataSchema);
  const partitionSchema = schemaFromIpc(task.scan.partitionSchema);
  const stageErrors = new Array<number>(task.steps.length + 1).fill(0);
  const rowGroups = { skipped: 0, read: 0 };
  const onPruned = (skipped: number, read: number) => {
    rowGroups.skipped += skipped;
    rowGroups.read += read;
  };
  const scan = { ...task.scan, dataSchema, partitionSchema, onPruned };
  const pruned = () => (task.scan.predicate && rowGroups.skipped + rowGroups.read > 0 ? { rowGroups } : {});
  const given = task.scan.givenColumns ?? task.scan.readColumns;
  const read = given ? dataSchema.fields.filter((f) => given.includes(f.name)) : dataSchema.fields;
  let schema = new Schema(task.scan.rowsOnly ? [] : [...read, ...partitionSchema.fields]);
  let stream = tagged(readSplit(task.split, scan, checkCancelled, task.rangeBoundaries), task.scan.label, stageErrors, 0);
  task.steps.forEach((step, k) => {
    const kernel = definition(step.name).kernel as TransformKernel<Record<string, unknown>>;
    const build = step.broadcast ? broadcastBatch(step.broadcast) : undefined;
    let prepared;
    try {
      prepared = kernel.prepare(build ? [schema, build.schema] : [schema], step.params);
    } catch (e) {
      throw e instanceof SluiceError ? new SluiceError(`${step.label}: ${e.message}`, e.details) : e;
    }
    const inputs = build ? [stream, once(build)] : [stream];
    stream = tagged(prepared.run(inputs, { label: step.label, partition: task.split.index }), step.label, stageErrors, k + 1);
    schema = prepared.schema;
  });

  if (task.mode === 'partial') {
    const { transform, params } = task.partial!;
    const partial = definition(transform).partial;
    if (!partial) throw new SluiceError(`transform '${transform}' has no partial form`);
    const accumulator = partial.bind(schema, params).start();
    const errors: ErrorRecord[] = [];
    for await (const chunk of stream) {
      accumulator.add(chunk.batch);
      errors.push(...chunk.errors);
    }
    const saved = accumulator.save();
    transfer.push(...saved.transfer);
    return { ok: true, stageErrors, partial: saved.state, errors, ...pruned() };
  }
  if (task.mode === 'write') {
    const target = task.write!;
    const errors: ErrorRecord[] = [];
    const written = await writeUnstaged(batchesOf(stream, errors), target);
    return { ok: true, stageErrors, errors, written, ...pruned() };
  }
  const chunks: NonNullable<TaskSuccess['chunks']> = [];
  for await (const chunk of stream) {
    if (chunk.batch.numRows === 0 && chunk.errors.length === 0) continue;
    chunks.push({ batch: chunk.batch.numRows > 0 ? batchToIpc(chunk.batch) : null, errors: chunk.errors });
  }
  return { ok: true, stageErrors, chunks, ...pruned() };
}

function definition(name: string): TransformDef<Record<string, unknown>> {
  const def = installedTransforms().get(name) as TransformDef<Record<string, unknown>> | undefined;
  if (!def) throw new SluiceError(`unknown transform '${name}' in a worker`);
  return def;
}

/** As the inline executor's withThresholds: new error records get the node's label, and are counted. */
async function* tagged(stream: ChunkStream, label: string, counts: number[], index: number): ChunkStream {
  for await (const chunk of stream) {
    for (const e of chunk.errors) {
      if (!e.node) {
        e.node = label;
        counts[index]++;
      }
    }
    yield chunk;
  }
}

async function* batchesOf(stream: ChunkStream, errors: ErrorRecord[]): AsyncIterable<RecordBatch> {
  for await (const chunk of stream) {
    errors.push(...chunk.errors);
    if (chunk.batch.numRows > 0) yield chunk.batch;
  }
}

async function* once(batch: RecordBatch): ChunkStream {
  yield { batch, errors: [] };
}

/**
 * Decoded broadcasts of this thread, by id: a worker runs many splits of one join, and decoding
 * is zero-copy views over the shared buffer, so keeping the last two costs no memory of its own.
 */
const decoded = new Map<string, RecordBatch>();

function broadcastBatch(broadcast: Broadcast): RecordBatch {
  let batch = decoded.get(broadcast.id);
  if (!batch) {
    batch = batchFromIpc(new Uint8Array(broadcast.buffer, 0, broadcast.byteLength));
    decoded.set(broadcast.id, batch);
    if (decoded.size > 2) decoded.delete(decoded.keys().next().value!);
  }
  return batch;
}
