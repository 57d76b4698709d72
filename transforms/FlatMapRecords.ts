import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { schemaFromSpec } from '../src/types/typeNames.js';
import { planRowFn } from './rows/rowFunction.js';
import { isRecord, notARecord, recordFunctionKernel, type RecordFunctionParams } from './rows/recordFunctionKernel.js';
import { functionRef, schemaSpec } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FnRef, TransformInfo } from './types.js';

export type FlatMapRecordsParams = RecordFunctionParams;

/** A row function returning 0..n records: an array of records, or null/undefined for none. */
export type FlatRowFunction<I extends Row = Row, O extends Row = Row> = ((row: I) => O[] | null | undefined) | FnRef;

/**
 * Calls `f` on every record and keeps every record of the array it returns (none for `[]`,
 * `null` or `undefined`): Spark's `flatMap` over rows. The output schema is inferred or declared
 * exactly as Map's. A record becomes an error record when the function throws, returns something
 * else than an array, or an array holding a non-record.
 *
 * Glue's own `FlatMap` (FlatMap.ts) applies a transform to every frame of a collection; this is
 * the row-level form that Glue scripts write as an RDD `flatMap`. `df.flatMap(f)` and
 * `FlatMap.apply({ frame, f })` on a frame build it; errors say "FlatMap", the name users call.
 */
const flatMapKernel = recordFunctionKernel('FlatMap', (out) => {
  if (out === null || out === undefined) return [];
  if (!Array.isArray(out)) return `${notARecord(out).replace(', not a record', '')}, not an array of records`;
  const bad = out.findIndex((r) => !isRecord(r));
  return bad < 0 ? (out as Row[]) : `[${bad}] = ${notARecord(out[bad])}`;
});

export function applyFlatMapRecords(args: { frame: DataFrame<Row>; f: FlatRowFunction; schema?: Record<string, string> } & TransformInfo): DataFrame<Row> {
  const f = planRowFn(args.f, 'FlatMap f');
  if (args.schema) schemaFromSpec(args.schema);
  return args.frame.derive('FlatMapRecords', args.schema ? { f, schema: { ...args.schema } } : { f }, [], args);
}

export const FlatMapRecords = defineTransform({
  name: 'FlatMapRecords',
  description: "Spark's RDD flatMap (df.flatMap, or Glue's FlatMap.apply given a frame): calls a row function on every record and keeps every record of the array it returns (0..n per input record; null means none), as Spark's flatMap. The output schema is inferred from the returned records unless schema declares it (then it streams and, on large inputs, runs module functions on worker threads). A record becomes an error record when the function throws or returns something other than an array of records. Glue's FlatMap, over a collection, is the FlatMap node.",
  inputs: 'one',
  params: {
    properties: {
      function: functionRef('the row function, record → array of records (never inline code)'),
      schema: schemaSpec('the output columns as {"name": "type"}; without it the output schema is inferred from the returned records.'),
    },
    required: ['function'],
  },
  example: { function: { module: './fns.js', export: 'explodeItems' } },
  apiParams: ['f', 'schema'],
  kernel: flatMapKernel,
  perSplit: ({ schema }) => schema !== undefined,
  fromSpec: ({ function: fn, schema }, { frames, info, functionRef: resolve }) =>
    applyFlatMapRecords({ frame: frames[0], f: resolve(fn as FnRef, 'function'), ...(schema ? { schema: schema as Record<string, string> } : {}), ...info }),
  apply: applyFlatMapRecords,
});
