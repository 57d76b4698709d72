import { Type, type Schema } from 'apache-arrow';
import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { ExprNode } from '../src/expr/ast.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { filterKernel } from './Filter.js';
import { defineTransform } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface NaDropParams {
  /** `any` (default): drop a row with any null; `all`: only a row that is null everywhere. */
  how?: 'any' | 'all';
  /** Keep rows with at least this many non-null values (overrides `how`, as in Spark). */
  thresh?: number;
  /** The columns to look at (default all). */
  subset?: string[];
}

/**
 * Spark's `df.na.drop` / `dropna`: drops the rows holding nulls (or NaN, in float columns) in
 * the columns looked at. Reuses Filter's kernel with the predicate it builds from the schema.
 */
export const naDropKernel: TransformKernel<NaDropParams> = {
  name: 'NaDrop',
  prepare([input], params) {
    return filterKernel.prepare([input], { f: keepPredicate(input, params) });
  },
};

function keepPredicate(input: Schema, { how = 'any', thresh, subset }: NaDropParams): ExprNode {
  if (how !== 'any' && how !== 'all') throw new SluiceError(`na.drop: how must be 'any' or 'all', got ${JSON.stringify(how)}`);
  if (thresh !== undefined && !(Number.isInteger(thresh) && thresh >= 0)) throw new SluiceError(`na.drop: thresh must be a whole number >= 0, got ${JSON.stringify(thresh)}`);
  const names = subset ?? input.fields.map((f) => f.name);
  const present = names.map((name) => {
    const f = input.fields.find((x) => x.name === name);
    if (!f) throw new SluiceError(`na.drop: no column '${name}'; columns: ${input.fields.map((x) => x.name).join(', ')}`);
    const column: ExprNode = { kind: 'col', name };
    const notNull: ExprNode = { kind: 'isNull', expr: column, negated: true };
    if (f.type.typeId !== Type.Float) return notNull;
    return { kind: 'logic', op: 'and', left: notNull, right: { kind: 'not', expr: { kind: 'call', fn: 'isnan', args: [column] } } } as ExprNode;
  });
  if (present.length === 0) return { kind: 'lit', value: true };
  const minimum = thresh ?? (how === 'any' ? present.length : 1);
  const counted = present
    .map((p): ExprNode => ({ kind: 'case', branches: [{ when: p, then: { kind: 'lit', value: 1 } }], otherwise: { kind: 'lit', value: 0 } }))
    .reduce((a, b) => ({ kind: 'arith', op: '+', left: a, right: b }));
  return { kind: 'compare', op: '>=', left: counted, right: { kind: 'lit', value: minimum } };
}

/** Internal: `df.na.drop` and `df.dropna` build it. */
export const NaDrop = defineTransform({
  name: 'NaDrop',
  description: "Spark's na.drop: drops the rows holding nulls (or NaN) in the columns looked at.",
  internal: true,
  inputs: 'one',
  params: {
    properties: {
      how: { enum: ['any', 'all'], description: 'any (default): a null anywhere drops the row; all: only all-null rows' },
      thresh: { type: 'integer', minimum: 0, description: 'keep rows with at least this many non-null values' },
      subset: { type: 'array', items: { type: 'string' }, description: 'the columns to look at (default all)' },
    },
  },
  example: { how: 'any', subset: ['id'] },
  kernel: naDropKernel,
  // Without a subset every column decides which rows stay.
  inputColumns: ({ subset }, required) => [required && subset ? new Set([...required, ...subset]) : null],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row> } & NaDropParams & TransformInfo): DataFrame<Row> {
    const params: NaDropParams = {
      ...(args.how !== undefined ? { how: args.how } : {}),
      ...(args.thresh !== undefined ? { thresh: args.thresh } : {}),
      ...(args.subset ? { subset: [...args.subset] } : {}),
    };
    return args.frame.derive('NaDrop', params as unknown as Record<string, unknown>, [], args);
  },
});
