import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ErrorRecord } from '../src/types/ErrorRecord.js';
import { Aggregator, planAggregation, type Aggregation, type GroupByParams } from './aggregate/partialAggregation.js';
import { aggregateFns } from './aggregate/Accumulator.js';
import { groupByPartial } from './aggregate/groupByPartial.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export type { Aggregation, GroupByParams } from './aggregate/partialAggregation.js';

/**
 * SQL GROUP BY: one row per distinct combination of `keys`, holding the key values and one
 * column per aggregation (count, sum, min, max, avg, countDistinct, variance, variancePop, stddev, stddevPop, first, last, firstIgnoreNulls, lastIgnoreNulls, collectList, collectSet, percentileApprox and percentile with a percentage, maxBy and minBy with a by column). Nulls are skipped by every
 * aggregate but count(*); null keys form their own group. Groups come out in order of first
 * appearance. Runs as a partial aggregation over all input (see aggregate/partialAggregation.ts,
 * which also merges partials from parallel splits) then finalises into one batch; error records
 * from the input come out with it.
 */
export const groupByKernel: TransformKernel<GroupByParams> = {
  name: 'GroupBy',
  prepare([input], params) {
    const plan = planAggregation(input, params);
    return {
      schema: plan.output,
      async *run([stream]) {
        const aggregator = new Aggregator(plan);
        const errors: ErrorRecord[] = [];
        for await (const chunk of stream) {
          aggregator.add(chunk.batch);
          for (const error of chunk.errors) errors.push(error);
        }
        yield { batch: aggregator.result(), errors };
      },
    };
  },
};

/** An aggregation as plain data: its own fields only, none undefined (plans are serialised). */
function plainAggregation(a: Aggregation): Aggregation {
  const out: Aggregation = { name: a.name, fn: a.fn };
  if (a.column !== undefined) out.column = a.column;
  if (a.by !== undefined) out.by = a.by;
  if (a.percentage !== undefined) out.percentage = Array.isArray(a.percentage) ? [...a.percentage] : a.percentage;
  if (a.accuracy !== undefined) out.accuracy = a.accuracy;
  return out;
}

export const GroupBy = defineTransform({
  name: 'GroupBy',
  description: 'SQL GROUP BY: one row per distinct combination of keys, holding the key values and one column per aggregation (count, sum, min, max, avg, countDistinct, variance, variancePop, stddev, stddevPop, first, last, firstIgnoreNulls, lastIgnoreNulls, collectList, collectSet, percentileApprox and percentile with a percentage, maxBy and minBy with a by column). Nulls are skipped by every aggregate but count(*); null keys form their own group. Groups come out in order of first appearance. In parallel runs each split aggregates and the driver merges.',
  inputs: 'one',
  params: {
    properties: {
      keys: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'the grouping columns ([] for one group over all rows)' },
      aggregations: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['name', 'fn'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1 },
            fn: { enum: [...aggregateFns] },
            column: { type: 'string', minLength: 1 },
            by: { type: 'string', minLength: 1, description: 'maxBy/minBy: the column whose largest (smallest) value picks the row' },
            percentage: {
              oneOf: [{ type: 'number', minimum: 0, maximum: 1 }, { type: 'array', minItems: 1, items: { type: 'number', minimum: 0, maximum: 1 } }],
              description: 'percentileApprox/percentile: the fraction, or a list of fractions (the result is then a list)',
            },
            accuracy: { type: 'integer', minimum: 1, description: 'percentileApprox: Spark\'s accuracy (default 10000); sluice computes the exact answer' },
          },
        },
        description: '[{"name", "fn", "column", "by"?, "percentage"?, "accuracy"?}]: the output column, the aggregate, its input column (none for count(*)) and the options of maxBy/minBy and the percentiles',
      },
    },
    required: ['keys', 'aggregations'],
  },
  example: { keys: ['country'], aggregations: [{ name: 'orders', fn: 'count' }, { name: 'revenue', fn: 'sum', column: 'amount' }] },
  kernel: groupByKernel,
  inputColumns: ({ keys, aggregations }) => [new Set([...keys, ...aggregations.flatMap((a) => [a.column, a.by].filter((c): c is string => c !== undefined))])],
  partial: groupByPartial,
  apply(args: { frame: DataFrame<Row> } & GroupByParams & TransformInfo): DataFrame<Row> {
    const params: GroupByParams = {
      keys: [...args.keys],
      aggregations: args.aggregations.map(plainAggregation),
    };
    return args.frame.derive('GroupBy', params as unknown as Record<string, unknown>, [], args);
  },
});
