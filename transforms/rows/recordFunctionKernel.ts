import { Schema, type RecordBatch } from 'apache-arrow';
import type { Chunk, TransformKernel } from '../../src/exec/Kernel.js';
import type { Row } from '../../src/frame/DataFrame.js';
import { columnFromValues } from '../../src/columns/fromValues.js';
import { makeBatch } from '../../src/columns/take.js';
import { SluiceError, type ErrorRecord } from '../../src/types/ErrorRecord.js';
import { schemaFromSpec } from '../../src/types/typeNames.js';
import { describeFields } from '../paths/columnPlan.js';
import { batchRows, checkRowFn, loadRowFn, thrownRecord, type RowFn } from './rowFunction.js';
import { valueMismatch } from './valueFits.js';
import { conformBatch, mergedRecordsSchema, recordsBatch } from './inferredRecords.js';

export interface RecordFunctionParams { f: RowFn; schema?: Record<string, string> }

/** What a function returned, as output records, or why it is not (the input becomes an error record). */
export type ToRecords = (out: unknown) => Row[] | string;

/**
 * The kernel of a transform that calls a row function and keeps the records it returns (Map: one,
 * FlatMap: 0..n). With a declared `schema` it streams (and runs per split on workers); a returned
 * key outside the schema fails the job, a value that does not fit makes the input an error record.
 * Without one, the output schema is inferred from every returned record (inferredRecords.ts): the
 * executor hands the whole input to `prepareWithData`, which calls the function once per record.
 */
export function recordFunctionKernel(name: string, toRecords: ToRecords): TransformKernel<RecordFunctionParams> {
  const call = async (f: RowFn) => loadRowFn(checkRowFn(f, `${name} f`));

  /** One chunk through the function: output records and the chunk's errors (upstream ones first). */
  const apply = (fn: (row: Row) => unknown, chunk: Chunk, check?: (record: Row) => string | null) => {
    const errors: ErrorRecord[] = [];
    const outputs: Row[] = [];
    for (const row of batchRows(chunk.batch)) {
      let out: unknown;
      try {
        out = fn({ ...row });
      } catch (e) {
        errors.push(thrownRecord(name, e, row));
        continue;
      }
      const records = toRecords(out);
      const problem = typeof records === 'string' ? records : firstProblem(records, check);
      if (problem) errors.push({ message: `${name} function returned ${problem}`, record: row });
      else for (const r of records as Row[]) outputs.push(r);
    }
    return { outputs, errors: errors.length ? [...chunk.errors, ...errors] : chunk.errors };
  };

  return {
    name,
    needsData: ({ schema }) => schema === undefined,
    prepare([input], { f, schema: spec }) {
      checkRowFn(f, `${name} f`);
      const schema = spec ? schemaFromSpec(spec) : new Schema(input.fields.map((x) => x), input.metadata);
      const names = new Set(schema.fields.map((x) => x.name));
      const check = (record: Row) => declaredMismatch(name, record, schema, names);
      return {
        schema,
        async *run([stream]) {
          const fn = await call(f);
          for await (const chunk of stream) {
            const { outputs, errors } = apply(fn, chunk, check);
            const columns = schema.fields.map((x) => columnFromValues(x.type, outputs.map((o) => o[x.name] ?? null)));
            yield { batch: makeBatch(schema, columns, outputs.length), errors };
          }
        },
      };
    },
    async prepareWithData([input], { f }) {
      const fn = await call(f);
      const chunks: { batch: RecordBatch; errors: ErrorRecord[] }[] = [];
      for (const chunk of input.chunks) {
        const { outputs, errors } = apply(fn, chunk);
        chunks.push({ batch: recordsBatch(outputs), errors });
      }
      const schema = mergedRecordsSchema(chunks.map((c) => c.batch), input.schema);
      return {
        schema,
        async *run() {
          for (const chunk of chunks) yield { batch: conformBatch(chunk.batch, schema), errors: chunk.errors };
        },
      };
    },
  };
}

function firstProblem(records: readonly Row[], check?: (record: Row) => string | null): string | null {
  if (!check) return null;
  for (const record of records) {
    const problem = check(record);
    if (problem) return problem;
  }
  return null;
}

/** Why a record does not fit the declared schema, or null; a key outside it is a job error and throws. */
function declaredMismatch(name: string, record: Row, schema: Schema, names: Set<string>): string | null {
  for (const key of Object.keys(record)) {
    if (!names.has(key)) {
      throw new SluiceError(`${name} function returned field '${key}', which is not in the declared output schema (${describeFields(schema.fields)}); add it to ${name}'s schema parameter, or leave schema out to infer the output from the records`);
    }
  }
  for (const field of schema.fields) {
    const problem = valueMismatch(record[field.name], field.type);
    if (problem) return `'${field.name}' = ${problem}`;
  }
  return null;
}

/** Describes a returned value that is not a record. */
export function notARecord(out: unknown): string {
  return `${out === null ? 'null' : Array.isArray(out) ? 'an array' : typeof out}, not a record`;
}

export const isRecord = (out: unknown): out is Row => typeof out === 'object' && out !== null && !Array.isArray(out) && !(out instanceof Date);
