import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { DropFields } from './DropFields.js';
import { parsePaths } from './paths/columnPlan.js';
import { nonEmptyString, stringList } from './paramSchemas.js';
import { SelectFields } from './SelectFields.js';
import { defineTransform, noPlanNode } from './TransformDef.js';
import type { FieldPath, TransformInfo } from './types.js';

export interface SplitFieldsParams { paths: FieldPath[]; name1?: string; name2?: string }

/** Two member names, checked: Glue's defaults are frame1 and frame2 (a frame has no name here). */
export function memberNames(transform: string, name1: unknown = 'frame1', name2: unknown = 'frame2'): [string, string] {
  for (const [key, value] of [['name1', name1], ['name2', name2]] as const) {
    if (typeof value !== 'string' || value === '') throw new SluiceError(`${transform} ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  if (name1 === name2) throw new SluiceError(`${transform} name1 and name2 are both '${String(name1)}'; the two frames need two names`);
  return [name1 as string, name2 as string];
}

export const SplitFields = defineTransform({
  name: 'SplitFields',
  description: "Glue's SplitFields: a collection of two frames, name1 (default frame1) with the fields at paths (as SelectFields: in the order named, nested paths keep the struct with just those children) and name2 (default frame2) with the rest (as DropFields). Both have every row.",
  inputs: 'one',
  output: 'collection',
  params: {
    properties: {
      paths: stringList('the fields split off into name1; dots reach into structs'),
      name1: { ...nonEmptyString('the frame with the fields at paths'), default: 'frame1' },
      name2: { ...nonEmptyString('the frame with the other fields'), default: 'frame2' },
    },
    required: ['paths'],
  },
  example: { paths: ['id', 'address.city'], name1: 'picked', name2: 'rest' },
  kernel: noPlanNode('SplitFields'),
  apply(args: { frame: DataFrame<Row>; paths: FieldPath[]; name1?: string; name2?: string } & TransformInfo): DynamicFrameCollection {
    const [name1, name2] = memberNames('SplitFields', args.name1, args.name2);
    parsePaths(args.paths, 'SplitFields paths');
    const info = { transformationCtx: args.transformationCtx, stageThreshold: args.stageThreshold, totalThreshold: args.totalThreshold };
    return DynamicFrameCollection.of({
      [name1]: SelectFields.apply({ frame: args.frame, paths: args.paths, ...info }),
      [name2]: DropFields.apply({ frame: args.frame, paths: args.paths, ...info }),
    });
  },
});
