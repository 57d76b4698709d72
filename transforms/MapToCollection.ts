import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { memberTransform } from './paramSchemas.js';
import { defineTransform, noPlanNode } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/** What MapToCollection applies to each member: its frame and key → a new frame. */
export type CollectionCallable = (frame: DataFrame<Row>, key: string) => DataFrame<Row>;

export const MapToCollection = defineTransform({
  name: 'MapToCollection',
  description: "Glue's MapToCollection: applies a transform to every frame of a collection and returns the collection of results under the same keys. In a job spec the transform is a node without id or input, e.g. {\"type\": \"DropNullFields\"}; in code, a function (frame, key) => frame.",
  inputs: 'collection',
  output: 'collection',
  params: {
    properties: {
      transform: memberTransform('a transform node without id and input, applied to each member: {"type": "DropFields", "paths": ["note"]}'),
    },
    required: ['transform'],
  },
  example: { transform: { type: 'DropNullFields' } },
  apiParams: ['callable'],
  kernel: noPlanNode('MapToCollection'),
  apply(args: { dfc: DynamicFrameCollection; callable: CollectionCallable } & TransformInfo): DynamicFrameCollection {
    if (typeof args.callable !== 'function') throw new SluiceError('MapToCollection needs callable: a function (frame, key) => frame');
    return args.dfc.map(args.callable);
  },
  fromSpec(params, ctx): DynamicFrameCollection {
    const node = params.transform as Record<string, unknown>;
    return (ctx.collection as DynamicFrameCollection).map((frame) => ctx.applyNode(node, frame, 'transform'));
  },
});
