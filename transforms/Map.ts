import { Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { columnFromValues } from '../src/columns/fromValues.js';
import { makeBatch } from '../src/columns/take.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { schemaFromSpec } from '../src/types/typeNames.js';
import { describeFields } from './paths/columnPlan.js';
import { batchRows, checkRowFn, loadRowFn, planRowFn, thrownRecord, type RowFn } from './rows/rowFunction.js';
import { valueMismatch } from './rows/valueFits.js';
import { functionRef, schemaSpec } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FnRef, RowFunction, TransformInfo } from './types.js';

export interface MapParams { f: RowFn; schema?: Record<string, string> }

/**
 * Glue's Map: calls `f` on every record (a plain object) and keeps what it returns.
 *
 * The output schema must be known before any row is read (the plan is checked, and a
 * downstream step bound to it, before running), and a function cannot be asked in advance.
 * So it is declared: `schema` (`{"name": "type"}`) gives the output columns; without it the
 * output has the input's columns and types. A returned key outside that schema fails the job
 * (it is a mistake in the job, not in the data, and the message says to pass `schema`);
 * a missing key is null.
 *
 * A record becomes an error record (message + the input record), and leaves the output, when
 * the function throws, returns something that is not an object, or returns a value that does
 * not fit its column (a string for an int32).
 */
const mapKernel: TransformKernel<MapParams> = {
  name: 'Map',
  prepare([input], { f, schema: spec }) {
    const fn = checkRowFn(f, 'Map f');
    const schema = spec ? schemaFromSpec(spec) : new Schema(input.fields.map((x) => x), input.metadata);
    const names = new Set(schema.fields.map((x) => x.name));
    return {
      schema,
      async *run([stream]) {
        const call = await loadRowFn(fn);
        for await (const chunk of stream) {
          const errors: ErrorRecord[] = [];
          const outputs: Row[] = [];
          for (const row of batchRows(chunk.batch)) {
            let out: unknown;
            try {
              out = call({ ...row });
            } catch (e) {
              errors.push(thrownRecord('Map', e, row));
              continue;
            }
            const problem = checkOutput(out, schema, names);
            if (problem) errors.push({ message: `Map function returned ${problem}`, record: row });
            else outputs.push(out as Row);
          }
          const columns = schema.fields.map((x) => columnFromValues(x.type, outputs.map((o) => o[x.name] ?? null)));
          yield { batch: makeBatch(schema, columns, outputs.length), errors: errors.length ? [...chunk.errors, ...errors] : chunk.errors };
        }
      },
    };
  },
};

/** Why an output record cannot be stored, or null; unknown keys are a job error and throw. */
function checkOutput(out: unknown, schema: Schema, names: Set<string>): string | null {
  if (typeof out !== 'object' || out === null || Array.isArray(out)) return `${out === null ? 'null' : Array.isArray(out) ? 'an array' : typeof out}, not a record`;
  for (const key of Object.keys(out)) {
    if (!names.has(key)) {
      throw new SluiceError(`Map function returned field '${key}', which is not in the output schema (${describeFields(schema.fields)}); declare the output columns with Map's schema parameter, e.g. schema: { ${JSON.stringify(key)}: "string", ... }`);
    }
  }
  for (const field of schema.fields) {
    const problem = valueMismatch((out as Row)[field.name], field.type);
    if (problem) return `'${field.name}' = ${problem}`;
  }
  return null;
}

function applyMap(args: { frame: DataFrame<Row>; f: RowFunction<Row, Row> | FnRef; schema?: Record<string, string> } & TransformInfo): DataFrame<Row> {
  const f = planRowFn(args.f, 'Map f');
  if (args.schema) schemaFromSpec(args.schema);
  return args.frame.derive('Map', args.schema ? { f, schema: { ...args.schema } } : { f }, [], args);
}

/** Exported as `Map` from transforms/index.ts; named so here to leave the global Map alone. */
export const MapTransform = defineTransform({
  name: 'Map',
  description: "Calls a row function on every record (a plain object) and keeps what it returns. The output has the input's columns unless schema declares them. A record becomes an error record when the function throws or returns something that does not fit. Prefer WithColumns for columnar speed.",
  inputs: 'one',
  params: {
    properties: {
      function: functionRef('the row function, record → record (never inline code)'),
      schema: schemaSpec("the output columns as {\"name\": \"type\"}; without it the output has the input's columns."),
    },
    required: ['function'],
  },
  example: { function: { module: './fns.js', export: 'clean' }, schema: { id: 'int64', name: 'string' } },
  apiParams: ['f', 'schema'],
  kernel: mapKernel,
  perSplit: () => true,
  fromSpec: ({ function: fn, schema }, { frames, info, functionRef: resolve }) =>
    applyMap({ frame: frames[0], f: resolve(fn as FnRef, 'function'), ...(schema ? { schema: schema as Record<string, string> } : {}), ...info }),
  apply: applyMap,
});


export { mapKernel };
