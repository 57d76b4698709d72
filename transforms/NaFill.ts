import { Type, type DataType, type Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ExprNode } from '../src/expr/ast.js';
import { isNumericType, isStringType } from '../src/expr/typeRules.js';
import { typeName } from '../src/types/typeNames.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { withColumnsKernel } from './WithColumns.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export type FillValue = number | string | boolean;

export interface NaFillParams {
  /** One value for every column of its kind, or `{ column: value }`. */
  value: FillValue | Record<string, FillValue>;
  /** With one value: the columns to fill (default all). */
  subset?: string[];
}

/**
 * Spark's `df.na.fill` / `fillna`: replaces nulls (and NaN in float columns) by a value. One
 * value fills the columns of its kind only — a number the numeric columns (cast to each column's
 * type, so 1.5 fills an int column with 1), a string the string columns, a boolean the boolean
 * ones — and leaves the others as they are; `{ column: value }` fills the named columns. A
 * column's type never changes. Reuses WithColumns' kernel with `coalesce(c, value)`.
 */
export const naFillKernel: TransformKernel<NaFillParams> = {
  name: 'NaFill',
  prepare([input], params) {
    const columns = fillExpressions(input, params);
    if (Object.keys(columns).length === 0) return { schema: input, run: ([stream]) => stream };
    return withColumnsKernel.prepare([input], { columns });
  },
};

function fillExpressions(input: Schema, { value, subset }: NaFillParams): Record<string, ExprNode> {
  const out: Record<string, ExprNode> = {};
  const field = (name: string) => {
    const f = input.fields.find((x) => x.name === name);
    if (!f) throw new SluiceError(`na.fill: no column '${name}'; columns: ${input.fields.map((x) => x.name).join(', ')}`);
    return f;
  };
  if (typeof value === 'object' && value !== null) {
    for (const [name, v] of Object.entries(value)) {
      const f = field(name);
      if (!fits(v, f.type)) {
        throw new SluiceError(`na.fill: cannot fill column '${name}' of type ${typeName(f.type)} with ${JSON.stringify(v)}; give a value of its kind`);
      }
      out[name] = fillNode(name, v, f.type);
    }
    return out;
  }
  checkValue(value);
  const names = subset ?? input.fields.map((f) => f.name);
  for (const name of names) {
    const f = field(name);
    if (fits(value, f.type)) out[name] = fillNode(name, value, f.type);
  }
  return out;
}

function checkValue(v: unknown): asserts v is FillValue {
  if (!['number', 'string', 'boolean'].includes(typeof v)) throw new SluiceError(`na.fill: the value must be a number, string or boolean, got ${JSON.stringify(v)}`);
}

function fits(v: FillValue, type: DataType): boolean {
  checkValue(v);
  if (typeof v === 'number') return isNumericType(type);
  if (typeof v === 'string') return isStringType(type);
  return type.typeId === Type.Bool;
}

function fillNode(name: string, v: FillValue, type: DataType): ExprNode {
  const column: ExprNode = { kind: 'col', name };
  const value: ExprNode = { kind: 'cast', expr: { kind: 'lit', value: v }, to: typeName(type) };
  // Spark's fill treats NaN as missing in float columns.
  const base: ExprNode = type.typeId === Type.Float ? { kind: 'call', fn: 'nanvl', args: [column, value] } : column;
  return { kind: 'cast', expr: { kind: 'call', fn: 'coalesce', args: [base, value] }, to: typeName(type) };
}

/** Internal: `df.na.fill` and `df.fillna` build it. */
export const NaFill = defineTransform({
  name: 'NaFill',
  description: "Spark's na.fill: replaces nulls (and NaN in float columns) by a value, in the columns of the value's kind or the named ones.",
  internal: true,
  inputs: 'one',
  params: {
    properties: {
      value: { description: 'a number, string or boolean, or {"column": value}' },
      subset: { type: 'array', items: { type: 'string' }, description: 'the columns to fill (default all)' },
    },
    required: ['value'],
  },
  example: { value: 0, subset: ['amount'] },
  kernel: naFillKernel,
  // The columns a fill names must reach it even when nothing above reads them (it checks they exist).
  inputColumns: ({ value, subset }, required) =>
    [required ? new Set([...required, ...(typeof value === 'object' && value !== null ? Object.keys(value) : []), ...(subset ?? [])]) : null],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row> } & NaFillParams & TransformInfo): DataFrame<Row> {
    const params: NaFillParams = { value: args.value, ...(args.subset ? { subset: [...args.subset] } : {}) };
    return args.frame.derive('NaFill', params as unknown as Record<string, unknown>, [], args);
  },
});
