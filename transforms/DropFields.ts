import type { TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { applyPlans, parsePaths, schemaOf } from './paths/columnPlan.js';
import { dropPlans, pathTree } from './paths/pathTree.js';
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

export const DropFields = {
  name: 'DropFields',
  kernel: dropFieldsKernel,
  apply(args: { frame: DataFrame<Row>; paths: FieldPath[] } & TransformInfo): DataFrame<Row> {
    parsePaths(args.paths, 'DropFields paths');
    return args.frame.derive('DropFields', { paths: [...args.paths] }, [], args);
  },
};
