import { stat } from 'node:fs/promises';
import { Schema } from 'apache-arrow';
import { nodeLabel, type PlanNode } from '../../plan/PlanNode.js';
import type { ErrorRecord } from '../../types/ErrorRecord.js';
import { preparePlan, type ExecOptions, type PreparedPlan } from '../execute.js';
import { prepareScan, scanProjection, type PreparedScan, type ScanListings } from '../scan.js';
import { isS3Path } from '../../io/store/s3Path.js';
import { isCompressed } from '../../io/input.js';
import { formatDef } from '../../io/formats/registry.js';
import { schemaToIpc } from './arrowWire.js';
import { broadcastBuildSide } from './broadcast.js';
import type { Region } from './planRegions.js';
import { poolThreads, type ParallelSettings, type RunOptions } from './settings.js';
import { planSplits, type Split } from './splits.js';
import { workerPool } from './pool.js';
import type { RegionTask, TaskMode, WireStep } from './task.js';

export type ExecutePlanOptions = ExecOptions & RunOptions;

/** A region bound to its input: the inline runner (and schema), its splits, and whether to fan out. */
export interface BoundRegion {
  region: Region;
  /** The region run on this thread: the fallback, and the source of the output schema. */
  inline: PreparedPlan;
  splits: Split[];
  parallel: boolean;
  settings: ParallelSettings;
  scan: RegionTask['scan'];
}

/**
 * Prepares a region as the inline executor would (so bad parameters fail the same way, before
 * any data is read), lists and splits its input, and decides: parallel only when there is more
 * than one split and at least `inlineBelowBytes` of input.
 */
export async function bindRegion(region: Region, options: ExecutePlanOptions, settings: ParallelSettings): Promise<BoundRegion> {
  if (await surelyParallel(region, settings)) workerPool(poolThreads(settings));
  const inline = await preparePlan(region.root, options);
  const { scan, splits, parallel } = await splitRegion(region, settings, options.listings);
  const formatOptions = region.scan.formatOptions ?? {};
  // Starts the threads while the driver goes on (the driver is one of the threads: dispatch.ts).
  if (parallel) workerPool(poolThreads(settings));
  return {
    region,
    inline,
    splits,
    parallel,
    settings,
    scan: {
      format: region.scan.format,
      formatOptions,
      ...(typeof formatOptions.batchSize === 'number' ? { batchSize: formatOptions.batchSize } : {}),
      label: nodeLabel(region.scan),
      ...(region.scan.predicate ? { predicate: region.scan.predicate } : {}),
      ...(scan.inference ? { inference: scan.inference } : {}),
      ...wireProjection(region.scan.format, scan.schema, scan.files[0]?.values.length ?? 0, region.scan.columns, region.scan.stubColumns),
    },
  };
}

/**
 * Whether the scan's paths alone say the region runs in parallel: local files, none compressed,
 * holding at least `inlineBelowBytes` and more than a split. Then the threads start before the
 * input is sampled and split (~40 ms of the driver in W1 and W2), since a worker takes ~0.2 s to
 * start. Folders, globs and anything else wait for splitRegion's answer.
 */
export async function surelyParallel(region: Region, settings: ParallelSettings): Promise<boolean> {
  const { paths, resolve } = region.scan;
  if (resolve || paths.length === 0 || paths.some((path) => isS3Path(path) || isCompressed(path) || /[*?[{]/.test(path))) return false;
  const sizes = await Promise.all(paths.map((path) => stat(path).then((s) => (s.isFile() ? s.size : -1), () => -1)));
  if (sizes.some((size) => size < 0)) return false;
  const bytes = sizes.reduce((n, size) => n + size, 0);
  if (bytes < settings.inlineBelowBytes) return false;
  if (paths.length > 1) return true;
  // One file: parallel only when cut into byte ranges (not a multi-line CSV, not a Parquet file's row groups).
  let split;
  try {
    split = formatDef(region.scan.format).read.split;
  } catch {
    return false; // an unknown format fails in preparePlan, with its usual message
  }
  return bytes > settings.splitSize && split.kind === 'byteRange' && split.splittable(region.scan.formatOptions ?? {});
}

/**
 * A region's input cut into splits, and whether it runs split-parallel: only with more than one
 * split and at least `inlineBelowBytes` of input. Starts no thread (getNumPartitions asks too).
 */
export async function splitRegion(region: Region, settings: ParallelSettings, listings?: ScanListings): Promise<{ scan: PreparedScan; splits: Split[]; parallel: boolean }> {
  // The unprojected scan: its schema is the files' columns followed by every partition column.
  // (String columns are judged for dictionary encoding as the projected scan judges them.)
  const scan = await prepareScan({ ...region.scan, columns: undefined }, listings, { columns: region.scan.columns });
  const formatOptions = region.scan.formatOptions ?? {};
  // s3:// inputs are read inline, one object after another: workers would not see the S3 settings
  // a job configured (configureS3), and the byte-range reader is local-only.
  const remote = scan.files.some((file) => isS3Path(file.path));
  const splits = remote ? [] : await planSplits(scan.files, { format: region.scan.format, formatOptions, splitSize: settings.splitSize });
  const bytes = splits.reduce((n, s) => n + s.bytes, 0);
  return { scan, splits, parallel: splits.length > 1 && bytes >= settings.inlineBelowBytes };
}

/**
 * The scan's projection as the worker applies it, by prepareScan's rules (scanProjection): read
 * the wanted file columns (with none wanted, those countColumns names, for row counts only), add
 * any stub columns as nulls, then add the wanted partition columns.
 */
function wireProjection(format: string, full: Schema, partitionCount: number, columns: string[] | undefined, stubColumns: string[] | undefined) {
  const dataFields = full.fields.slice(0, full.fields.length - partitionCount);
  const allPartitionFields = full.fields.slice(full.fields.length - partitionCount);
  const { projected, partitionFields, rowsOnly, readColumns, stubbed } = scanProjection(format, dataFields, allPartitionFields, columns, new Set(stubColumns));
  return {
    dataSchema: schemaToIpc(new Schema(dataFields)),
    partitionSchema: schemaToIpc(new Schema(partitionFields)),
    partitionIndex: partitionFields.map((f) => allPartitionFields.indexOf(f)),
    ...(readColumns ? { readColumns } : {}),
    ...(stubbed.size > 0 ? { stubColumns: [...stubbed], givenColumns: projected.map((f) => f.name) } : {}),
    rowsOnly,
  };
}

/** The region's steps ready to travel, with each Join's build side broadcast. */
export interface StartedRegion {
  steps: WireStep[];
  /** Build-side error records, top join first (the order the inline joins emit them in), with the join's chain position. */
  buildErrors: { index: number; errors: ErrorRecord[] }[];
}

/**
 * Runs the build sides of the region's joins (each through `prepare`, so they may run in
 * parallel themselves) and broadcasts them; undefined when one is too large to broadcast, in
 * which case the caller runs the region inline.
 */
export async function startRegion(bound: BoundRegion, prepare: (plan: PlanNode) => Promise<PreparedPlan>): Promise<StartedRegion | undefined> {
  const steps: WireStep[] = [];
  const buildErrors: StartedRegion['buildErrors'] = [];
  for (const [k, step] of bound.region.steps.entries()) {
    const wire: WireStep = { name: step.name, params: step.params, label: step.label };
    if (step.buildSide) {
      const result = await broadcastBuildSide(await prepare(step.buildSide));
      if ('refused' in result) return undefined;
      wire.broadcast = result.broadcast;
      if (result.errors.length) buildErrors.unshift({ index: k + 1, errors: result.errors });
    }
    steps.push(wire);
  }
  return { steps, buildErrors };
}

/** The task of one split. */
export function regionTask(bound: BoundRegion, started: StartedRegion, mode: TaskMode, extra: Partial<RegionTask> = {}) {
  return (split: Split, cancel: SharedArrayBuffer): RegionTask => ({ mode, split, scan: bound.scan, steps: started.steps, cancel, ...extra });
}
