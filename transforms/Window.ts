import { Field, Schema, type Data, type RecordBatch } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ErrorRecord } from '../src/types/ErrorRecord.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { concatData } from '../src/columns/concat.js';
import { makeBatch, takeBatch } from '../src/columns/take.js';
import { union } from '../src/plan/columnsUsed.js';
import { radixSortPermutation } from './sort/radixSort.js';
import { isSortable, sortDigits, type SortKey } from './sort/sortDigits.js';
import { layoutOf } from './window/windowFrames.js';
import { computeWindow, WINDOW_FNS, windowResultType, type WindowFunction } from './window/windowFunctions.js';
import { aggregateFns, type AggregateFn } from './aggregate/Accumulator.js';
import { SORTED_BATCH_ROWS } from './OrderBy.js';
import { emptyBatch } from './join/probeJoin.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export type { WindowFunction, WindowFn } from './window/windowFunctions.js';

export interface WindowParams {
  partitionBy: string[];
  orderBy: SortKey[];
  functions: WindowFunction[];
}

/**
 * Spark's window functions over one window (`OVER (PARTITION BY … ORDER BY … frame)`): keeps
 * every input row and appends one column per function. Reads its whole input, sorts it once by
 * partition then order keys (radix sort over the keys' digits, as OrderBy), finds partitions and
 * peer groups, and computes each function column-wise over the sorted rows. Rows come out in
 * that sorted order.
 */
export const windowKernel: TransformKernel<WindowParams> = {
  name: 'Window',
  prepare([input], params) {
    const { partitionBy, orderBy, functions } = checkParams(params);
    const indexOf = (name: string, role: string) => {
      const i = input.fields.findIndex((f) => f.name === name);
      if (i < 0) throw new SluiceError(`Window ${role} '${name}' is not a column; available: ${input.fields.map((f) => f.name).join(', ')}`);
      return i;
    };
    const partitionIdx = partitionBy.map((c) => indexOf(c, 'partitionBy column'));
    const orderIdx = orderBy.map((k) => indexOf(k.column, 'orderBy column'));
    for (const i of [...partitionIdx, ...orderIdx]) {
      if (!isSortable(input.fields[i].type)) throw new SluiceError(`cannot partition or order a window by '${input.fields[i].name}' of type ${input.fields[i].type}`);
    }
    const argIdx = functions.map((f) => (f.column === undefined ? -1 : indexOf(f.column, `${f.fn} column`)));
    const byIdx = functions.map((f) => (f.by === undefined ? -1 : indexOf(f.by, `${f.aggregate ?? f.fn} by column`)));
    const names = new Set(input.fields.map((f) => f.name));
    const fields = functions.map((f, k) => {
      if (names.has(f.name)) throw new SluiceError(`Window output '${f.name}' is already a column; name it differently`);
      names.add(f.name);
      return new Field(f.name, windowResultType(f, argIdx[k] < 0 ? undefined : input.fields[argIdx[k]].type, byIdx[k] < 0 ? undefined : input.fields[byIdx[k]].type), true);
    });
    const schema = new Schema([...input.fields, ...fields], input.metadata);
    return {
      schema,
      async *run([stream]) {
        const batches: RecordBatch[] = [];
        let errors: ErrorRecord[] = [];
        for await (const chunk of stream) {
          if (chunk.batch.numRows > 0) batches.push(chunk.batch);
          for (const error of chunk.errors) errors.push(error);
        }
        if (batches.length === 0) {
          if (errors.length) yield { batch: emptyBatch(schema), errors };
          return;
        }
        const length = batches.reduce((n, b) => n + b.numRows, 0);
        const columns = input.fields.map((_f, k) => concatData(batches.map((b) => b.data.children[k] as Data)));
        const partitionDigits = partitionIdx.flatMap((i) => sortDigits(columns[i], { column: input.fields[i].name }));
        const orderDigits = orderBy.flatMap((key, k) => sortDigits(columns[orderIdx[k]], key));
        const order = radixSortPermutation([...partitionDigits, ...orderDigits], length);
        const layout = layoutOf(order, partitionDigits, orderDigits);
        const computed = functions.map((f, k) => computeWindow(f, layout, order, argIdx[k] < 0 ? undefined : columns[argIdx[k]], orderBy.length > 0, byIdx[k] < 0 ? undefined : columns[byIdx[k]]));
        const sorted = takeBatch(makeBatch(input, columns, length), order);
        const all = makeBatch(schema, [...(sorted.data.children as Data[]), ...computed], length);
        for (let start = 0; start < length; start += SORTED_BATCH_ROWS) {
          yield { batch: all.slice(start, Math.min(length, start + SORTED_BATCH_ROWS)), errors };
          errors = [];
        }
      },
    };
  },
};

function checkParams(params: WindowParams): WindowParams {
  const { partitionBy = [], orderBy = [], functions } = params ?? ({} as WindowParams);
  if (!Array.isArray(functions) || functions.length === 0) throw new SluiceError(`Window functions must be a non-empty array of { name, fn, column? }, got ${JSON.stringify(functions)}`);
  for (const f of functions) {
    if (!WINDOW_FNS.includes(f.fn)) throw new SluiceError(`unknown window function '${f.fn}'; use one of ${WINDOW_FNS.join(', ')}`);
    if (f.fn === 'aggregate' && !aggregateFns.includes(f.aggregate as AggregateFn)) {
      throw new SluiceError(`Window function '${f.name}': fn 'aggregate' needs aggregate, one of ${aggregateFns.join(', ')}; got ${JSON.stringify(f.aggregate)}`);
    }
  }
  return { partitionBy, orderBy, functions };
}

const FRAME_BOUND = { type: ['integer', 'null'] };

export const Window = defineTransform({
  name: 'Window',
  description: "Spark's window functions over one window (PARTITION BY … ORDER BY … ROWS/RANGE frame): keeps every row and appends one column per function (row_number, rank, dense_rank, percent_rank, cume_dist, ntile, lag, lead, first_value, last_value, count, sum, avg, min, max, and any GroupBy aggregate over the frame). Reads its whole input; rows come out sorted by partition then order keys.",
  inputs: 'one',
  params: {
    properties: {
      partitionBy: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'the partition columns ([] for one window over all rows)' },
      orderBy: {
        type: 'array',
        items: {
          type: 'object', required: ['column'], additionalProperties: false,
          properties: { column: { type: 'string', minLength: 1 }, descending: { type: 'boolean' }, nullsFirst: { type: 'boolean' } },
        },
        description: '[{"column", "descending", "nullsFirst"}] within each partition',
      },
      functions: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object', required: ['name', 'fn'], additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1 },
            fn: { enum: [...WINDOW_FNS] },
            column: { type: 'string', minLength: 1 },
            n: { type: 'integer', minimum: 1 },
            aggregate: { enum: [...aggregateFns] },
            by: { type: 'string', minLength: 1 },
            percentage: { oneOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'array', items: { type: 'number', minimum: 0, maximum: 1 }, minItems: 1 }] },
            accuracy: { type: 'integer', minimum: 1 },
            frame: {
              type: 'object', required: ['unit', 'start', 'end'], additionalProperties: false,
              properties: { unit: { enum: ['rows', 'range'] }, start: FRAME_BOUND, end: FRAME_BOUND },
            },
          },
        },
        description: '[{"name", "fn", "column", "n", "frame"}]: output column, function, input column, lag/lead offset or ntile buckets, frame {unit, start, end} (offsets, null = unbounded); fn "aggregate" computes any GroupBy aggregate over the frame ("aggregate": collectList, stddev, maxBy…, with "by", "percentage", "accuracy" as GroupBy takes them)',
      },
    },
    required: ['functions'],
  },
  example: { partitionBy: ['customer_id'], orderBy: [{ column: 'ts', descending: true }], functions: [{ name: 'rn', fn: 'row_number' }] },
  kernel: windowKernel,
  inputColumns: ({ partitionBy = [], orderBy = [], functions }, required) => [
    required ? union([...required].filter((c) => !functions.some((f) => f.name === c)), [...partitionBy, ...orderBy.map((k) => k.column), ...functions.flatMap((f) => [f.column, f.by].filter((c): c is string => c !== undefined))]) : null,
  ],
  apply(args: { frame: DataFrame<Row> } & Partial<Pick<WindowParams, 'partitionBy' | 'orderBy'>> & Pick<WindowParams, 'functions'> & TransformInfo): DataFrame<Row> {
    const params = checkParams({ partitionBy: args.partitionBy ?? [], orderBy: args.orderBy ?? [], functions: args.functions });
    return args.frame.derive('Window', JSON.parse(JSON.stringify(params)) as Record<string, unknown>, [], args);
  },
});
