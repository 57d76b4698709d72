import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { applyPlans, parsePaths, schemaOf } from './paths/columnPlan.js';
import { pathTree, selectPlans } from './paths/pathTree.js';
import { topLevel } from '../src/plan/columnsUsed.js';
import { stringList } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface SelectFieldsParams { paths: FieldPath[] }

/**
 * Keeps only the named fields, in the order named. A nested path (`address.city`) keeps the
 * struct with just the chosen children; backticks quote names holding dots (`` `a.b` ``).
 */
export const selectFieldsKernel: TransformKernel<SelectFieldsParams> = {
  name: 'SelectFields',
  prepare([input], { paths }) {
    const plans = selectPlans(input.fields, pathTree(input.fields, parsePaths(paths, 'SelectFields paths')));
    const schema = schemaOf(plans, input);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) yield { batch: applyPlans(plans, schema, chunk.batch), errors: chunk.errors };
      },
    };
  },
};

export const SelectFields = defineTransform({
  name: 'SelectFields',
  description: 'Keeps only the named fields, in the order named. A nested path (address.city) keeps the struct with just the chosen children; backticks quote names holding dots.',
  inputs: 'one',
  params: {
    properties: { paths: stringList('field paths; dots reach into structs, backticks quote a name holding dots') },
    required: ['paths'],
  },
  example: { paths: ['id', 'address.city'] },
  kernel: selectFieldsKernel,
  inputColumns: ({ paths }) => [new Set(paths.map(topLevel))],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; paths: FieldPath[] } & TransformInfo): DataFrame<Row> {
    parsePaths(args.paths, 'SelectFields paths');
    return args.frame.derive('SelectFields', { paths: [...args.paths] }, [], args);
  },
});
