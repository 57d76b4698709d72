import { Schema, Type, type RecordBatch } from 'apache-arrow';
import type { ChunkStream, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ExprNode } from '../src/expr/ast.js';
import { evaluatePredicateBits } from '../src/expr/index.js';
import { filterBatch } from '../src/columns/take.js';
import { filterBatchByBits } from '../src/columns/filterByBits.js';
import { countSet } from '../src/columns/bitmap.js';
import { rowsOnlyBatch } from '../src/columns/makeBatch.js';
import { SluiceError, type ErrorRecord } from '../src/types/ErrorRecord.js';
import { typeName } from '../src/types/typeNames.js';
import { exprType, isExprInput, toExprNode } from './exprInput.js';
import { batchRows, checkRowFn, loadRowFn, planRowFn, thrownRecord, type RowFn } from './rows/rowFunction.js';
import { exprColumns, union } from '../src/plan/columnsUsed.js';
import { functionRef, nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { ExprInput, FnRef, RowPredicate, TransformInfo } from './types.js';

/**
 * `f` is an expression (JSON, or SQL text when written by hand) or a row function. `rowsOnly`
 * (set by projection push-down under a count): batches of the kept rows' count and no columns.
 */
export interface FilterParams { f: ExprNode | string | RowFn; rowsOnly?: boolean }

/**
 * Glue's Filter: keeps the records for which `f` holds.
 * - An expression (`"amount > 100 AND country = 'FR'"`, `col('amount').gt(100)`) is evaluated
 *   column-wise; rows where it is NULL are dropped, as by SQL's WHERE.
 * - A row function (a closure, or `{ module, export }` that workers can load) is called with each
 *   record as a plain object and keeps it when it returns a truthy value. When it throws, the
 *   record leaves the output as an error record (message + record) instead of failing the job;
 *   stageThreshold / totalThreshold decide how many of those a job tolerates.
 */
export const filterKernel: TransformKernel<FilterParams> = {
  name: 'Filter',
  prepare([input], { f, rowsOnly }) {
    if (typeof f === 'function' || (typeof f === 'object' && f !== null && 'module' in f)) {
      const fn = checkRowFn(f, 'Filter f');
      return { schema: input, run: ([stream]) => filterByFunction(stream, fn) };
    }
    const node = toExprNode(f as ExprInput);
    const type = exprType(node, input);
    if (type.typeId !== Type.Bool && type.typeId !== Type.Null) {
      throw new SluiceError(`the filter condition must be a boolean, but it is ${typeName(type)}`);
    }
    return {
      schema: rowsOnly ? new Schema([]) : input,
      async *run([stream], { partition = 0 }) {
        let rowOffset = 0; // rand() numbers rows within the split
        for await (const chunk of stream) {
          const context = { partition, rowOffset };
          const rows = chunk.batch.numRows;
          rowOffset += rows;
          const kept = rows === 0 ? undefined : evaluatePredicateBits(node, chunk.batch, context);
          let batch: RecordBatch;
          if (rowsOnly) batch = rowsOnlyBatch(kept ? countSet(kept, rows) : 0);
          else batch = kept ? filterBatchByBits(chunk.batch, kept) : chunk.batch;
          yield { batch, errors: chunk.errors };
        }
      },
    };
  },
};

async function* filterByFunction(stream: ChunkStream, f: RowFn): ChunkStream {
  const keep = await loadRowFn(f);
  for await (const chunk of stream) {
    const errors: ErrorRecord[] = [];
    const mask = new Uint8Array(chunk.batch.numRows);
    batchRows(chunk.batch).forEach((row, i) => {
      try {
        if (keep({ ...row })) mask[i] = 1;
      } catch (e) {
        errors.push(thrownRecord('Filter', e, row));
      }
    });
    const batch: RecordBatch = filterBatch(chunk.batch, mask);
    yield { batch, errors: errors.length ? [...chunk.errors, ...errors] : chunk.errors };
  }
}

/** The condition for filter push-down; none for a row function or a condition that does not parse (prepare reports it). */
function keptRows(f: FilterParams['f']): ExprNode | undefined {
  try {
    return isExprInput(f) ? toExprNode(f) : undefined;
  } catch {
    return undefined;
  }
}

function applyFilter(args: { frame: DataFrame<Row>; f: ExprInput | RowPredicate<Row> | FnRef } & TransformInfo): DataFrame<Row> {
  const f = isExprInput(args.f) ? toExprNode(args.f) : planRowFn(args.f, 'Filter f');
  return args.frame.derive('Filter', { f }, [], args);
}

export const Filter = defineTransform({
  name: 'Filter',
  description: "Keeps the records for which a condition holds: a SQL expression evaluated column-wise (rows where it is NULL are dropped, as by WHERE), or a row function in a module. A record on which the function throws leaves the output as an error record; stageThreshold / totalThreshold bound how many a job tolerates.",
  inputs: 'one',
  params: {
    properties: {
      condition: nonEmptyString("a SQL expression, e.g. \"amount > 0 AND status <> 'x'\""),
      function: functionRef('a row function returning true for the records to keep'),
    },
    oneOf: [{ required: ['condition'] }, { required: ['function'] }],
  },
  example: { condition: "amount > 100 AND country = 'FR'" },
  apiParams: ['f'],
  kernel: filterKernel,
  inputColumns({ f }, required) {
    const refs = exprColumns(f);
    return [refs && required ? union(required, refs) : null];
  },
  keeps: ({ f }) => keptRows(f),
  // Under a count an expression's rows are counted, not gathered; a row function still sees its records.
  rowsOnly: (params) => (isExprInput(params.f) ? { ...params, rowsOnly: true } : params),
  perSplit: () => true,
  fromSpec: ({ condition, function: fn }, { frames, info, functionRef: resolve }) =>
    applyFilter({ frame: frames[0], f: fn ? resolve(fn as FnRef, 'function') : (condition as string), ...info }),
  apply: applyFilter,
});

