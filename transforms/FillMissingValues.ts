import { Field, Schema, Type, type Data, type RecordBatch } from 'apache-arrow';
import type { Chunk, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { columnFromValues } from '../src/columns/fromValues.js';
import { makeBatch } from '../src/columns/take.js';
import { columnValues } from '../src/columns/toValues.js';
import { isIntegerType, isNumericType, logicalType } from '../src/expr/typeRules.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { typeName } from '../src/types/typeNames.js';
import { describeFields } from './paths/columnPlan.js';
import { leastSquares, median } from './ml/leastSquares.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface FillMissingValuesParams { missingValuesColumn: string; outputColumn?: string }

/**
 * Glue's FillMissingValues (awsglueml): adds `outputColumn` (default `<column>_filled`) holding
 * the column's value where present and an estimate where it is missing (null, or an empty
 * string). Glue trains a model on the job's data; sluice fills deterministically, so a rerun
 * gives the same values:
 * - numeric columns: a least-squares linear regression on the frame's other numeric columns
 *   that have no nulls, fitted on the rows where the column is present; without such columns, or
 *   when the fit is singular, the median of the present values. Integer columns round the estimate.
 * - string (and boolean) columns: the most frequent present value, the first met on a tie.
 * The whole input is read before the first row is written (the estimate needs every row).
 */
export const fillMissingValuesKernel: TransformKernel<FillMissingValuesParams> = {
  name: 'FillMissingValues',
  prepare([input], { missingValuesColumn, outputColumn }) {
    const target = input.fields.findIndex((f) => f.name === missingValuesColumn);
    if (target < 0) throw new SluiceError(`no column '${missingValuesColumn}' to fill; available: ${describeFields(input.fields)}`);
    // A dictionary-encoded string column fills (and is written) as plain strings.
    const type = logicalType(input.fields[target].type);
    const numeric = isNumericType(type);
    if (!numeric && type.typeId !== Type.Utf8 && type.typeId !== Type.Bool) {
      throw new SluiceError(`FillMissingValues fills numeric, string and boolean columns; '${missingValuesColumn}' is ${typeName(type)}`);
    }
    const outName = outputColumn ?? `${missingValuesColumn}_filled`;
    const replaced = input.fields.findIndex((f) => f.name === outName);
    const outField = new Field(outName, type, true);
    const fields = replaced >= 0 ? input.fields.map((f, i) => (i === replaced ? outField : f)) : [...input.fields, outField];
    const schema = new Schema(fields, input.metadata);
    return {
      schema,
      async *run([stream]) {
        const chunks: Chunk[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const fill = numeric ? numericFill(chunks, input, target) : modeFill(chunks, target);
        for (const { batch, errors } of chunks) {
          const filled = columnFromValues(type, fill(batch));
          const columns = batch.data.children.slice() as Data[];
          if (replaced >= 0) columns[replaced] = filled;
          else columns.push(filled);
          yield { batch: makeBatch(schema, columns, batch.numRows), errors };
        }
      },
    };
  },
};

type Fill = (batch: RecordBatch) => unknown[];

/** Regression on the complete numeric columns, else the median; the column's values where present. */
function numericFill(chunks: Chunk[], input: Schema, target: number): Fill {
  const predictors = input.fields
    .map((f, i) => i)
    .filter((i) => i !== target && isNumericType(input.fields[i].type) && chunks.every((c) => (c.batch.data.children[i] as Data).nullCount === 0));
  const xs: number[][] = predictors.map(() => []);
  const ys: number[] = [];
  for (const { batch } of chunks) {
    const y = columnValues(batch.data.children[target] as Data);
    const cols = predictors.map((p) => columnValues(batch.data.children[p] as Data));
    for (let r = 0; r < batch.numRows; r++) {
      if (y[r] === null) continue;
      ys.push(Number(y[r]));
      cols.forEach((col, j) => xs[j].push(Number(col[r])));
    }
  }
  const fit = predictors.length ? leastSquares(xs.map((x) => Float64Array.from(x)), Float64Array.from(ys)) : undefined;
  const fallback = median(Float64Array.from(ys));
  const round = isIntegerType(input.fields[target].type) ? Math.round : (v: number) => v;
  return (batch) => {
    const y = columnValues(batch.data.children[target] as Data);
    const cols = fit ? predictors.map((p) => columnValues(batch.data.children[p] as Data)) : [];
    return y.map((v, r) => {
      if (v !== null) return v;
      if (!fit) return fallback === undefined ? null : round(fallback);
      let estimate = fit[0];
      for (let j = 0; j < cols.length; j++) estimate += fit[j + 1] * Number(cols[j][r]);
      return round(estimate);
    });
  };
}

/** The most frequent present value (first met on a tie); null and '' are missing. */
function modeFill(chunks: Chunk[], target: number): Fill {
  const counts = new Map<unknown, number>();
  for (const { batch } of chunks) {
    for (const v of columnValues(batch.data.children[target] as Data)) if (v !== null && v !== '') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  let mode: unknown = null;
  let best = 0;
  for (const [value, n] of counts) if (n > best) (mode = value), (best = n);
  return (batch) => columnValues(batch.data.children[target] as Data).map((v) => (v === null || v === '' ? mode : v));
}

export const FillMissingValues = defineTransform({
  name: 'FillMissingValues',
  description: "Glue's FillMissingValues: adds outputColumn (default <column>_filled) with the column's value, or an estimate where it is null or empty. Deterministic, not Glue's trained model: numeric columns by a least-squares regression on the other complete numeric columns (else the median), strings and booleans by the most frequent value. Reads its whole input first.",
  inputs: 'one',
  params: {
    properties: {
      missingValuesColumn: nonEmptyString('the column with missing values to fill'),
      outputColumn: nonEmptyString('the column to write (default <missingValuesColumn>_filled; an existing column is replaced)'),
    },
    required: ['missingValuesColumn'],
  },
  example: { missingValuesColumn: 'age' },
  kernel: fillMissingValuesKernel,
  apply(args: { frame: DataFrame<Row>; missingValuesColumn: string; outputColumn?: string } & TransformInfo): DataFrame<Row> {
    if (typeof args.missingValuesColumn !== 'string' || !args.missingValuesColumn) throw new SluiceError('FillMissingValues needs missingValuesColumn: the column to fill');
    const params = args.outputColumn ? { missingValuesColumn: args.missingValuesColumn, outputColumn: args.outputColumn } : { missingValuesColumn: args.missingValuesColumn };
    return args.frame.derive('FillMissingValues', params, [], args);
  },
});
