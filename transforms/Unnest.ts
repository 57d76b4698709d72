import { Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch } from '../src/columns/take.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { unnestData, unnestFields } from './nested/unnestColumns.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export const unnestKernel: TransformKernel<Record<string, never>> = {
  name: 'Unnest',
  prepare([input]) {
    const schema = new Schema(unnestFields(input.fields), input.metadata);
    const names = new Set<string>();
    for (const f of schema.fields) {
      // `a.b` as a column and as a struct path would make two columns of one name.
      if (names.has(f.name)) throw new SluiceError(`Unnest would make two columns named '${f.name}'; rename one first`);
      names.add(f.name);
    }
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) {
          yield { batch: makeBatch(schema, unnestData(input.fields, chunk.batch.data.children), chunk.batch.numRows), errors: chunk.errors };
        }
      },
    };
  },
};

const DESCRIPTION = "Glue's unnest: flattens every struct into top-level columns named with dots (address.city); a null struct makes its children null. Arrays stay arrays, but a struct inside one is flattened too, its fields named <array>.val.<field> (friends.val.name) as Glue does \"for historical reasons\". Use Relationalize to turn arrays into tables.";

function unnest(name: 'Unnest' | 'UnnestFrame') {
  return defineTransform({
    name,
    description: name === 'Unnest' ? DESCRIPTION : `Glue's UnnestFrame transform: the same as Unnest. ${DESCRIPTION}`,
    inputs: 'one',
    params: { properties: {} },
    example: {},
    kernel: { ...unnestKernel, name },
    perSplit: () => true,
    apply(args: { frame: DataFrame<Row> } & TransformInfo): DataFrame<Row> {
      return args.frame.derive(name, {}, [], args);
    },
  });
}

/** Glue's `DynamicFrame.unnest()`. */
export const Unnest = unnest('Unnest');
/** Glue's `UnnestFrame.apply(frame)`: the same as Unnest. */
export const UnnestFrame = unnest('UnnestFrame');
