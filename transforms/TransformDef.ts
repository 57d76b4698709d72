import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import type { DynamicFrameCollection } from '../src/frame/DynamicFrameCollection.js';
import type { NodeInfo } from '../src/plan/PlanNode.js';
import type { TransformDef } from '../src/plan/TransformDef.js';
import type { TransformKernel } from '../src/exec/Kernel.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { nearestName } from '../src/types/nearestName.js';
import type { FnRef } from './types.js';

/** A JSON Schema (draft-07) of one parameter; `description` is what `sluice transforms` prints. */
export type ParamSchema = { description?: string } & Record<string, unknown>;

/** A transform's own fields in a job-spec node, as JSON Schema: the node schema is built from it. */
export interface ParamsSchema {
  properties: Record<string, ParamSchema>;
  required?: string[];
  /** Alternatives, each naming the parameters it requires (Filter: a condition or a function). */
  oneOf?: { required: string[] }[];
}

/**
 * How a spec node and an `apply` call name their inputs: `input` and `frame` (one input), or
 * `inputs: [a, b]` and `frame1`, `frame2` (two: Join; 'many' takes two or more: Union), or
 * `input` and `dfc` (a whole collection: SelectFromCollection, MapToCollection).
 */
export type InputArity = 'one' | 'two' | 'many' | 'collection';

/** What a spec node's builder gets from the job-spec loader. */
export interface SpecContext {
  /** The node's input frames, in the order the node names them (none for a collection input). */
  frames: DataFrame[];
  /** The input collection of a node whose `inputs` is 'collection'. */
  collection?: DynamicFrameCollection;
  /** The node's settings (transformationCtx defaults to the node id). */
  info: NodeInfo;
  /** A spec's `{ module, export }` with its file path resolved against the spec's folder and checked. */
  functionRef(ref: { module: string; export?: string }, field: string): FnRef;
  /** The job spec's `catalog` root (resolved against the spec's folder), when the spec names one. */
  catalogRoot?: string;
  /**
   * Applies a node-shaped transform (`{ "type": "DropFields", "paths": [...] }`) to `frame`, as a
   * spec node would; with `collection: true` it may be one that makes a collection (SplitFields).
   */
  applyNode(node: Record<string, unknown>, frame: DataFrame, field: string): DataFrame;
  applyNode(node: Record<string, unknown>, frame: DataFrame, field: string, options: { collection: true }): DataFrame | DynamicFrameCollection;
}

/**
 * One transform, described once: the planner and executor read its TransformDef part (kernel,
 * needed input columns, per-split, partial form); the job-spec schema and loader, the
 * `sluice transforms` listing and DataFrame's dispatch read the rest.
 */
export interface Transform<N extends string = string, A extends object = never, P = Record<string, unknown>, R = DataFrame<Row>> extends TransformDef<P> {
  name: N;
  /** One paragraph: what it does, the Glue or Spark behaviour it follows, what to watch for. */
  description: string;
  /** Glue's own name when it differs (a Glue Studio transform's `gs_*` method). */
  glueName?: string;
  inputs: InputArity;
  /** 'collection' for transforms with several outputs (Relationalize, SplitFields): a spec node reads one by `key`. */
  output?: 'frame' | 'collection';
  /** The node's own fields in a job spec (Glue's parameter names, camelCase). */
  params: ParamsSchema;
  /** A spec node's own fields, as `sluice transforms` shows and the schema's `examples` hold. */
  example: Record<string, unknown>;
  /** Parameter names of `apply` where they differ from the spec's (Filter and Map take `f`). */
  apiParams?: string[];
  /** Internal steps (Limit) are plan nodes only: no spec node type, no listing. */
  internal?: boolean;
  /** `Transform.apply({ frame, ...params })`: checks the parameters and adds the plan node. */
  apply(args: A): R;
  /** Builds a spec node's frame when its fields are not simply `apply`'s parameters. */
  fromSpec?(params: Record<string, unknown>, ctx: SpecContext): R;
}

/** Any transform of the registry. */
export type AnyTransform = Transform<string, any, any, any>;

const INFO_KEYS = ['transformationCtx', 'stageThreshold', 'totalThreshold'];

/**
 * A transform definition whose `apply` first rejects parameters it does not know, naming the
 * nearest known one — a misspelt optional parameter would otherwise be silently ignored.
 */
export function defineTransform<N extends string, A extends object, P, R = DataFrame<Row>>(def: Transform<N, A, P, R>): Transform<N, A, P, R> {
  const known = [...frameParams(def.inputs), ...apiParamNames(def), ...INFO_KEYS];
  const apply = def.apply;
  return {
    ...def,
    apply(args: A) {
      for (const key of Object.keys(args)) {
        if (!known.includes(key)) throw unknownParameter(def.name, key, known);
      }
      return apply(args);
    },
  };
}

/** The parameter names `apply` takes beside its frames and Glue's node settings. */
export function apiParamNames(def: Pick<AnyTransform, 'apiParams' | 'params'>): string[] {
  return def.apiParams ?? Object.keys(def.params.properties);
}

export function frameParams(inputs: InputArity): string[] {
  if (inputs === 'collection') return ['dfc'];
  return inputs === 'one' ? ['frame'] : ['frame1', 'frame2'];
}

/** A spec node's example for a transform: its inputs named as a job would, then its example fields. */
export function exampleNode(t: AnyTransform): Record<string, unknown> {
  const inputs = t.inputs === 'one' ? { input: 'orders' } : t.inputs === 'collection' ? { input: 'tables' } : { inputs: ['orders', 'customers'] };
  return { id: t.name.toLowerCase(), type: t.name, ...inputs, ...t.example };
}

function unknownParameter(transform: string, key: string, known: string[]): SluiceError {
  const near = nearestName(key, known);
  return new SluiceError(near
    ? `unknown ${transform} parameter '${key}'; did you mean '${near}'?`
    : `unknown ${transform} parameter '${key}'; its parameters: ${known.join(', ')}`);
}

/**
 * The kernel of a transform that works on a collection's members and adds no plan node of its
 * own (SelectFromCollection, MapToCollection): a plan never names it, so preparing one is a bug.
 */
export function noPlanNode(name: string): TransformKernel<never> {
  return {
    name,
    prepare() {
      throw new SluiceError(`${name} works on a collection and makes no plan node of its own`);
    },
  };
}
