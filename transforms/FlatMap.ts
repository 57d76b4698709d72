import { DataFrame, type Row } from '../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { applyFlatMapRecords, type FlatRowFunction } from './FlatMapRecords.js';
import { memberTransform } from './paramSchemas.js';
import { defineTransform, noPlanNode } from './TransformDef.js';
import type { TransformInfo } from './types.js';

/** What FlatMap applies to each member of a collection: its frame and key → a frame or a collection. */
export type CollectionFlatMapFunction = (frame: DataFrame<Row>, key: string) => DataFrame<Row> | DynamicFrameCollection;

/** A Glue transform as FlatMap's `BaseTransform`: anything with `apply({...})` (SplitFields, DropNullFields…). */
export interface BaseTransformLike {
  apply(args: never): DataFrame<Row> | DynamicFrameCollection;
}

export interface FlatMapParams {
  /** The collection (Glue's `dfc`); a frame here makes FlatMap Spark's row-level flatMap (FlatMapRecords). */
  frame?: DynamicFrameCollection | DataFrame<Row>;
  dfc?: DynamicFrameCollection;
  /**
   * Over a collection: `(frame, key) => frame | collection`. Over a frame: a row function,
   * record → 0..n records (`df.flatMap`).
   */
  f?: CollectionFlatMapFunction | FlatRowFunction;
  /** Glue's `BaseTransform`: the transform applied to each member, with `baseKwargs`. */
  BaseTransform?: BaseTransformLike;
  /** Glue's `frame_name`: the argument of BaseTransform.apply the member is passed as (default `frame`). */
  frameName?: string;
  /** Glue's `**base_kwargs`: BaseTransform's other arguments. */
  baseKwargs?: Record<string, unknown>;
  /** Row-level only: the output columns, as Map's. */
  schema?: Record<string, string>;
}

/**
 * Glue's FlatMap (awsglue/transforms/collection_transforms.py, `DynamicFrameCollection.flatmap`):
 * applies a transform to every frame of a collection and flattens the results into one collection
 * — a frame keeps its member's name, a collection adds its members. Given a frame instead, it is
 * Spark's row-level flatMap (FlatMapRecords), which sluice's FlatMap was before; `df.flatMap(f)`
 * stays row-level.
 */
function applyFlatMap(args: { frame: DataFrame<Row>; f: FlatRowFunction; schema?: Record<string, string> } & TransformInfo): DataFrame<Row>;
function applyFlatMap(args: Omit<FlatMapParams, 'f' | 'frame' | 'dfc' | 'schema'> & { f?: CollectionFlatMapFunction } & ({ frame: DynamicFrameCollection } | { dfc: DynamicFrameCollection }) & TransformInfo): DynamicFrameCollection;
function applyFlatMap(args: FlatMapParams & TransformInfo): DataFrame<Row> | DynamicFrameCollection;
function applyFlatMap(args: FlatMapParams & TransformInfo): DataFrame<Row> | DynamicFrameCollection {
  const { frame, dfc, f, BaseTransform, frameName, baseKwargs, schema, ...info } = args;
  if (frame !== undefined && dfc !== undefined) throw new SluiceError('FlatMap takes the collection as dfc or as frame, not both');
  const input = dfc ?? frame;
  if (input instanceof DataFrame) {
    if (BaseTransform || frameName !== undefined || baseKwargs) throw new SluiceError('FlatMap over a frame is the row-level flatMap: it takes f, a row function; BaseTransform, frameName and baseKwargs need a DynamicFrameCollection');
    if (f === undefined) throw new SluiceError('FlatMap over a frame needs f: a row function, record → array of records');
    return applyFlatMapRecords({ frame: input, f: f as FlatRowFunction, ...(schema ? { schema } : {}), ...info });
  }
  if (!(input instanceof DynamicFrameCollection)) {
    throw new SluiceError('FlatMap needs dfc (or frame): a DynamicFrameCollection for Glue\'s FlatMap, or a frame for the row-level flatMap');
  }
  if (schema) throw new SluiceError('FlatMap over a collection takes no schema (that is the row-level flatMap\'s)');
  if ((f === undefined) === (BaseTransform === undefined)) throw new SluiceError('FlatMap over a collection needs exactly one of f, a function (frame, key) => frame or collection, and BaseTransform');
  if (f !== undefined) {
    if (typeof f !== 'function') throw new SluiceError('FlatMap over a collection needs f: a function (frame, key) => frame or collection');
    return input.flatMap(f as CollectionFlatMapFunction);
  }
  if (typeof BaseTransform?.apply !== 'function') throw new SluiceError('FlatMap BaseTransform: a transform with apply({...}), e.g. SplitFields');
  const argument = frameName ?? 'frame';
  return input.flatMap((member, key) => BaseTransform.apply({
    ...baseKwargs,
    [argument]: member,
    ...(info.transformationCtx ? { transformationCtx: `${info.transformationCtx}:${key}` } : {}),
  } as never));
}

const definition = defineTransform({
  name: 'FlatMap',
  description:
    "Glue's FlatMap: applies a transform to every frame of a collection and flattens the results into one collection (a frame keeps its member's name, " +
    'a collection such as SplitFields\' adds its members; a later name replaces an earlier one). In a job spec the transform is a node without id or input, ' +
    'e.g. {"type": "SplitFields", "paths": ["id"], "name1": "ids", "name2": "rest"}; in code, f: (frame, key) => frame or collection, or Glue\'s BaseTransform/frameName/baseKwargs. ' +
    "In code, FlatMap given a frame is Spark's row-level flatMap (the FlatMapRecords node).",
  inputs: 'collection',
  output: 'collection',
  params: {
    properties: {
      transform: memberTransform('a transform node without id and input, applied to each member; it may make a frame or a collection: {"type": "SplitFields", "paths": ["id"], "name1": "ids", "name2": "rest"}'),
    },
    required: ['transform'],
  },
  example: { transform: { type: 'SplitFields', paths: ['id'], name1: 'ids', name2: 'rest' } },
  apiParams: ['frame', 'f', 'BaseTransform', 'frameName', 'baseKwargs', 'schema'],
  kernel: noPlanNode('FlatMap'),
  apply: (args: FlatMapParams & TransformInfo) => applyFlatMap(args),
  fromSpec(params, ctx): DynamicFrameCollection {
    const node = params.transform as Record<string, unknown>;
    return (ctx.collection as DynamicFrameCollection).flatMap((frame) => ctx.applyNode(node, frame, 'transform', { collection: true }));
  },
});

/** FlatMap, with `apply` typed by its input: a collection gives a collection, a frame a frame. */
export const FlatMap: Omit<typeof definition, 'apply'> & { apply: typeof applyFlatMap } = definition as never;
