import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { schemaFromSpec } from '../src/types/typeNames.js';
import { planRowFn } from './rows/rowFunction.js';
import { isRecord, notARecord, recordFunctionKernel, type RecordFunctionParams } from './rows/recordFunctionKernel.js';
import { functionRef, schemaSpec } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FnRef, RowFunction, TransformInfo } from './types.js';

export type MapParams = RecordFunctionParams;

/**
 * Glue's Map: calls `f` on every record (a plain object) and keeps the record it returns.
 *
 * Without `schema` the output schema is read from the returned records, as Glue's DynamicFrame
 * computes its schema on the fly: added fields appear, a field whose values change type widens
 * (int → bigint → double; other conflicts become strings until choice types land), fields no
 * record returns are gone. The whole input is read before the output schema is known, and the
 * function runs on the driver thread. A declared `schema` (`{"name": "type"}`) streams (nothing
 * held in memory) and, on inputs large enough to split, runs module functions on worker
 * threads; then a returned key outside it fails the job and a value that does not fit makes the
 * record an error record. On one thread both forms cost about the same.
 *
 * A record becomes an error record (message + the input record), and leaves the output, when
 * the function throws or returns something that is not a record.
 */
const mapKernel = recordFunctionKernel('Map', (out) => (isRecord(out) ? [out] : notARecord(out)));

function applyMap(args: { frame: DataFrame<Row>; f: RowFunction<Row, Row> | FnRef; schema?: Record<string, string> } & TransformInfo): DataFrame<Row> {
  const f = planRowFn(args.f, 'Map f');
  if (args.schema) schemaFromSpec(args.schema);
  return args.frame.derive('Map', args.schema ? { f, schema: { ...args.schema } } : { f }, [], args);
}

/** Exported as `Map` from transforms/index.ts; named so here to leave the global Map alone. */
export const MapTransform = defineTransform({
  name: 'Map',
  description: "Calls a row function on every record (a plain object) and keeps the record it returns. Without schema, the output schema is inferred from the returned records (added fields appear, changed types widen, fields no record returns go; the whole input is read first). A declared schema streams and, on large inputs, runs module functions on worker threads. A record becomes an error record when the function throws or returns a non-record (or, with a schema, a value that does not fit). Prefer WithColumns for columnar speed.",
  inputs: 'one',
  params: {
    properties: {
      function: functionRef('the row function, record → record (never inline code)'),
      schema: schemaSpec('the output columns as {"name": "type"}; without it the output schema is inferred from the returned records.'),
    },
    required: ['function'],
  },
  example: { function: { module: './fns.js', export: 'clean' }, schema: { id: 'int64', name: 'string' } },
  apiParams: ['f', 'schema'],
  kernel: mapKernel,
  // Without a schema, splits would infer different schemas: the step runs once, over all input.
  perSplit: ({ schema }) => schema !== undefined,
  fromSpec: ({ function: fn, schema }, { frames, info, functionRef: resolve }) =>
    applyMap({ frame: frames[0], f: resolve(fn as FnRef, 'function'), ...(schema ? { schema: schema as Record<string, string> } : {}), ...info }),
  apply: applyMap,
});

export { mapKernel };
