import type { RecordBatch, Schema } from 'apache-arrow';
import type { ErrorRecord } from '../types/ErrorRecord.js';

/** One step of a running plan: a batch (possibly 0 rows) and the error records raised with it. */
export interface Chunk {
  batch: RecordBatch;
  errors: ErrorRecord[];
}

export type ChunkStream = AsyncIterable<Chunk>;

/** What a transform knows while it runs. */
export interface KernelContext {
  /** The node's label (transformation ctx or transform name), for error records. */
  label: string;
  signal?: AbortSignal;
  /** The split this stream reads in a parallel run (absent: the plan runs in one piece); rand() seeds by it. */
  partition?: number;
}

/** A transform bound to its input schemas: the output schema, and how to turn inputs into output. */
export interface PreparedKernel {
  schema: Schema;
  run(inputs: ChunkStream[], ctx: KernelContext): ChunkStream;
  /** Whether its output may still widen while it runs (default: when an input's may). Parallel regions say so for their scan. */
  mayWiden?: boolean;
}

/**
 * The implementation of a named transform. `prepare` checks the parameters against the input
 * schemas (so a bad column name fails before any data is read) and fixes the output schema.
 */
export interface TransformKernel<P = Record<string, unknown>> {
  name: string;
  prepare(inputs: Schema[], params: P): PreparedKernel;
  /**
   * Only for transforms whose output schema depends on the values (DropNullFields): when set,
   * the executor runs the inputs to the end while preparing and calls this instead of `prepare`.
   * It may be async (Map without a schema loads and calls its row function to infer one).
   */
  prepareWithData?(inputs: CollectedInput[], params: P): PreparedKernel | Promise<PreparedKernel>;
  /**
   * As `prepareWithData`, for a transform that keeps its input off the heap (Unbox without a
   * declared type): it is handed its inputs unrun and runs them itself (once, buffering as it
   * likes: src/exec/chunkBuffer.ts) before it knows its output schema. The streams its `run` is
   * given are fresh runs of the same inputs, for a second run of the prepared kernel.
   */
  prepareWithInputs?(inputs: RunnableInput[], params: P): Promise<PreparedKernel>;
  /**
   * When set, whether these params need `prepareWithData` (Map needs the data only when no
   * output schema is declared). Absent: a kernel with `prepareWithData` always needs it.
   */
  needsData?(params: P): boolean;
}

/** An input a kernel may run itself (prepareWithInputs): its schema, and a fresh stream per `run()`. */
export interface RunnableInput {
  schema: Schema;
  run(): ChunkStream;
}

/** An input run to the end: its schema and every chunk it produced. */
export interface CollectedInput {
  schema: Schema;
  chunks: Chunk[];
}

/** Helper for streaming transforms: applies `fn` to every batch, passing upstream errors along. */
export async function* mapChunks(input: ChunkStream, fn: (batch: RecordBatch) => { batch: RecordBatch; errors?: ErrorRecord[] } | RecordBatch): ChunkStream {
  for await (const chunk of input) {
    const out = fn(chunk.batch);
    if ('batch' in out && !('numRows' in out)) {
      const errors = out.errors?.length ? [...chunk.errors, ...out.errors] : chunk.errors;
      yield { batch: out.batch, errors };
    } else yield { batch: out as RecordBatch, errors: chunk.errors };
  }
}
