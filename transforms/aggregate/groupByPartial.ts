import type { Schema } from 'apache-arrow';
import { columnFromIpc, columnToIpc } from '../../src/exec/parallel/arrowWire.js';
import type { PartialForm } from '../../src/plan/TransformDef.js';
import { Aggregator, planAggregation, type GroupByParams, type PartialState } from './partialAggregation.js';

/** A partial aggregation state as transferable IPC columns and typed arrays. */
interface WirePartialState {
  groupCount: number;
  keys: Uint8Array[];
  aggregates: { columns: Uint8Array[]; groups?: Int32Array }[];
}

/**
 * GroupBy's two-phase form for the parallel executor: each split aggregates into a partial state
 * (saved as IPC columns, moved to the driver); the driver merges them in split order with the
 * same Aggregator the kernel uses, so groups keep their order of first appearance.
 */
export const groupByPartial: PartialForm<GroupByParams> = {
  bind(input: Schema, params: GroupByParams) {
    const plan = planAggregation(input, params);
    return {
      schema: plan.output,
      start() {
        const aggregator = new Aggregator(plan);
        return {
          add: (batch) => aggregator.add(batch),
          save() {
            const state = toWire(aggregator.snapshot());
            return { state, transfer: viewsOf(state) };
          },
          merge: (state) => aggregator.addPartial(fromWire(state as WirePartialState)),
          result: () => aggregator.result(),
        };
      },
    };
  },
};

function toWire(state: PartialState): WirePartialState {
  return {
    groupCount: state.groupCount,
    keys: state.keys.map(columnToIpc),
    aggregates: state.aggregates.map((a) => ({ columns: a.columns.map(columnToIpc), ...(a.groups ? { groups: a.groups } : {}) })),
  };
}

function fromWire(wire: WirePartialState): PartialState {
  return {
    groupCount: wire.groupCount,
    keys: wire.keys.map(columnFromIpc),
    aggregates: wire.aggregates.map((a) => ({ columns: a.columns.map(columnFromIpc), ...(a.groups ? { groups: a.groups } : {}) })),
  };
}

function viewsOf(wire: WirePartialState): ArrayBufferView[] {
  return [...wire.keys, ...wire.aggregates.flatMap((a) => [...a.columns, ...(a.groups ? [a.groups] : [])])];
}
