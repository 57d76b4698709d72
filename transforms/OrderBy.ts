import type { Data, RecordBatch } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch, takeBatch } from '../src/columns/take.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { concatData } from '../src/columns/concat.js';
import { radixSortPermutation } from './sort/radixSort.js';
import { isSortable, sortDigits, type SortKey } from './sort/sortDigits.js';
import { union } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export type { SortKey } from './sort/sortDigits.js';

export interface OrderByParams {
  keys: SortKey[];
}

/** Rows per output batch. */
export const SORTED_BATCH_ROWS = 65_536;

/**
 * Sorts the whole input by `keys` (stable: equal keys keep their input order). Spark's null
 * placement by default: first when ascending, last when descending. Collects every batch, joins
 * each column once, computes one permutation by radix sort over the keys' digits, then gathers
 * the rows in batches of at most 65,536. Error records from the input come with the first batch.
 */
export const orderByKernel: TransformKernel<OrderByParams> = {
  name: 'OrderBy',
  prepare([input], params) {
    const keys = checkKeys(params);
    const available = input.fields.map((f) => f.name).join(', ');
    const keyIndices = keys.map((key) => {
      const i = input.fields.findIndex((f) => f.name === key.column);
      if (i < 0) throw new SluiceError(`OrderBy key '${key.column}' is not a column; available: ${available}`);
      if (!isSortable(input.fields[i].type)) throw new SluiceError(`cannot sort by '${key.column}' of type ${input.fields[i].type}: sort by numbers, booleans, text, dates, timestamps or decimals`);
      return i;
    });
    return {
      schema: input,
      async *run([stream]) {
        const batches: RecordBatch[] = [];
        let errors: ErrorRecord[] = [];
        for await (const chunk of stream) {
          batches.push(chunk.batch);
          for (const error of chunk.errors) errors.push(error);
        }
        if (batches.length === 0) return;
        const length = batches.reduce((n, b) => n + b.numRows, 0);
        const columns = input.fields.map((_f, k) => concatData(batches.map((b) => b.data.children[k] as Data)));
        const all = makeBatch(input, columns, length);
        const digits = keys.flatMap((key, k) => sortDigits(columns[keyIndices[k]], key));
        const order = radixSortPermutation(digits, length);
        if (length === 0) {
          yield { batch: all, errors };
          return;
        }
        for (let start = 0; start < length; start += SORTED_BATCH_ROWS) {
          yield { batch: takeBatch(all, order.subarray(start, Math.min(length, start + SORTED_BATCH_ROWS))), errors };
          errors = [];
        }
      },
    };
  },
};

function checkKeys(params: OrderByParams): SortKey[] {
  const keys = params?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => !k || typeof k.column !== 'string')) {
    throw new SluiceError(`OrderBy keys must be a non-empty array of { column, descending?, nullsFirst? }, got ${JSON.stringify(keys)}`);
  }
  return keys;
}

export const OrderBy = defineTransform({
  name: 'OrderBy',
  description: "Sorts all rows by keys (stable: equal keys keep their input order). Nulls come first when ascending and last when descending, as in Spark, unless nullsFirst says otherwise. Reads its whole input before the first row comes out.",
  inputs: 'one',
  params: {
    properties: {
      keys: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['column'],
          additionalProperties: false,
          properties: {
            column: { type: 'string', minLength: 1 },
            descending: { type: 'boolean' },
            nullsFirst: { type: 'boolean' },
          },
        },
        description: '[{"column", "descending", "nullsFirst"}], most significant first',
      },
    },
    required: ['keys'],
  },
  example: { keys: [{ column: 'country' }, { column: 'amount', descending: true }] },
  kernel: orderByKernel,
  inputColumns: ({ keys }, required) => [required ? union(required, keys.map((k) => k.column)) : null],
  apply(args: { frame: DataFrame<Row> } & OrderByParams & TransformInfo): DataFrame<Row> {
    const keys = checkKeys(args).map(({ column, descending, nullsFirst }) => ({
      column,
      ...(descending !== undefined ? { descending } : {}),
      ...(nullsFirst !== undefined ? { nullsFirst } : {}),
    }));
    return args.frame.derive('OrderBy', { keys }, [], args);
  },
});
