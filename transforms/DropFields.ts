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

/** A path naming a top-level column (not a field inside a struct); a path that does not parse is not. */
function isTopLevel(path: FieldPath): boolean {
  try {
    return parsePaths([path], 'DropFields paths')[0].parts.length === 1;
  } catch {
    return false; // the transform reports it
  }
}

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
  // Dropped columns are only checked to exist (a scan gives them as nulls, unparsed); a nested
  // path's struct is read, to rebuild it without the dropped child.
  inputColumns: ({ paths }, required) => [required ? union(required, paths.filter((path) => !isTopLevel(path)).map(topLevel)) : null],
  checkedOnly: ({ paths }) => paths.filter(isTopLevel).map(topLevel),
  perSplit: () => true,
  apply(args: { frame: DataFrame<Row>; paths: FieldPath[] } & TransformInfo): DataFrame<Row> {
    parsePaths(args.paths, 'DropFields paths');
    return args.frame.derive('DropFields', { paths: [...args.paths] }, [], args);
  },
});
