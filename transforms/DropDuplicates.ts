import type { Data } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { filterBatch } from '../src/columns/take.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { describeFields } from './paths/columnPlan.js';
import { rowKeys, type Key } from './rows/rowKeys.js';
import { stringList } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface DropDuplicatesParams { columns?: string[] }

/**
 * Spark's dropDuplicates: keeps the first row of each distinct value of `columns` (all columns
 * when absent), in input order. Nulls are equal to each other here, as in Spark. Streams: only
 * the set of keys seen so far is kept in memory.
 */
export const dropDuplicatesKernel: TransformKernel<DropDuplicatesParams> = {
  name: 'DropDuplicates',
  prepare([input], { columns }) {
    const names = columns ?? input.fields.map((f) => f.name);
    const indices = names.map((name) => {
      const i = input.fields.findIndex((f) => f.name === name);
      if (i < 0) throw new SluiceError(`no column '${name}' to deduplicate on; available: ${describeFields(input.fields)}`);
      return i;
    });
    return {
      schema: input,
      async *run([stream]) {
        const seen = new Set<Key>();
        for await (const chunk of stream) {
          const n = chunk.batch.numRows;
          const keys = rowKeys(indices.map((i) => chunk.batch.data.children[i] as Data), n, true);
          const mask = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const key = keys[i];
            if (!seen.has(key)) {
              seen.add(key);
              mask[i] = 1;
            }
          }
          yield { batch: filterBatch(chunk.batch, mask), errors: chunk.errors };
        }
      },
    };
  },
};

export const DropDuplicates = defineTransform({
  name: 'DropDuplicates',
  description: "Spark's dropDuplicates: keeps the first row of each distinct value of columns (all columns when absent), in input order; nulls equal each other. Streams: only the keys seen so far are kept in memory.",
  inputs: 'one',
  params: { properties: { columns: stringList('the columns that make a row distinct (default: all)') } },
  example: { columns: ['order_id'] },
  kernel: dropDuplicatesKernel,
  inputColumns: ({ columns }, required) => [required && columns ? new Set([...required, ...columns]) : null],
  apply(args: { frame: DataFrame<Row>; columns?: string[] } & TransformInfo): DataFrame<Row> {
    if (args.columns !== undefined && (!Array.isArray(args.columns) || args.columns.some((c) => typeof c !== 'string'))) {
      throw new SluiceError(`DropDuplicates columns must be an array of column names, got ${JSON.stringify(args.columns)}`);
    }
    return args.frame.derive('DropDuplicates', args.columns ? { columns: [...args.columns] } : {}, [], args);
  },
});
