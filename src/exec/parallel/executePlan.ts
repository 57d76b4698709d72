import { Schema, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../columns/take.js';
import { nullColumn } from '../../columns/nullColumn.js';
import type { PlanNode } from '../../plan/PlanNode.js';
import type { ErrorRecord } from '../../types/ErrorRecord.js';
import { preparePlan, type PreparedPlan } from '../execute.js';
import { resolveDeferredScans } from '../resolveDeferredScans.js';
import type { ChunkStream, KernelContext, TransformKernel } from '../Kernel.js';
import { batchFromIpc } from './arrowWire.js';
import { bindRegion, regionTask, startRegion, type BoundRegion, type ExecutePlanOptions, type StartedRegion } from './boundRegion.js';
import { runSplitsInOrder } from './dispatch.js';
import { ErrorBudget } from './errorBudget.js';
import { extractRegions, PARALLEL_GROUP_BY, PARALLEL_REGION } from './planRegions.js';
import { parallelSettings } from './settings.js';
import type { TaskSuccess } from './task.js';
import { Aggregator, bindGroupBy, partialFromWire, type GroupByParams } from './transformsLink.js';

export type { ExecutePlanOptions };

/**
 * Prepares a plan to run split-parallel where it can, inline elsewhere; the result is the same
 * PreparedPlan as `preparePlan`'s, with the same schema and — row for row, in the same order —
 * the same output and error records.
 *
 * The plan's parallel regions (scan → streaming transforms → probe side of joins, see
 * planRegions.ts) are replaced by placeholder nodes whose kernels fan the region out over the
 * worker pool: a GroupBy right above a region merges the workers' partial states; any other
 * region streams the workers' batches back in split order. The rest of the plan runs in this
 * thread with the usual kernels. Small inputs, one split, `parallel: false` or one thread run
 * everything inline.
 */
export async function executePlan(deferred: PlanNode, options: ExecutePlanOptions): Promise<PreparedPlan> {
  const settings = parallelSettings(options);
  if (!settings) return preparePlan(deferred, options);
  const plan = await resolveDeferredScans(deferred);
  const { plan: rewritten, regions } = extractRegions(plan);
  if (regions.length === 0) return preparePlan(plan, options);
  const bound = await Promise.all(regions.map((region) => bindRegion(region, options, settings)));
  if (!bound.some((b) => b.parallel)) return preparePlan(plan, options);
  const registry = new Map(options.registry);
  registry.set(PARALLEL_REGION, regionKernel(bound, options) as TransformKernel<never>);
  registry.set(PARALLEL_GROUP_BY, groupByKernel(bound, options) as TransformKernel<never>);
  return preparePlan(rewritten, { ...options, registry });
}

interface RegionParams { region: number }

/** Streams a region's output: the workers' batches in split order, or the inline run. */
function regionKernel(bound: BoundRegion[], options: ExecutePlanOptions): TransformKernel<RegionParams> {
  return {
    name: PARALLEL_REGION,
    prepare(_inputs, { region }) {
      const b = bound[region];
      return { schema: b.inline.schema, run: (_streams, ctx) => (b.parallel ? regionStream(b, options, ctx) : b.inline.run()) };
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

interface GroupByPlaceholderParams { region: number; groupBy: GroupByParams }

/**
 * GroupBy over a region: each worker aggregates its split into a partial state; the driver merges
 * them in split order (so groups keep their order of first appearance) and finalises. Float sums
 * may differ from a single-threaded sum in the last bits, as in any engine that adds partials.
 */
function groupByKernel(bound: BoundRegion[], options: ExecutePlanOptions): TransformKernel<GroupByPlaceholderParams> {
  return {
    name: PARALLEL_GROUP_BY,
    prepare(_inputs, { region, groupBy }) {
      const b = bound[region];
      const plan = bindGroupBy(b.inline.schema, groupBy);
      const inline = options.registry.get('GroupBy') as TransformKernel<GroupByParams> | undefined;
      return {
        schema: plan.output,
        async *run(_streams, ctx) {
          const started = b.parallel ? await startRegion(b, (p) => executePlan(p, options)) : undefined;
          if (!started) {
            if (!inline) throw new Error('GroupBy kernel missing from the registry');
            yield* inline.prepare([b.inline.schema], groupBy).run([b.inline.run()], ctx);
            return;
          }
          const budget = new ErrorBudget(b.region);
          const errors: ErrorRecord[] = [];
          for (const build of started.buildErrors) {
            budget.addBuildErrors(build.index, build.errors.length);
            errors.push(...build.errors);
          }
          const aggregator = new Aggregator(plan);
          for await (const { result } of runSplitsInOrder(b.splits, regionTask(b, started, 'partial', { groupBy }), dispatchOptions(b, options, ctx))) {
            budget.addSplit(result.stageErrors);
            aggregator.addPartial(partialFromWire((result as TaskSuccess).partial!));
            errors.push(...(result.errors ?? []));
          }
          yield { batch: aggregator.result(), errors };
        },
      };
    },
  };
}

function dispatchOptions(bound: BoundRegion, options: ExecutePlanOptions, ctx: KernelContext) {
  return { threads: bound.settings.threads, signal: options.signal ?? ctx.signal };
}

function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => nullColumn(f.type, 0)), 0);
}

export type { StartedRegion };
