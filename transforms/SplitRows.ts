import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { Filter } from './Filter.js';
import { formatFieldPath, parseFieldPath } from './fieldPath.js';
import { nonEmptyString } from './paramSchemas.js';
import { memberNames } from './SplitFields.js';
import { defineTransform, noPlanNode } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/** `{ "age": { ">": 10, "<": 20 } }`: path → operator → value, all ANDed (Glue's comparison_dict). */
export type ComparisonDict = Record<string, Record<string, string | number | boolean>>;

export interface SplitRowsParams { comparisonDict: ComparisonDict; name1?: string; name2?: string }

/** Glue's operators, as SQL. */
const OPERATORS: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** The condition as SQL text: every comparison ANDed, paths quoted so any name works. */
export function comparisonCondition(dict: ComparisonDict): string {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || Object.keys(dict).length === 0) {
    throw new SluiceError(`SplitRows comparisonDict must be an object such as {"age": {">": 10}}, got ${JSON.stringify(dict)}`);
  }
  const terms: string[] = [];
  for (const [path, comparisons] of Object.entries(dict)) {
    const column = parseFieldPath(path).map((p) => '`' + p.replace(/`/g, '``') + '`').join('.');
    if (comparisons === null || typeof comparisons !== 'object' || Array.isArray(comparisons) || Object.keys(comparisons).length === 0) {
      throw new SluiceError(`SplitRows comparisonDict['${formatFieldPath(parseFieldPath(path))}'] must map operators to values, such as {">": 10}`);
    }
    for (const [op, value] of Object.entries(comparisons)) {
      const sql = OPERATORS[op];
      if (!sql) throw new SluiceError(`SplitRows: unknown operator '${op}' for '${path}'; Glue's operators: ${Object.keys(OPERATORS).join(', ')}`);
      terms.push(`${column} ${sql} ${literal(value, path)}`);
    }
  }
  return terms.join(' AND ');
}

function literal(value: unknown, path: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  throw new SluiceError(`SplitRows: the value for '${path}' must be a number, string or boolean, got ${JSON.stringify(value)}`);
}

export const SplitRows = defineTransform({
  name: 'SplitRows',
  description: "Glue's SplitRows: a collection of two frames, name1 (default frame1) with the rows meeting every comparison of comparisonDict ({\"age\": {\">\": 10, \"<\": 20}}; operators =, !=, <, <=, >, >=; paths with dots reach into structs) and name2 (default frame2) with all the others, null-safe: a row whose compared value is null goes to name2, so no row is lost. Each frame is a Filter of the same input.",
  inputs: 'one',
  output: 'collection',
  params: {
    properties: {
      comparisonDict: {
        type: 'object', minProperties: 1,
        additionalProperties: {
          type: 'object', minProperties: 1, propertyNames: { enum: Object.keys(OPERATORS) },
          additionalProperties: { type: ['string', 'number', 'boolean'] },
        },
        description: 'path → {operator: value}, every comparison ANDed',
      },
      name1: { ...nonEmptyString('the frame of rows meeting every comparison'), default: 'frame1' },
      name2: { ...nonEmptyString('the frame of the other rows'), default: 'frame2' },
    },
    required: ['comparisonDict'],
  },
  example: { comparisonDict: { age: { '>': 10, '<': 20 } }, name1: 'teens', name2: 'others' },
  kernel: noPlanNode('SplitRows'),
  apply(args: { frame: DataFrame<Row>; comparisonDict: ComparisonDict; name1?: string; name2?: string } & TransformInfo): DynamicFrameCollection {
    const [name1, name2] = memberNames('SplitRows', args.name1, args.name2);
    const condition = comparisonCondition(args.comparisonDict);
    const info = { transformationCtx: args.transformationCtx, stageThreshold: args.stageThreshold, totalThreshold: args.totalThreshold };
    return DynamicFrameCollection.of({
      [name1]: Filter.apply({ frame: args.frame, f: condition, ...info }),
      // NOT (…) alone would drop the rows where the condition is null: coalesce keeps them.
      [name2]: Filter.apply({ frame: args.frame, f: `NOT coalesce(${condition}, false)`, ...info }),
    });
  },
});
