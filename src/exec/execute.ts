import type { RecordBatch, Schema } from 'apache-arrow';
import { nodeLabel, type PlanNode } from '../plan/PlanNode.js';
import { SluiceError, type ErrorRecord } from '../types/ErrorRecord.js';
import type { TransformDefs } from '../plan/TransformDef.js';
import type { Chunk, ChunkStream, CollectedInput } from './Kernel.js';
import { prepareScan, type ScanListings } from './scan.js';
import { loadModuleUdfs } from '../expr/moduleUdf.js';
import { currentProgress, effectiveSignal } from './progress.js';

export interface ExecOptions {
  /** The transform definitions by plan name (exec/ never imports transforms/). */
  registry: TransformDefs;
  signal?: AbortSignal;
  /** The action's scan listings, so a scan prepared again in the same action lists its input once (scan.ts). */
  listings?: ScanListings;
}

/** A plan node bound to its schema; `run()` starts a fresh stream each time it is called. */
export interface PreparedPlan {
  schema: Schema;
  run(): ChunkStream;
  /**
   * True when a scan below reads CSV/JSON with an inferred schema and no transform has read it
   * to the end yet: a value past the sampled rows may still widen a column (a WidenSignal while
   * running, exec/widening.ts), so the schema is settled only once a run has ended.
   */
  mayWiden?: boolean;
}

/**
 * Prepares a plan bottom-up: resolves scan schemas (inferring where needed), checks every
 * transform's parameters against its input schemas, and returns the output schema and a runner.
 * Nothing is read beyond schema samples until `run()` is iterated.
 */
export async function preparePlan(node: PlanNode, options: ExecOptions): Promise<PreparedPlan> {
  options = { ...options, signal: effectiveSignal(options.signal) };
  const label = nodeLabel(node);
  switch (node.kind) {
    case 'values':
      return {
        schema: node.schema,
        run: () => withThresholds(valuesStream(node.batches, node.errors ?? []), node, label),
      };
    case 'scan': {
      if (node.resolve) return preparePlan(await node.resolve(node), options);
      await loadModuleUdfs(node); // a filter pushed into the scan may call one
      const scan = await prepareScan(node, options.listings);
      const mayWiden = (scan.inference?.widenable.length ?? 0) > 0;
      return { schema: scan.schema, run: () => withThresholds(scan.run(options.signal), node, label), ...(mayWiden ? { mayWiden } : {}) };
    }
    case 'transform': {
      if (node.resolve) return preparePlan(await node.resolve(node), options);
      await loadModuleUdfs(node.params);
      const kernel = options.registry.get(node.name)?.kernel;
      if (!kernel) throw new SluiceError(`unknown transform '${node.name}'; known: ${[...options.registry.keys()].sort().join(', ')}`);
      const inputs = await Promise.all(node.inputs.map((i) => preparePlan(i, options)));
      const runsInputs = kernel.prepareWithInputs !== undefined;
      const needsData = !runsInputs && kernel.prepareWithData !== undefined && (kernel.needsData?.(node.params as never) ?? true);
      const collected = needsData ? await Promise.all(inputs.map(collectInput)) : undefined;
      let prepared;
      try {
        prepared = runsInputs
          ? await kernel.prepareWithInputs!(inputs, node.params as never)
          : collected
            ? await kernel.prepareWithData!(collected, node.params as never)
            : kernel.prepare(inputs.map((i) => i.schema), node.params as never);
      } catch (e) {
        throw e instanceof SluiceError ? new SluiceError(`${label}: ${e.message}`, e.details) : e;
      }
      // Inputs read to the end while preparing have settled their types already.
      const mayWiden = prepared.mayWiden ?? (!collected && !runsInputs && inputs.some((i) => i.mayWiden));
      return {
        schema: prepared.schema,
        run: () => withThresholds(prepared.run(inputs.map((i) => i.run()), { label, signal: options.signal }), node, label),
        ...(mayWiden ? { mayWiden } : {}),
      };
    }
  }
}

/** Runs a prepared input to the end, for kernels that must see the data to know their schema. */
async function collectInput(input: PreparedPlan): Promise<CollectedInput> {
  const chunks: Chunk[] = [];
  for await (const chunk of input.run()) chunks.push(chunk);
  return { schema: input.schema, chunks };
}

async function* valuesStream(batches: RecordBatch[], errors: ErrorRecord[]): ChunkStream {
  if (batches.length === 0) return;
  for (let i = 0; i < batches.length; i++) yield { batch: batches[i], errors: i === 0 ? errors : [] };
}

/**
 * Tags new error records with the node that raised them and enforces Glue's error budgets:
 * a threshold of 0 (the default) means no limit; N fails the job once errors pass N.
 */
async function* withThresholds(stream: ChunkStream, node: PlanNode, label: string): ChunkStream {
  let stage = 0;
  let total = 0;
  const progress = currentProgress();
  for await (const chunk of stream) {
    progress?.recordRows(label, chunk.batch.numRows);
    for (const e of chunk.errors) {
      if (!e.node) {
        e.node = label;
        stage++;
      }
      total++;
    }
    if (node.stageThreshold && stage > node.stageThreshold) {
      throw new SluiceError(`${label}: ${stage} error records exceed stageThreshold ${node.stageThreshold}; first: ${firstMessage(chunk)}`);
    }
    if (node.totalThreshold && total > node.totalThreshold) {
      throw new SluiceError(`${label}: ${total} error records up to this step exceed totalThreshold ${node.totalThreshold}; first: ${firstMessage(chunk)}`);
    }
    yield chunk;
  }
}

function firstMessage(chunk: Chunk): string {
  const e = chunk.errors[0];
  if (!e) return '(none in this batch)';
  const where = e.file ? `${e.file}${e.line ? `:${e.line}` : ''}: ` : '';
  return where + e.message;
}
