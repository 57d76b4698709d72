import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { DataFrame } from '../../frame/DataFrame.js';
import { DynamicFrameCollection } from '../../frame/DynamicFrameCollection.js';
import type { WriteSpec } from '../../frame/DataFrameWriter.js';
import { readFrame, type ReadSpec } from '../../frame/read.js';
import { readTable, type CatalogReadOptions } from '../../frame/readTable.js';
import { isS3Path } from '../../io/store/s3Path.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { FnRef } from '../../../transforms/index.js';
import { transformDefs } from '../../../transforms/registry.js';
import { frameParams, type SpecContext } from '../../../transforms/TransformDef.js';
import { nodeInputs, type FunctionRefSpec, type JobSpec, type NodeInfoSpec, type TransformNodeSpec, type WriteNodeSpec } from './JobSpec.js';
import { approveModuleRef, type ModulePlace, type ModulePolicy } from './moduleRefPolicy.js';
import { substitutePlaceholders } from './placeholders.js';
import { parseReadBound } from '../bookmarks/BookmarkOptions.js';
import type { ReadBound } from '../bookmarks/selectFiles.js';
import { JobSpecError, validateJobSpec } from './validateJobSpec.js';

/** A loaded spec: every node's lazy frame and the writes to run. Nothing has been read yet. */
export interface JobPlan {
  name: string;
  /** The spec's file, or '(object)'. */
  source: string;
  /** Where relative module paths were resolved from. */
  baseDir: string;
  /** What the spec's module references may name. */
  policy: ModulePolicy;
  /** The spec with placeholders filled. */
  spec: JobSpec;
  frames: ReadonlyMap<string, DataFrame>;
  sinks: SinkPlan[];
  /** Error-record labels (transformationCtx) → node id, to count errors per node. */
  labels: ReadonlyMap<string, string>;
}

export interface SinkPlan {
  id: string;
  frame: DataFrame;
  write: WriteSpec;
  /** The catalog table the write registers in (a write node's `catalog`), with the catalog's root. */
  catalog?: { root?: string; database: string; table: string; updateBehavior?: 'UPDATE_IN_DATABASE' | 'LOG' };
}

export interface LoadOptions {
  /** Folder that relative `function.module` paths resolve from (default: the spec file's folder, or the cwd). */
  baseDir?: string;
  /** More folders whose module files the spec may name (besides baseDir); see moduleRefPolicy.ts. */
  allowModuleDirs?: readonly string[];
  /** Packages the spec may import by name. */
  allowModulePackages?: readonly string[];
  /** Read paths that name exactly one object (an event's objects): their read nodes read them literally. */
  literalPaths?: ReadonlySet<string>;
}

/** Builds a read node's frame; bookmarked runs pass one that reads only new files. */
export type ReadSource = (spec: ReadSpec, bound: ReadBound) => DataFrame;

/** Builds a catalog read node's frame; bookmarked runs pass one that reads only new files. */
export type CatalogSource = (table: { database: string; table: string }, options: CatalogReadOptions) => DataFrame;

/**
 * Reads (when given a path), fills `${NAME}` placeholders from `params`, validates, and builds
 * the plan: read nodes through readFrame, transform nodes through their transform's `apply`.
 */
export async function loadJobSpec(spec: string | object, params: Readonly<Record<string, string>> = {}, options: LoadOptions = {}): Promise<JobPlan> {
  const source = typeof spec === 'string' ? spec : '(object)';
  const raw = typeof spec === 'string' ? await readSpecFile(spec) : spec;
  const baseDir = options.baseDir ?? (typeof spec === 'string' ? dirname(resolve(spec)) : process.cwd());
  let filled: unknown;
  try {
    filled = substitutePlaceholders(raw, params);
  } catch (e) {
    // A missing parameter is the command line's fault, not the spec's: name the job, not "invalid".
    throw e instanceof SluiceError ? new SluiceError(`${source}: ${e.message}`, { file: source }) : e;
  }
  const valid = validateJobSpec(filled, source);
  const name = valid.name ?? (typeof spec === 'string' ? basename(spec, extname(spec)) : 'job');
  const policy: ModulePolicy = { baseDir, allowDirs: options.allowModuleDirs ?? [], allowPackages: options.allowModulePackages ?? [] };
  const plan = buildPlan(valid, { name, source, baseDir, policy });
  return options.literalPaths ? rebuildPlan(plan, literalReads(options.literalPaths, source)) : plan;
}

/** The same plan with its read nodes built by `readSource` (the spec is not loaded again). */
export function rebuildPlan(plan: JobPlan, readSource: ReadSource, catalogSource?: CatalogSource): JobPlan {
  return buildPlan(plan.spec, { name: plan.name, source: plan.source, baseDir: plan.baseDir, policy: plan.policy }, readSource, catalogSource);
}

/** Reads nodes whose paths are literal paths with pathMode 'literal'; a node mixing both is an error. */
function literalReads(literal: ReadonlySet<string>, source: string): ReadSource {
  return (spec) => {
    const paths = Array.isArray(spec.paths) ? spec.paths : [spec.paths];
    const count = paths.filter((p) => literal.has(p)).length;
    if (count === 0) return readFrame(spec);
    if (count < paths.length) {
      throw new SluiceError(`${source}: read node ${spec.transformationCtx ?? ''} mixes the event's objects with other paths; an event's objects are read literally, so give the other paths a read node of their own`, { file: source });
    }
    return readFrame({ ...spec, pathMode: 'literal' });
  };
}

async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SluiceError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read: ${(e as Error).message}`, { file: path });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new SluiceError(`${path}: not valid JSON: ${jsonErrorWhere((e as Error).message, text)}`, { file: path });
  }
}

/** Adds the line and column to JSON.parse's "at position N" when the message lacks them. */
function jsonErrorWhere(message: string, text: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

const defaultCatalogSource: CatalogSource = (table, options) => readTable(table, options);

function buildPlan(
  spec: JobSpec,
  base: { name: string; source: string; baseDir: string; policy: ModulePolicy },
  readSource: ReadSource = (read) => readFrame(read),
  catalogSource: CatalogSource = defaultCatalogSource,
): JobPlan {
  const frames = new Map<string, DataFrame>();
  // What each node made: a frame, or a collection (Relationalize, SplitFields…) read by `key`.
  const outputs = new Map<string, DataFrame | DynamicFrameCollection>();
  const labels = new Map<string, string>();
  const sinks: SinkPlan[] = [];
  // The spec's catalog: relative to the spec's folder, as its other paths.
  const catalogRoot = spec.catalog === undefined ? undefined : isS3Path(spec.catalog) ? spec.catalog : resolve(base.baseDir, spec.catalog);
  spec.nodes.forEach((node, index) => {
    if (node.type === 'write') {
      const catalog = node.catalog ? { ...(catalogRoot ? { root: catalogRoot } : {}), ...node.catalog } : undefined;
      sinks.push({ id: node.id, frame: frameOf(outputs, node.input, node.key), write: writeSpec(node), ...(catalog ? { catalog } : {}) });
      return;
    }
    const info = nodeInfo(node);
    labels.set(info.transformationCtx, node.id);
    if (node.type === 'read' && 'catalog' in node) {
      const { database, table, pushDownPredicate, catalogPartitionPredicate } = node.catalog;
      const frame = catalogSource({ database, table }, {
        ...info, ...(catalogRoot ? { catalog: catalogRoot } : {}),
        ...(pushDownPredicate ? { pushDownPredicate } : {}), ...(catalogPartitionPredicate ? { catalogPartitionPredicate } : {}),
      });
      outputs.set(node.id, frame);
      frames.set(node.id, frame);
      return;
    }
    const frame = node.type === 'read'
      ? readSource({
        format: node.format, paths: node.paths, ...info,
        ...(node.formatOptions ? { formatOptions: node.formatOptions } : {}),
        ...(node.schema ? { schema: node.schema } : {}),
      }, parseReadBound({ boundedFiles: node.boundedFiles, boundedSize: node.boundedSize }, `nodes[${index}] (${node.id})`))
      : applyTransform(node, outputs, info, { policy: base.policy, where: `nodes[${index}]`, id: node.id, source: base.source, ...(catalogRoot ? { catalogRoot } : {}) });
    outputs.set(node.id, frame);
    if (frame instanceof DataFrame) frames.set(node.id, frame);
  });
  return { ...base, spec, frames, sinks, labels };
}

/** Glue's node settings; the transformationCtx defaults to the node id so errors name the node. */
function nodeInfo(node: NodeInfoSpec & { id: string }): { transformationCtx: string; stageThreshold?: number; totalThreshold?: number } {
  return {
    transformationCtx: node.transformationCtx ?? node.id,
    ...(node.stageThreshold !== undefined ? { stageThreshold: node.stageThreshold } : {}),
    ...(node.totalThreshold !== undefined ? { totalThreshold: node.totalThreshold } : {}),
  };
}

interface Place extends ModulePlace {
  policy: ModulePolicy;
  /** The spec's catalog root, for transforms that read the catalog (ResolveChoice match_catalog). */
  catalogRoot?: string;
}

/** The fields of a node that are not its transform's own parameters. */
const NODE_FIELDS = new Set(['id', 'type', 'input', 'inputs', 'transformationCtx', 'stageThreshold', 'totalThreshold']);

/** The frame a node reads: node `id`'s frame, or member `key` of its collection (validation paired them). */
function frameOf(outputs: ReadonlyMap<string, DataFrame | DynamicFrameCollection>, id: string, key: string | undefined): DataFrame {
  const output = outputs.get(id);
  if (output instanceof DynamicFrameCollection) return output.select(key as string);
  return output as DataFrame;
}

/**
 * A transform node's frame, through its definition: `fromSpec` when the node's fields are not
 * simply `apply`'s parameters (Filter's condition or function, Union's n inputs), else
 * `apply({ frame | frame1, frame2, ...fields, ...info })`.
 */
function applyTransform(node: TransformNodeSpec, outputs: ReadonlyMap<string, DataFrame | DynamicFrameCollection>, info: ReturnType<typeof nodeInfo>, place: Place): DataFrame | DynamicFrameCollection {
  const def = transformDefs.get(node.type);
  if (!def || def.internal) throw new SluiceError(`${place.where}.type: unknown transform '${node.type}'`); // validation rules this out
  const readsCollection = def.inputs === 'collection';
  const params = Object.fromEntries(Object.entries(node).filter(([key]) => !NODE_FIELDS.has(key) && (readsCollection || key !== 'key')));
  const key = !readsCollection && 'key' in node ? node.key : undefined;
  const collection = readsCollection ? outputs.get(nodeInputs(node)[0]) as DynamicFrameCollection : undefined;
  try {
    const frames = readsCollection ? [] : nodeInputs(node).map((id) => frameOf(outputs, id, key));
    // A transform of one frame; one that makes a collection too where the caller takes one (FlatMap).
    const applyNode = ((inner: Record<string, unknown>, frame: DataFrame, field: string, options?: { collection: true }) => {
      const innerDef = transformDefs.get(String(inner.type));
      const fits = (t: typeof innerDef) => t && !t.internal && t.inputs === 'one' && (options?.collection || t.output !== 'collection');
      if (!fits(innerDef)) {
        const names = [...transformDefs.values()].filter(fits).map((t) => t.name);
        throw new SluiceError(`${field}.type: '${String(inner.type)}' is not a transform of one frame; one of: ${names.join(', ')}`);
      }
      const innerNode = { ...inner, id: node.id, input: '(member)' } as unknown as TransformNodeSpec;
      return applyTransform(innerNode, new Map([['(member)', frame]]), info, { ...place, where: `${place.where}.${field}` });
    }) as SpecContext['applyNode'];
    if (def.fromSpec) return def.fromSpec(params, { frames, collection, info, ...(place.catalogRoot ? { catalogRoot: place.catalogRoot } : {}), functionRef: (ref, field) => functionRef(ref, field, place), applyNode });
    const frameArgs = readsCollection ? { dfc: collection } : Object.fromEntries(frameParams(def.inputs).map((name, i) => [name, frames[i]]));
    return def.apply({ ...frameArgs, ...params, ...info });
  } catch (e) {
    // Name the node: a bad parameter found by apply (an unknown member, a bad path) is the spec's.
    const named = !(e instanceof SluiceError) || e instanceof JobSpecError || e.message.startsWith(`${place.source}: `);
    throw named ? e : new SluiceError(`${place.source}: ${place.where} (${node.id}): ${e.message}`, e.details);
  }
}

/** A module reference the spec may name (moduleRefPolicy.ts), as an absolute file: URL. */
function functionRef(ref: FunctionRefSpec, field: string, place: Place): FnRef {
  return approveModuleRef(ref, place.policy, { ...place, field });
}

function writeSpec(node: WriteNodeSpec): WriteSpec {
  const spec: WriteSpec = { format: node.format, path: node.path };
  if (node.partitionKeys) spec.partitionKeys = node.partitionKeys;
  if (node.compression) spec.compression = node.compression;
  if (node.rowGroupSize !== undefined) spec.rowGroupSize = node.rowGroupSize;
  if (node.maxRowsPerFile !== undefined) spec.maxRowsPerFile = node.maxRowsPerFile;
  if (node.maxBytesPerFile !== undefined) spec.maxBytesPerFile = node.maxBytesPerFile;
  if (node.mode) spec.mode = node.mode;
  if (node.formatOptions) spec.formatOptions = node.formatOptions;
  return spec;
}
