import { Decimal, Float64, Int64, Type, makeData, type Data, type DataType } from 'apache-arrow';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { CountAccumulator, CountDistinctAccumulator } from './countAccumulators.js';
import { NumberMinMax, Utf8MinMax, WordsMinMax } from './minMaxAccumulators.js';
import { AvgAccumulator, BigSum, FloatSum } from './sumAccumulators.js';
import { physicalOf } from './physical.js';
import { MomentsAccumulator } from './momentsAccumulator.js';
import { RowsAccumulator } from './rowsAccumulator.js';
import { CollectSetAccumulator } from './collectSetAccumulator.js';
import { PercentileAccumulator } from './percentileAccumulator.js';
import { MaxByAccumulator } from './maxByAccumulator.js';
import { DecimalAvgAccumulator } from './decimalAvgAccumulator.js';

export type AggregateFn =
  | 'count' | 'sum' | 'min' | 'max' | 'avg' | 'countDistinct' | 'variance' | 'variancePop' | 'stddev' | 'stddevPop'
  | 'first' | 'last' | 'firstIgnoreNulls' | 'lastIgnoreNulls' | 'collectList' | 'collectSet'
  | 'percentileApprox' | 'percentile' | 'maxBy' | 'minBy';
export const aggregateFns: readonly AggregateFn[] = [
  'count', 'sum', 'min', 'max', 'avg', 'countDistinct', 'variance', 'variancePop', 'stddev', 'stddevPop',
  'first', 'last', 'firstIgnoreNulls', 'lastIgnoreNulls', 'collectList', 'collectSet',
  'percentileApprox', 'percentile', 'maxBy', 'minBy',
];

/** The aggregates that order by a second column (`by`). */
export const byAggregates: readonly AggregateFn[] = ['maxBy', 'minBy'];
/** The aggregates that take a `percentage` (and percentileApprox an `accuracy`). */
export const percentileAggregates: readonly AggregateFn[] = ['percentileApprox', 'percentile'];

/** What an aggregate reads besides its column: max_by's ordering column, a percentile's fractions. */
export interface AggregateOptions {
  by?: { name: string; type: DataType };
  percentage?: number | number[];
  accuracy?: number;
}

/**
 * An accumulator's partial result as plain Arrow columns, so it can cross a thread or a network
 * (as an IPC batch). Per-group states have one row per group; countDistinct has one row per
 * distinct (group, value) pair and says which group in `groups`.
 */
export interface AccumulatorState {
  columns: Data[];
  groups?: Int32Array;
}

/**
 * One aggregate over groups numbered 0…groupCount-1. Arrays grow as groups appear. `merge` folds
 * another partial's state in, given where each of its groups lands here (`groupMap`).
 */
export interface Accumulator {
  readonly resultType: DataType;
  /** `by`: the ordering column of max_by/min_by, row for row with `column`. */
  update(groups: Int32Array, column: Data | undefined, groupCount: number, by?: Data): void;
  snapshot(groupCount: number): AccumulatorState;
  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void;
  result(groupCount: number): Data;
}

/** The accumulator for `fn` over a column (none for count(*)); throws when the type does not fit. */
export function makeAccumulator(fn: AggregateFn, column?: { name: string; type: DataType }, options: AggregateOptions = {}): Accumulator {
  if (fn === 'count') return new CountAccumulator(column !== undefined);
  if (!column) throw new SluiceError(`aggregate '${fn}' needs a column`);
  const physical = physicalOf(column.type);
  const typeId = column.type.typeId;
  const unsupported = () => new SluiceError(`cannot compute ${fn}('${column.name}') over type ${column.type}`);
  switch (fn) {
    case 'sum':
    case 'avg':
    case 'variance': case 'variancePop': case 'stddev': case 'stddevPop': {
      if (typeId !== Type.Int && typeId !== Type.Float && typeId !== Type.Decimal) {
        throw new SluiceError(`cannot compute ${fn}('${column.name}') over type ${column.type}: ${fn} needs a number column; cast it first`);
      }
      if (fn === 'avg') return typeId === Type.Decimal ? new DecimalAvgAccumulator(column.name, column.type as Decimal) : new AvgAccumulator(column.type);
      if (fn !== 'sum') return new MomentsAccumulator(column.type, fn);
      return physical.kind === 'words' ? new BigSum(column.name, column.type) : new FloatSum(column.name, typeId === Type.Int);
    }
    case 'min':
    case 'max': {
      const isMax = fn === 'max';
      if (physical.kind === 'number' || physical.kind === 'bool') return new NumberMinMax(column.type, isMax);
      if (physical.kind === 'words') return new WordsMinMax(column.type, physical.words, physical.signed, isMax);
      if (physical.kind === 'utf8') return new Utf8MinMax(column.type, isMax);
      throw unsupported();
    }
    case 'first': case 'firstIgnoreNulls': return new RowsAccumulator(column.type, 'first', fn === 'firstIgnoreNulls');
    case 'last': case 'lastIgnoreNulls': return new RowsAccumulator(column.type, 'last', fn === 'lastIgnoreNulls');
    case 'collectList': return new RowsAccumulator(column.type, 'all', true);
    case 'collectSet': {
      if (physical.kind === 'unsupported') throw unsupported();
      return new CollectSetAccumulator(column.type);
    }
    case 'percentileApprox': case 'percentile': {
      if (options.percentage === undefined) throw new SluiceError(`aggregate '${fn}' over '${column.name}' needs a percentage (a fraction between 0 and 1, or a list of them)`);
      return new PercentileAccumulator(column.type, column.name, fn === 'percentile' ? 'exact' : 'approx', options.percentage, options.accuracy);
    }
    case 'maxBy': case 'minBy': {
      if (!options.by) throw new SluiceError(`aggregate '${fn}' over '${column.name}' needs the column to order by ('by')`);
      return new MaxByAccumulator(column.type, options.by.type, fn === 'maxBy', { column: column.name, by: options.by.name });
    }
    case 'countDistinct': {
      if (physical.kind === 'unsupported') throw unsupported();
      return new CountDistinctAccumulator(column.type);
    }
  }
}

/** Result type of sum: int64 for integers, float64 for floats, decimal widened by 10 digits (Spark). */
export function sumType(input: DataType): DataType {
  if (input.typeId === Type.Decimal) {
    const d = input as Decimal;
    return new Decimal(d.scale, Math.min(38, d.precision + 10), 128);
  }
  return input.typeId === Type.Int ? new Int64() : new Float64();
}

/** Integers held exactly in float64 (|x| < 2^53) as an Int64 column, word by word (no BigInt). */
export function int64FromIntegers(values: Float64Array, length: number, nullBitmap?: Uint8Array, nullCount = 0): Data<Int64> {
  const words = new Int32Array(length * 2);
  for (let i = 0; i < length; i++) {
    const hi = Math.floor(values[i] / 4294967296);
    words[2 * i] = values[i] - hi * 4294967296;
    words[2 * i + 1] = hi;
  }
  return makeData({ type: new Int64(), length, nullCount, nullBitmap, data: new BigInt64Array(words.buffer) });
}

/** A Float64 column over the first `length` values (copied, so later updates do not show). */
export function float64Column(values: Float64Array, length: number, nullBitmap?: Uint8Array, nullCount = 0): Data<Float64> {
  return makeData({ type: new Float64(), length, nullCount, nullBitmap, data: values.slice(0, length) });
}
