import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { applyPlans, parsePaths, schemaOf } from './paths/columnPlan.js';
import { dropPlans, pathTree } from './paths/pathTree.js';
import { topLevel, union } from '../src/plan/columnsUsed.js';
import { stringList } from './paramSchemas.js';
import { defineTransform } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface DropFieldsParams { paths: FieldPath[] }

/**
 * Drops the named fields; nested paths drop children of structs (a struct left without
 * children is dropped as well, since an empty struct cannot be written to Parquet).
 */
export const dropFieldsKernel: TransformKernel<DropFieldsParams> = {
  name: 'DropFields',
  prepare([input], { paths }) {
    const plans = dropPlans(input.fields, pathTree(input.fields, parsePaths(paths, 'DropFields paths')));
    const schema = schemaOf(plans, input);
    return {
      schema,
      async *run([stream]) {
        for await (const chunk of stream) yield { batch: applyPlans(plans, schema, chunk.batch), errors: chunk.errors };
      },
    };
  },
};

export const DropFields = defineTransform({
  name: 'DropFields',
  description: 'Drops the named fields; nested paths drop children of structs (a struct left without children is dropped as well, since an empty struct cannot be written to Parquet).',
  inputs: 'one',
  params: {
    properties: { paths: stringList('field paths; dots reach into structs, backticks quote a name holding dots') },
    required: ['paths'],
  },
  example: { paths: ['note', 'address.zip'] },
  kernel: dropFieldsKernel,
  // The dropped columns must still exist for DropFields to check its paths.
  inputColumns: ({ paths }, required) => [required ? union(required, paths.map(topLevel)) : null],
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; paths: FieldPath[] } & TransformInfo): DataFrame<Row> {
    parsePaths(args.paths, 'DropFields paths');
    return args.frame.derive('DropFields', { paths: [...args.paths] }, [], args);
  },
});
