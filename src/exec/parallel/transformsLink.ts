/**
 * The one place exec/ reaches up into transforms/, on purpose: a worker thread is a process entry
 * point (like the CLI) and must assemble the kernels itself, since functions cannot be sent to
 * it; and the driver merges GroupBy partial states with the same Aggregator the kernel uses.
 * Everything else in exec/ gets kernels through the registry it is given.
 */
import type { Schema } from 'apache-arrow';
import { kernels } from '../../../transforms/registry.js';
import { Aggregator, planAggregation, type GroupByParams, type PartialState } from '../../../transforms/aggregate/partialAggregation.js';
import { columnFromIpc, columnToIpc } from './arrowWire.js';

export { kernels as workerKernels, Aggregator, planAggregation, type GroupByParams, type PartialState };

/** A partial aggregation state as transferable IPC columns and typed arrays. */
export interface WirePartialState {
  groupCount: number;
  keys: Uint8Array[];
  aggregates: { columns: Uint8Array[]; groups?: Int32Array }[];
}

export function partialToWire(state: PartialState): WirePartialState {
  return {
    groupCount: state.groupCount,
    keys: state.keys.map(columnToIpc),
    aggregates: state.aggregates.map((a) => ({ columns: a.columns.map(columnToIpc), ...(a.groups ? { groups: a.groups } : {}) })),
  };
}

export function partialFromWire(wire: WirePartialState): PartialState {
  return {
    groupCount: wire.groupCount,
    keys: wire.keys.map(columnFromIpc),
    aggregates: wire.aggregates.map((a) => ({ columns: a.columns.map(columnFromIpc), ...(a.groups ? { groups: a.groups } : {}) })),
  };
}

/** The typed arrays of a wire state, for the transfer list. */
export function partialViews(wire: WirePartialState): ArrayBufferView[] {
  return [...wire.keys, ...wire.aggregates.flatMap((a) => [...a.columns, ...(a.groups ? [a.groups] : [])])];
}

/** GroupBy bound to its input schema (throws the kernel's own errors for bad params). */
export function bindGroupBy(input: Schema, params: GroupByParams) {
  return planAggregation(input, params);
}
