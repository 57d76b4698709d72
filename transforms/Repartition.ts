import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { checkPartitions, numPartitionsParam, passThroughKernel } from './rows/passThrough.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/**
 * Spark's / Glue's `repartition(numPartitions)`: the frame is written by `numPartitions` tasks of
 * equal rows, so an unpartitioned write makes exactly that many part files (fewer only when
 * there are fewer rows), and a Hive-partitioned one a file per task and folder. The rows
 * themselves are unchanged; row-wise steps after it keep it. The write holds the frame in memory
 * to cut it into equal tasks (src/exec/writeTasks.ts).
 */
export const Repartition = defineTransform({
  name: 'Repartition',
  description: "Spark's repartition(n): the frame is written by n tasks of equal rows, so a write makes n part files (one per task and Hive folder). Rows are unchanged; row-wise steps after it keep it; the write holds the frame in memory to cut it.",
  inputs: 'one',
  params: { properties: { numPartitions: numPartitionsParam('how many partitions (part files) to write') }, required: ['numPartitions'] },
  example: { numPartitions: 8 },
  kernel: passThroughKernel('Repartition'),
  inputColumns: (_params, required) => [required ? new Set(required) : null],
  partitions: ({ numPartitions }) => numPartitions,
  apply(args: { frame: DataFrame<Row>; numPartitions: number } & TransformInfo): DataFrame<Row> {
    return args.frame.derive('Repartition', { numPartitions: checkPartitions('Repartition', args.numPartitions) }, [], args);
  },
});
