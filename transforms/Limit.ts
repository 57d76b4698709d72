import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { defineTransform } from './TransformDef.js';

export interface LimitParams { n: number }

/** The first `n` rows (internal: DataFrame.limit and show). Stops reading upstream once full. */
export const limitKernel: TransformKernel<LimitParams> = {
  name: 'Limit',
  prepare([schema], { n }) {
    if (!Number.isInteger(n) || n < 0) throw new SluiceError(`limit must be a whole number >= 0, got ${n}`);
    return {
      schema,
      async *run([input]) {
        let left = n;
        if (left === 0) return;
        for await (const chunk of input) {
          const batch = chunk.batch.numRows > left ? chunk.batch.slice(0, left) : chunk.batch;
          left -= batch.numRows;
          yield { batch, errors: chunk.errors };
          if (left === 0) return; // leaving the loop closes the upstream iterators
        }
      },
    };
  },
};

/** Internal: DataFrame.limit and show build it; it is no job-spec node. */
export const Limit = defineTransform({
  name: 'Limit',
  description: 'The first n rows; stops reading upstream once full.',
  internal: true,
  inputs: 'one',
  params: { properties: { n: { type: 'integer', minimum: 0, description: 'how many rows' } }, required: ['n'] },
  example: { n: 20 },
  kernel: limitKernel,
  inputColumns: (_params, required) => [required ? new Set(required) : null],
  apply: (args: { frame: DataFrame<Row>; n: number }): DataFrame<Row> => args.frame.derive('Limit', { n: args.n }),
});
