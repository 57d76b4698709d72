import type { TransformKernel } from '../src/exec/Kernel.js';
import { SluiceError } from '../src/types/ErrorRecord.js';

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
