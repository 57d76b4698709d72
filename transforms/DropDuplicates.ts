import type { Data, RecordBatch, Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import { batchFromIpc, batchToIpc } from '../src/exec/parallel/arrowWire.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { PartialForm } from '../src/plan/TransformDef.js';
import { concatData } from '../src/columns/concat.js';
import { nullColumn } from '../src/columns/nullColumn.js';
import { filterBatch, makeBatch } from '../src/columns/take.js';
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
    const indices = keyIndices(input, columns);
    return {
      schema: input,
      async *run([stream]) {
        const seen = new Set<Key>();
        for await (const chunk of stream) yield { batch: firstOfEachKey(chunk.batch, indices, seen), errors: chunk.errors };
      },
    };
  },
};

function keyIndices(input: Schema, columns: string[] | undefined): number[] {
  const names = columns ?? input.fields.map((f) => f.name);
  return names.map((name) => {
    const i = input.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new SluiceError(`no column '${name}' to deduplicate on; available: ${describeFields(input.fields)}`);
    return i;
  });
}

/** The rows of `batch` whose key is not in `seen` yet (the first of each), adding their keys. */
function firstOfEachKey(batch: RecordBatch, indices: number[], seen: Set<Key>): RecordBatch {
  const n = batch.numRows;
  const keys = rowKeys(indices.map((i) => batch.data.children[i] as Data), n, true);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!seen.has(keys[i])) {
      seen.add(keys[i]);
      mask[i] = 1;
    }
  }
  return filterBatch(batch, mask);
}

/**
 * Two phases over splits: each split keeps the first row of each key it sees (its partial state:
 * those rows, as IPC batches); the driver runs the same filter over the splits' rows in split
 * order, which keeps exactly the rows a single pass would, in the same order. The driver holds
 * the distinct rows until the end, where the streaming kernel holds only their keys.
 */
const dropDuplicatesPartial: PartialForm<DropDuplicatesParams> = {
  bind(input, { columns }) {
    const indices = keyIndices(input, columns);
    return {
      schema: input,
      start() {
        const seen = new Set<Key>();
        const kept: RecordBatch[] = [];
        const keep = (batch: RecordBatch) => {
          const rows = firstOfEachKey(batch, indices, seen);
          if (rows.numRows > 0) kept.push(rows);
        };
        return {
          add: keep,
          save() {
            const state = kept.map(batchToIpc);
            return { state, transfer: state };
          },
          merge: (state) => (state as Uint8Array[]).forEach((bytes) => keep(batchFromIpc(bytes))),
          result() {
            const length = kept.reduce((n, b) => n + b.numRows, 0);
            const data = input.fields.map((f, k) => (kept.length ? concatData(kept.map((b) => b.data.children[k] as Data)) : nullColumn(f.type, 0)));
            return makeBatch(input, data, length);
          },
        };
      },
    };
  },
};

export const DropDuplicates = defineTransform({
  name: 'DropDuplicates',
  description: "Spark's dropDuplicates: keeps the first row of each distinct value of columns (all columns when absent), in input order; nulls equal each other. Streams: only the keys seen so far are kept in memory (in parallel runs each split deduplicates and the driver merges the splits' rows in order).",
  inputs: 'one',
  params: { properties: { columns: stringList('the columns that make a row distinct (default: all)') } },
  example: { columns: ['order_id'] },
  kernel: dropDuplicatesKernel,
  inputColumns: ({ columns }, required) => [required && columns ? new Set([...required, ...columns]) : null],
  partial: dropDuplicatesPartial,
  apply(args: { frame: DataFrame<Row>; columns?: string[] } & TransformInfo): DataFrame<Row> {
    if (args.columns !== undefined && (!Array.isArray(args.columns) || args.columns.some((c) => typeof c !== 'string'))) {
      throw new SluiceError(`DropDuplicates columns must be an array of column names, got ${JSON.stringify(args.columns)}`);
    }
    return args.frame.derive('DropDuplicates', args.columns ? { columns: [...args.columns] } : {}, [], args);
  },
});
