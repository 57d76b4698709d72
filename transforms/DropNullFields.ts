import { Schema, Type, type Data, type Field } from 'apache-arrow';
import type { Chunk, ChunkStream, PreparedKernel, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch } from '../src/columns/take.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/**
 * Glue's DropNullFields: drops the top-level columns that are null in every row. Which columns
 * those are depends on the values, so the executor runs the input to the end while preparing
 * (`prepareWithData`) and this replays the buffered batches without the dropped columns. An
 * input with no rows keeps all its columns. Without the data (`prepare`), only columns of the
 * Null type are known to be empty.
 */
export const dropNullFieldsKernel: TransformKernel<Record<string, never>> = {
  name: 'DropNullFields',
  prepare([input]) {
    const keep = input.fields.map((f) => f.type.typeId !== Type.Null);
    return dropping(input, keep, (streams) => streams[0]);
  },
  prepareWithData([input]) {
    const rows = input.chunks.reduce((n, c) => n + c.batch.numRows, 0);
    const keep = input.schema.fields.map((_f, i) => rows === 0 || input.chunks.some((c) => hasValue(c.batch.data.children[i] as Data)));
    return dropping(input.schema, keep, () => replay(input.chunks));
  },
};

const hasValue = (data: Data): boolean => data.type.typeId !== Type.Null && data.nullCount < data.length;

function dropping(input: Schema, keep: boolean[], source: (streams: ChunkStream[]) => ChunkStream): PreparedKernel {
  const kept: Field[] = input.fields.filter((_f, i) => keep[i]);
  const schema = new Schema(kept, input.metadata);
  return {
    schema,
    async *run(streams) {
      for await (const chunk of source(streams)) {
        const columns = (chunk.batch.data.children as Data[]).filter((_c, i) => keep[i]);
        yield { batch: makeBatch(schema, columns, chunk.batch.numRows), errors: chunk.errors };
      }
    },
  };
}

async function* replay(chunks: Chunk[]): ChunkStream {
  yield* chunks;
}

export const DropNullFields = defineTransform({
  name: 'DropNullFields',
  description: "Glue's DropNullFields: drops the top-level columns that are null in every row. It reads its whole input before its output schema is known; an input with no rows keeps all its columns.",
  inputs: 'one',
  params: { properties: {} },
  example: {},
  kernel: dropNullFieldsKernel,
  apply(args: { frame: DataFrame<Row> } & TransformInfo): DataFrame<Row> {
    return args.frame.derive('DropNullFields', {}, [], args);
  },
});
