import type { Schema } from 'apache-arrow';
import { ChunkBuffer, chunkBufferBytes } from './chunkBuffer.js';
import type { PreparedPlan } from './execute.js';
import type { ChunkStream } from './Kernel.js';
import { withWidening } from './widening.js';

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
export async function settledStream(prepare: () => Promise<PreparedPlan>, bufferBytes = chunkBufferBytes()): Promise<{ schema: Schema; chunks: ChunkStream }> {
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
