import { Field, Schema, type Data, type RecordBatch } from 'apache-arrow';
import type { ChunkStream, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { concatData } from '../src/columns/concat.js';
import { makeBatch, takeBatch } from '../src/columns/take.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { describeFields } from './paths/columnPlan.js';
import { conformBatch, mergeOutputTypes } from './rows/inferredRecords.js';
import { rowKeys, type Key } from './rows/rowKeys.js';
import { stringList } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface MergeDynamicFrameParams { primaryKeys: string[] }

/**
 * Glue's `mergeDynamicFrame(stageDynamicFrame, primaryKeys)`, as its documentation lists the
 * cases: a source record whose keys are in the staging frame is replaced by the staging record;
 * a source record whose keys are not is kept as it is (duplicates in the source are all kept);
 * a staging record whose keys match no source record is NOT added — an overwrite, not an upsert
 * (union the staging-only records yourself when you want one: an `anti` Join gives them). When
 * several staging records share keys, the last one wins. A null key part matches nothing.
 *
 * The schemas may differ: the output has the source's columns in order, then the staging-only
 * ones; a column both have takes the merged type (mergeOutputTypes), and a replaced record's
 * columns the staging frame lacks are null. The staging frame is read whole (a hash index), the
 * source streams, in order.
 */
export const mergeDynamicFrameKernel: TransformKernel<MergeDynamicFrameParams> = {
  name: 'MergeDynamicFrame',
  prepare([source, staging], { primaryKeys }) {
    if (!Array.isArray(primaryKeys) || primaryKeys.length === 0) throw new SluiceError('MergeDynamicFrame needs primaryKeys: the columns that identify a record in both frames');
    const sourceKeys = keyIndices(source, primaryKeys, 'source frame');
    const stagingKeys = keyIndices(staging, primaryKeys, 'staging frame');
    const schema = mergedSchema(source, staging);
    return {
      schema,
      async *run([sourceStream, stagingStream]) {
        const stage = await readStaging(stagingStream, staging, schema, stagingKeys);
        let errors: ErrorRecord[] = stage.errors;
        for await (const chunk of sourceStream) {
          yield { batch: mergeChunk(chunk.batch, sourceKeys, schema, stage), errors: errors.length ? [...errors, ...chunk.errors] : chunk.errors };
          errors = [];
        }
        if (errors.length) yield { batch: emptyOf(schema), errors };
      },
    };
  },
};

interface Staging {
  /** The staging rows, conformed to the output schema, as one batch. */
  batch: RecordBatch;
  /** Key → the staging row that replaces a source row with that key (the last with it). */
  rowOf: Map<Key, number>;
  errors: ErrorRecord[];
}

async function readStaging(stream: ChunkStream, schema: Schema, output: Schema, keyColumns: number[]): Promise<Staging> {
  const batches: RecordBatch[] = [];
  const errors: ErrorRecord[] = [];
  for await (const chunk of stream) {
    for (const e of chunk.errors) errors.push(e);
    if (chunk.batch.numRows > 0) batches.push(chunk.batch);
  }
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = schema.fields.map((_f, c) => (rows ? concatData(batches.map((b) => b.data.children[c] as Data)) : null));
  const whole = rows ? makeBatch(schema, columns as Data[], rows) : undefined;
  const rowOf = new Map<Key, number>();
  if (whole) {
    const keys = rowKeys(keyColumns.map((c) => whole.data.children[c] as Data), rows, false);
    for (let i = 0; i < rows; i++) if (keys[i] !== null) rowOf.set(keys[i], i);
  }
  return { batch: whole ? conformBatch(whole, output) : emptyOf(output), rowOf, errors };
}

/** A source chunk with its matched rows replaced by their staging rows, in the source's order. */
function mergeChunk(batch: RecordBatch, keyColumns: number[], schema: Schema, stage: Staging): RecordBatch {
  const n = batch.numRows;
  if (n === 0 || stage.rowOf.size === 0) return conformBatch(batch, schema);
  const keys = rowKeys(keyColumns.map((c) => batch.data.children[c] as Data), n, false);
  const matched: number[] = [];
  const order = new Int32Array(n); // into [source rows of the chunk, then the matched staging rows]
  for (let i = 0; i < n; i++) {
    const row = keys[i] === null ? undefined : stage.rowOf.get(keys[i]);
    if (row === undefined) order[i] = i;
    else order[i] = n + matched.push(row) - 1;
  }
  if (matched.length === 0) return conformBatch(batch, schema);
  const replacements = takeBatch(stage.batch, Int32Array.from(matched));
  const source = conformBatch(batch, schema);
  const both = makeBatch(schema, schema.fields.map((_f, c) => concatData([source.data.children[c] as Data, replacements.data.children[c] as Data])), n + matched.length);
  return takeBatch(both, order);
}

/** The source's columns in order (types merged with the staging frame's), then the staging-only ones. */
function mergedSchema(source: Schema, staging: Schema): Schema {
  const fields = source.fields.map((f) => {
    const other = staging.fields.find((s) => s.name === f.name);
    return other ? new Field(f.name, mergeOutputTypes(f.type, other.type), true, f.metadata) : f;
  });
  for (const f of staging.fields) if (!source.fields.some((s) => s.name === f.name)) fields.push(f);
  return new Schema(fields, source.metadata);
}

function keyIndices(schema: Schema, keys: string[], which: string): number[] {
  return keys.map((key) => {
    const i = schema.fields.findIndex((f) => f.name === key);
    if (i < 0) throw new SluiceError(`primary key '${key}' is not a column of the ${which}; its columns: ${describeFields(schema.fields)}`);
    return i;
  });
}

const emptyOf = (schema: Schema): RecordBatch => conformBatch(makeBatch(new Schema([]), [], 0), schema);

export const MergeDynamicFrame = defineTransform({
  name: 'MergeDynamicFrame',
  description: "Glue's mergeDynamicFrame: a source (frame1) record whose primaryKeys match a staging (frame2) record is replaced by it; unmatched source records are kept (duplicates too); staging records that match no source record are not added (an overwrite, not an upsert). The last staging record of a key wins; null keys match nothing. Schemas may differ: source columns, then staging-only ones.",
  inputs: 'two',
  params: { properties: { primaryKeys: stringList('the columns that identify a record in both frames') }, required: ['primaryKeys'] },
  example: { primaryKeys: ['id'] },
  kernel: mergeDynamicFrameKernel,
  // The staging frame is broadcast to every split (as a join's build side); the source streams.
  perSplit: () => true,
  apply(args: { frame1: DataFrame<Row>; frame2: DataFrame<Row>; primaryKeys: string[] } & TransformInfo): DataFrame<Row> {
    if (!Array.isArray(args.primaryKeys) || args.primaryKeys.length === 0) throw new SluiceError('MergeDynamicFrame needs primaryKeys: the columns that identify a record in both frames');
    return args.frame1.derive('MergeDynamicFrame', { primaryKeys: [...args.primaryKeys] }, [args.frame2], args);
  },
});
