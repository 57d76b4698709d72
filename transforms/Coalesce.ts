import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { checkPartitions, numPartitionsParam, passThroughKernel } from './rows/passThrough.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/**
 * Spark's / Glue's `coalesce(numPartitions)`: merges partitions, never adds any. After a
 * `repartition(m)` the frame is written by min(n, m) tasks; otherwise by one task (the write
 * runs as one stream instead of one per input split), i.e. one part file per output folder.
 * `coalesce(1)` is the way to a single output file.
 */
export const Coalesce = defineTransform({
  name: 'Coalesce',
  description: "Spark's coalesce(n): merges partitions without a shuffle, never adds any. After repartition(m) the frame is written by min(n, m) tasks; otherwise by one (one part file per output folder): coalesce(1) writes a single file.",
  inputs: 'one',
  params: { properties: { numPartitions: numPartitionsParam('at most this many partitions (part files) to write') }, required: ['numPartitions'] },
  example: { numPartitions: 1 },
  kernel: passThroughKernel('Coalesce'),
  inputColumns: (_params, required) => [required ? new Set(required) : null],
  partitions: ({ numPartitions }, input) => Math.min(numPartitions, input ?? 1),
  apply(args: { frame: DataFrame<Row>; numPartitions: number } & TransformInfo): DataFrame<Row> {
    return args.frame.derive('Coalesce', { numPartitions: checkPartitions('Coalesce', args.numPartitions) }, [], args);
  },
});
