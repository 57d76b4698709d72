import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { nonEmptyString } from './paramSchemas.js';
import { defineTransform, noPlanNode } from './TransformDef.js';
import type { TransformInfo } from './types.js';

export interface SelectFromCollectionParams { key: string }

export const SelectFromCollection = defineTransform({
  name: 'SelectFromCollection',
  description: "Glue's SelectFromCollection: one frame of a collection (Relationalize's tables, SplitFields' and SplitRows' two frames) by its key. In a job spec, any one-input node or write node may instead read a member directly with \"input\": \"<collection node>\", \"key\": \"<member>\".",
  inputs: 'collection',
  params: {
    properties: { key: nonEmptyString("the member's name, e.g. root_links") },
    required: ['key'],
  },
  example: { key: 'root_links' },
  kernel: noPlanNode('SelectFromCollection'),
  apply(args: { dfc: DynamicFrameCollection; key: string } & TransformInfo): DataFrame<Row> {
    if (!args.dfc || typeof (args.dfc as Partial<DynamicFrameCollection>).select !== 'function') {
      throw new SluiceError('SelectFromCollection needs dfc: a DynamicFrameCollection (from Relationalize, SplitFields, SplitRows or DynamicFrameCollection.of)');
    }
    return args.dfc.select(args.key);
  },
});
