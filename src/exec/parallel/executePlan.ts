import { Schema, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../columns/take.js';
import { nullColumn } from '../../columns/nullColumn.js';
import type { PlanNode } from '../../plan/PlanNode.js';
import type { TransformDef } from '../../plan/TransformDef.js';
import type { ErrorRecord } from '../../types/ErrorRecord.js';
import { preparePlan, type PreparedPlan } from '../execute.js';
import { resolveDeferredScans } from '../resolveDeferredScans.js';
import type { ChunkStream, KernelContext, TransformKernel } from '../Kernel.js';
import { batchFromIpc } from './arrowWire.js';
import { bindRegion, regionTask, startRegion, type BoundRegion, type ExecutePlanOptions, type StartedRegion } from './boundRegion.js';
import { runSplitsInOrder } from './dispatch.js';
import { ErrorBudget } from './errorBudget.js';
import { extractRegions, parallelPartialName, PARALLEL_REGION } from './planRegions.js';
import { parallelSettings } from './settings.js';

export type { ExecutePlanOptions };

/**
 * Prepares a plan to run split-parallel where it can, inline elsewhere; the result is the same
 * PreparedPlan as `preparePlan`'s, with the same schema and — row for row, in the same order —
 * the same output and error records.
 *
 * The plan's parallel regions (scan → streaming transforms → probe side of joins, see
 * planRegions.ts) are replaced by placeholder nodes whose kernels fan the region out over the
 * worker pool: a transform with a partial form (GroupBy) right above a region merges the
 * workers' partial states through its definition; any other
 * region streams the workers' batches back in split order. The rest of the plan runs in this
 * thread with the usual kernels. Small inputs, one split, `parallel: false` or one thread run
 * everything inline.
 */
export async function executePlan(deferred: PlanNode, options: ExecutePlanOptions): Promise<PreparedPlan> {
  options = { ...options, listings: options.listings ?? new Map() }; // one listing per scan for the whole action
  const settings = parallelSettings(options);
  if (!settings) return preparePlan(deferred, options);
  const plan = await resolveDeferredScans(deferred);
  const { plan: rewritten, regions } = extractRegions(plan, options.registry);
  if (regions.length === 0) return preparePlan(plan, options);
  const bound = await Promise.all(regions.map((region) => bindRegion(region, options, settings)));
  if (!bound.some((b) => b.parallel)) return preparePlan(plan, options);
  const registry = new Map(options.registry);
  registry.set(PARALLEL_REGION, { name: PARALLEL_REGION, kernel: regionKernel(bound, options) as TransformKernel<never> });
  for (const def of options.registry.values()) {
    if (!def.partial) continue;
    const name = parallelPartialName(def.name);
    registry.set(name, { name, kernel: partialKernel(def as TransformDef, bound, options) as TransformKernel<never> });
  }
  return preparePlan(rewritten, { ...options, registry });
}

interface RegionParams { region: number }

/** Streams a region's output: the workers' batches in split order, or the inline run. */
function regionKernel(bound: BoundRegion[], options: ExecutePlanOptions): TransformKernel<RegionParams> {
  return {
    name: PARALLEL_REGION,
    prepare(_inputs, { region }) {
      const b = bound[region];
      return { schema: b.inline.schema, run: (_streams, ctx) => (b.parallel ? regionStream(b, options, ctx) : b.inline.run()), mayWiden: b.inline.mayWiden === true };
    },
  };
}

async function* regionStream(bound: BoundRegion, options: ExecutePlanOptions, ctx: KernelContext): ChunkStream {
  const started = await startRegion(bound, (plan) => executePlan(plan, options));
  if (!started) {
    yield* bound.inline.run();
    return;
  }
  const schema = bound.inline.schema;
  const budget = new ErrorBudget(bound.region);
  for (const { index, errors } of started.buildErrors) {
    budget.addBuildErrors(index, errors.length);
    yield { batch: emptyBatch(schema), errors };
  }
  const results = runSplitsInOrder(bound.splits, regionTask(bound, started, 'batches'), dispatchOptions(bound, options, ctx));
  for await (const { result } of results) {
    budget.addSplit(result.stageErrors);
    for (const chunk of result.chunks ?? []) {
      yield { batch: chunk.batch ? batchFromIpc(chunk.batch) : emptyBatch(schema), errors: chunk.errors };
    }
  }
}

interface PartialPlaceholderParams { region: number; transform: string; params: Record<string, unknown> }

/**
 * A two-phase transform (GroupBy) over a region: each worker folds its split into a partial
 * state; the driver merges them in split order (so groups keep their order of first appearance)
 * and finalises. Float sums may differ from a single-threaded sum in the last bits, as in any
 * engine that adds partials.
 */
function partialKernel(def: TransformDef, bound: BoundRegion[], options: ExecutePlanOptions): TransformKernel<PartialPlaceholderParams> {
  return {
    name: parallelPartialName(def.name),
    prepare(_inputs, { region, params }) {
      const b = bound[region];
      const partial = def.partial!.bind(b.inline.schema, params);
      return {
        schema: partial.schema,
        mayWiden: b.inline.mayWiden === true,
        async *run(_streams, ctx) {
          const started = b.parallel ? await startRegion(b, (p) => executePlan(p, options)) : undefined;
          if (!started) {
            yield* def.kernel.prepare([b.inline.schema], params).run([b.inline.run()], ctx);
            return;
          }
          const budget = new ErrorBudget(b.region);
          const errors: ErrorRecord[] = [];
          for (const build of started.buildErrors) {
            budget.addBuildErrors(build.index, build.errors.length);
            errors.push(...build.errors);
          }
          const merged = partial.start();
          const task = regionTask(b, started, 'partial', { partial: { transform: def.name, params } });
          for await (const { result } of runSplitsInOrder(b.splits, task, dispatchOptions(b, options, ctx))) {
            budget.addSplit(result.stageErrors);
            merged.merge(result.partial);
            errors.push(...(result.errors ?? []));
          }
          yield { batch: merged.result(), errors };
        },
      };
    },
  };
}

function dispatchOptions(bound: BoundRegion, options: ExecutePlanOptions, ctx: KernelContext) {
  return { threads: bound.settings.threads, driverSplits: bound.settings.driverSplits, signal: options.signal ?? ctx.signal };
}

function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => nullColumn(f.type, 0)), 0);
}

export type { StartedRegion };
