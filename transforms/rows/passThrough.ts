import type { TransformKernel } from '../../src/exec/Kernel.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';

export interface PartitionsParams { numPartitions: number }

/** The rows unchanged: Repartition and Coalesce only tell the writer how many tasks write them. */
export function passThroughKernel(name: string): TransformKernel<PartitionsParams> {
  return {
    name,
    prepare([schema], { numPartitions }) {
      checkPartitions(name, numPartitions);
      return { schema, run: ([input]) => input };
    },
  };
}

export function checkPartitions(name: string, n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 1) throw new SluiceError(`${name} numPartitions must be a whole number >= 1, got ${JSON.stringify(n)}`);
  return n as number;
}

export const numPartitionsParam = (description: string) => ({ type: 'integer', minimum: 1, description });
