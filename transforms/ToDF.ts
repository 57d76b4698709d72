import { Field, Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch } from '../src/columns/take.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface ToDFParams { names: string[] }

/** Spark's `toDF(*names)`: renames every column, by position. */
export const toDFKernel: TransformKernel<ToDFParams> = {
  name: 'ToDF',
  prepare([input], { names }) {
    if (names.length !== input.fields.length) {
      throw new SluiceError(`toDF: the frame has ${input.fields.length} columns (${input.fields.map((f) => f.name).join(', ')}) but ${names.length} names were given`);
    }
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new SluiceError(`toDF: column name '${duplicate}' is given twice`);
    const schema = new Schema(input.fields.map((f, i) => new Field(names[i], f.type, f.nullable, f.metadata)), input.metadata);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) yield { batch: makeBatch(schema, chunk.batch.data.children, chunk.batch.numRows), errors: chunk.errors };
      },
    };
  },
};

/** Internal: `df.toDF(...names)` builds it. */
export const ToDF = defineTransform({
  name: 'ToDF',
  description: "Spark's toDF(*names): renames every column, by position.",
  internal: true,
  inputs: 'one',
  params: { properties: { names: { type: 'array', items: { type: 'string' }, description: 'the new names, one per column' } }, required: ['names'] },
  example: { names: ['id', 'name'] },
  kernel: toDFKernel,
  // Names map by position, so every input column is needed to know which is which.
  inputColumns: () => [null],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; names: string[] } & TransformInfo): DataFrame<Row> {
    if (!Array.isArray(args.names) || args.names.some((n) => typeof n !== 'string' || n === '')) {
      throw new SluiceError(`toDF: names must be non-empty strings, got ${JSON.stringify(args.names)}`);
    }
    return args.frame.derive('ToDF', { names: [...args.names] }, [], args);
  },
});
