import { Field, Schema, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../src/columns/take.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { aggregateFns, byAggregates, makeAccumulator, percentileAggregates, type Accumulator, type AccumulatorState, type AggregateFn, type AggregateOptions } from './Accumulator.js';
import { GroupKeys } from './GroupKeys.js';

export interface Aggregation {
  /** The output column's name. */
  name: string;
  fn: AggregateFn;
  /** The input column; count without one is count(*). */
  column?: string;
  /** maxBy/minBy: the column whose largest (smallest) value picks the row. */
  by?: string;
  /** percentileApprox/percentile: the fraction (0…1), or a list of them for a list per group. */
  percentage?: number | number[];
  /** percentileApprox: Spark's accuracy (default 10000; relative error 1/accuracy). */
  accuracy?: number;
}

export interface GroupByParams {
  keys: string[];
  aggregations: Aggregation[];
}

/** GroupBy bound to an input schema: where keys and arguments are, and the output schema. */
export interface AggregatePlan {
  params: GroupByParams;
  input: Schema;
  output: Schema;
  keyIndices: number[];
  /** Per aggregation, the input column index (-1 for count(*)). */
  argumentIndices: number[];
  /** Per aggregation, the index of its `by` column (-1 when it has none). */
  byIndices: number[];
}

/**
 * A partial aggregation as plain data: one row per group of key columns (in order of first
 * appearance), and each accumulator's state as Arrow columns. Everything is Arrow Data or typed
 * arrays, so it serialises as IPC batches (keys + per-group states in one batch, each
 * countDistinct's pairs in another) or moves to another thread by transfer.
 */
export interface PartialState {
  groupCount: number;
  keys: Data[];
  aggregates: AccumulatorState[];
}

/** Checks GroupBy params against the input schema and fixes the output schema. */
export function planAggregation(input: Schema, params: GroupByParams): AggregatePlan {
  const { keys, aggregations } = params;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'string')) throw new SluiceError(`GroupBy keys must be an array of column names, got ${JSON.stringify(keys)}`);
  if (!Array.isArray(aggregations)) throw new SluiceError(`GroupBy aggregations must be an array of { name, fn, column? }, got ${JSON.stringify(aggregations)}`);
  const available = input.fields.map((f) => f.name).join(', ');
  const indexOf = (name: string, role: string) => {
    const i = input.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new SluiceError(`GroupBy ${role} '${name}' is not a column; available: ${available}`);
    return i;
  };
  const keyIndices = keys.map((k) => indexOf(k, 'key'));
  const names = new Set<string>();
  const fields: Field[] = [];
  const addField = (name: string, type: DataType) => {
    if (names.has(name)) throw new SluiceError(`GroupBy output has two columns named '${name}'; give each aggregation its own name`);
    names.add(name);
    fields.push(new Field(name, type, true));
  };
  keyIndices.forEach((i) => addField(input.fields[i].name, input.fields[i].type));
  // Checks the key types now rather than on the first batch.
  new GroupKeys(keyIndices.map((i) => input.fields[i].type), keys);
  const byIndices: number[] = [];
  const argumentIndices = aggregations.map((a) => {
    if (!a || typeof a.name !== 'string' || !aggregateFns.includes(a.fn)) {
      throw new SluiceError(`GroupBy aggregation ${JSON.stringify(a)} must be { name, fn, column? } with fn one of ${aggregateFns.join(', ')}`);
    }
    if (a.column === undefined && a.fn !== 'count') throw new SluiceError(`GroupBy aggregation '${a.name}': ${a.fn} needs a column`);
    checkOptions(a);
    const index = a.column === undefined ? -1 : indexOf(a.column, `aggregation '${a.name}' column`);
    const byIndex = a.by === undefined ? -1 : indexOf(a.by, `aggregation '${a.name}' by`);
    byIndices.push(byIndex);
    addField(a.name, makeAccumulator(a.fn, index < 0 ? undefined : input.fields[index], optionsOf(a, input, byIndex)).resultType);
    return index;
  });
  return { params, input, output: new Schema(fields), keyIndices, argumentIndices, byIndices };
}

/** An option the aggregate does not take is an error naming it, not something quietly ignored. */
function checkOptions(a: Aggregation): void {
  const takes = (option: string) => (option === 'by' ? byAggregates.includes(a.fn) : option === 'percentage' ? percentileAggregates.includes(a.fn) : a.fn === 'percentileApprox');
  for (const option of ['by', 'percentage', 'accuracy'] as const) {
    if (a[option] !== undefined && !takes(option)) throw new SluiceError(`GroupBy aggregation '${a.name}': ${a.fn} takes no option '${option}'`);
  }
  if (a.by !== undefined && typeof a.by !== 'string') throw new SluiceError(`GroupBy aggregation '${a.name}': 'by' must be a column name, got ${JSON.stringify(a.by)}`);
}

function optionsOf(a: Aggregation, input: Schema, byIndex: number): AggregateOptions {
  return {
    ...(byIndex >= 0 ? { by: input.fields[byIndex] } : {}),
    ...(a.percentage !== undefined ? { percentage: a.percentage } : {}),
    ...(a.accuracy !== undefined ? { accuracy: a.accuracy } : {}),
  };
}

/**
 * The running aggregation: `add` folds raw batches in, `addPartial` folds in another partial's
 * state (merging), `snapshot` gives the partial state and `result` the final batch.
 */
export class Aggregator {
  private readonly keys: GroupKeys;
  private readonly accumulators: Accumulator[];

  constructor(private readonly plan: AggregatePlan) {
    const { input, keyIndices, argumentIndices, params } = plan;
    this.keys = new GroupKeys(keyIndices.map((i) => input.fields[i].type), params.keys);
    this.accumulators = params.aggregations.map((a, k) => makeAccumulator(a.fn, argumentIndices[k] < 0 ? undefined : input.fields[argumentIndices[k]], optionsOf(a, input, plan.byIndices[k])));
  }

  add(batch: RecordBatch): void {
    const columns = batch.data.children as Data[];
    const groups = this.keys.assign(this.plan.keyIndices.map((i) => columns[i]), batch.numRows);
    const groupCount = this.keys.groupCount;
    this.accumulators.forEach((acc, k) => {
      const index = this.plan.argumentIndices[k];
      const by = this.plan.byIndices[k];
      acc.update(groups, index < 0 ? undefined : columns[index], groupCount, by < 0 ? undefined : columns[by]);
    });
  }

  addPartial(state: PartialState): void {
    const groupMap = this.keys.assign(state.keys, state.groupCount);
    const groupCount = this.keys.groupCount;
    this.accumulators.forEach((acc, k) => acc.merge(groupMap, state.aggregates[k], groupCount));
  }

  snapshot(): PartialState {
    const groupCount = this.keys.groupCount;
    return { groupCount, keys: this.keys.keyColumns(), aggregates: this.accumulators.map((acc) => acc.snapshot(groupCount)) };
  }

  result(): RecordBatch {
    const groupCount = this.keys.groupCount;
    const columns = [...this.keys.keyColumns(), ...this.accumulators.map((acc) => acc.result(groupCount))];
    return makeBatch(this.plan.output, columns, groupCount);
  }
}

/** Aggregates batches (one split's worth) into a partial state. */
export function partialAggregate(plan: AggregatePlan, batches: Iterable<RecordBatch>): PartialState {
  const aggregator = new Aggregator(plan);
  for (const batch of batches) aggregator.add(batch);
  return aggregator.snapshot();
}

/** Merges partial states into one; groups keep their order of first appearance across `states`. */
export function mergePartials(plan: AggregatePlan, states: Iterable<PartialState>): PartialState {
  const aggregator = new Aggregator(plan);
  for (const state of states) aggregator.addPartial(state);
  return aggregator.snapshot();
}

/** The final batch of a (merged) partial state: key columns, then one column per aggregation. */
export function finalize(plan: AggregatePlan, state: PartialState): RecordBatch {
  const aggregator = new Aggregator(plan);
  aggregator.addPartial(state);
  return aggregator.result();
}
