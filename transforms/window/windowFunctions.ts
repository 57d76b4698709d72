import { Float64, Int32, Int64, Type, makeData, type Data, type DataType } from 'apache-arrow';
import { takeNullable } from '../../src/columns/takeNullable.js';
import { packBits } from '../../src/columns/bitmap.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { aggregateFns, int64FromIntegers, makeAccumulator, type Accumulator, type AggregateFn, type AggregateOptions } from '../aggregate/Accumulator.js';
import { nullsOf, numbersOf, physicalOf, validBit } from '../aggregate/physical.js';
import { sortDigits } from '../sort/sortDigits.js';
import { frameBounds, type FrameSpec, type Layout } from './windowFrames.js';

export type WindowFn =
  | 'row_number' | 'rank' | 'dense_rank' | 'percent_rank' | 'cume_dist' | 'ntile' | 'lag' | 'lead'
  | 'first_value' | 'last_value' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'aggregate';

export const WINDOW_FNS: readonly WindowFn[] = [
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'count', 'sum', 'avg', 'min', 'max',
  'aggregate',
];

/** A frame aggregate's frames may hold this many rows in all (a running frame over n rows holds n²/2). */
const MAX_FRAME_ROWS = 50_000_000;

/** One window function of a Window step: its output column, the function and its input column (none for count(*) and the ranks). */
export interface WindowFunction {
  name: string;
  fn: WindowFn;
  column?: string;
  /** lag/lead: how many rows back or ahead (default 1); ntile: the number of buckets. */
  n?: number;
  frame?: FrameSpec;
  /** fn 'aggregate': any GroupBy aggregate over the frame (collect_list, stddev, max_by…), with its options. */
  aggregate?: AggregateFn;
  by?: string;
  percentage?: number | number[];
  accuracy?: number;
}

/** The result type of a window function over an input of `type` (none for count(*) and the ranks). */
export function windowResultType(f: WindowFunction, type: DataType | undefined, byType?: DataType): DataType {
  switch (f.fn) {
    case 'aggregate': return frameAccumulator(f, type, byType).resultType;
    case 'row_number': case 'rank': case 'dense_rank': case 'ntile': return new Int32();
    case 'percent_rank': case 'cume_dist': case 'avg': return new Float64();
    case 'count': return new Int64();
    case 'sum': {
      const physical = type ? physicalOf(type) : undefined;
      if (type?.typeId === Type.Int) return new Int64();
      if (type?.typeId === Type.Float && physical?.kind === 'number') return new Float64();
      throw new SluiceError(`sum over a window needs an integer or floating-point column${f.column ? ` ('${f.column}' is ${type})` : ''}; cast it first`);
    }
    default:
      if (!type) throw new SluiceError(`${f.fn} over a window needs a column`);
      return type;
  }
}

/**
 * A window function's column, in sorted order: ranks and counts from the layout alone, value
 * functions by gathering rows of `column` (input order; `order` maps sorted position → row).
 */
export function computeWindow(f: WindowFunction, layout: Layout, order: Int32Array, column: Data | undefined, ordered: boolean, by?: Data): Data {
  if (f.fn === 'aggregate') return frameAggregate(f, layout, order, column, ordered, by);
  const n = layout.length;
  const { partStart, partEnd, peerStart, peerEnd } = layout;
  const ints = (fill: (s: number) => number) => {
    const out = new Int32Array(n);
    for (let s = 0; s < n; s++) out[s] = fill(s);
    return makeData({ type: new Int32(), length: n, nullCount: 0, data: out });
  };
  const floats = (fill: (s: number) => number) => {
    const out = new Float64Array(n);
    for (let s = 0; s < n; s++) out[s] = fill(s);
    return makeData({ type: new Float64(), length: n, nullCount: 0, data: out });
  };
  const gather = (index: (s: number) => number) => {
    const indices = new Int32Array(n);
    for (let s = 0; s < n; s++) indices[s] = index(s);
    return takeNullable(column!, indices);
  };
  switch (f.fn) {
    case 'row_number': return ints((s) => s - partStart[s] + 1);
    case 'rank': return ints((s) => peerStart[s] - partStart[s] + 1);
    case 'dense_rank': {
      const out = new Int32Array(n);
      for (let s = 0; s < n; s++) out[s] = s === partStart[s] ? 1 : out[s - 1] + (peerStart[s] === s ? 1 : 0);
      return makeData({ type: new Int32(), length: n, nullCount: 0, data: out });
    }
    case 'percent_rank': return floats((s) => {
      const size = partEnd[s] - partStart[s] + 1;
      return size === 1 ? 0 : (peerStart[s] - partStart[s]) / (size - 1);
    });
    case 'cume_dist': return floats((s) => (peerEnd[s] - partStart[s] + 1) / (partEnd[s] - partStart[s] + 1));
    case 'ntile': {
      const k = f.n ?? 1;
      if (!Number.isInteger(k) || k < 1) throw new SluiceError(`ntile needs a positive whole number of buckets, got ${f.n}`);
      // Spark's: the first size % k buckets hold one row more.
      return ints((s) => {
        const size = partEnd[s] - partStart[s] + 1;
        const i = s - partStart[s];
        const q = Math.floor(size / k);
        const r = size % k;
        return (i < r * (q + 1) ? Math.floor(i / (q + 1)) : r + Math.floor((i - r * (q + 1)) / q)) + 1;
      });
    }
    case 'lag': {
      const k = f.n ?? 1;
      return gather((s) => (s - k >= partStart[s] && s - k <= partEnd[s] ? order[s - k] : -1));
    }
    case 'lead': {
      const k = f.n ?? 1;
      return gather((s) => (s + k <= partEnd[s] && s + k >= partStart[s] ? order[s + k] : -1));
    }
    default: break;
  }
  const { lo, hi } = frameBounds(layout, f.frame, ordered);
  const valid = validity(column, order);
  switch (f.fn) {
    case 'first_value': return gather((s) => (lo[s] <= hi[s] ? order[lo[s]] : -1));
    case 'last_value': return gather((s) => (lo[s] <= hi[s] ? order[hi[s]] : -1));
    case 'count': {
      const prefix = partitionPrefix(layout, (s) => (valid(s) ? 1 : 0));
      const out = new Float64Array(n);
      for (let s = 0; s < n; s++) out[s] = lo[s] > hi[s] ? 0 : prefix(hi[s]) - (lo[s] > partStart[s] ? prefix(lo[s] - 1) : 0);
      return int64FromIntegers(out, n);
    }
    case 'sum': case 'avg': {
      const values = numberReader(column!, f);
      const counts = partitionPrefix(layout, (s) => (valid(s) ? 1 : 0));
      const sums = partitionPrefix(layout, (s) => (valid(s) ? values(order[s]) : 0));
      const out = new Float64Array(n);
      const seen = new Uint8Array(n);
      for (let s = 0; s < n; s++) {
        if (lo[s] > hi[s]) continue;
        const before = lo[s] > partStart[s];
        const count = counts(hi[s]) - (before ? counts(lo[s] - 1) : 0);
        if (count === 0) continue;
        const sum = sums(hi[s]) - (before ? sums(lo[s] - 1) : 0);
        out[s] = f.fn === 'avg' ? sum / count : sum;
        seen[s] = 1;
      }
      const { bits, unset } = packBits(seen, n);
      if (f.fn === 'sum' && column!.type.typeId === Type.Int) return int64FromIntegers(out, n, unset ? bits : undefined, unset);
      return makeData({ type: new Float64(), length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, data: out });
    }
    case 'min': case 'max': {
      const digits = sortDigits(column!, { column: f.column ?? '', descending: f.fn === 'max' });
      // Value digits (after the null digit, present when there are nulls) order the wanted value first.
      const first = nullsOf(column!) ? 1 : 0;
      const better = (a: number, b: number) => {
        for (let d = first; d < digits.length; d++) {
          if (digits[d][a] !== digits[d][b]) return digits[d][a] < digits[d][b];
        }
        return false;
      };
      return gather((s) => {
        let best = -1;
        for (let t = lo[s]; t <= hi[s]; t++) {
          const row = order[t];
          if (valid(t) && (best < 0 || better(row, best))) best = row;
        }
        return best;
      });
    }
    default: throw new SluiceError(`unknown window function '${f.fn}'; use one of ${WINDOW_FNS.join(', ')}`);
  }
}

/** Whether the value at sorted position s is not null. */
function validity(column: Data | undefined, order: Int32Array): (s: number) => boolean {
  if (!column) return () => true;
  if (column.type.typeId === Type.Null) return () => false;
  const nulls = nullsOf(column);
  if (!nulls) return () => true;
  return (s) => validBit(nulls, column.offset, order[s]);
}

/** Running totals restarted at each partition: prefix(s) = total over [partStart, s]. */
function partitionPrefix(layout: Layout, value: (s: number) => number): (s: number) => number {
  const totals = new Float64Array(layout.length);
  for (let s = 0; s < layout.length; s++) totals[s] = (s === layout.partStart[s] ? 0 : totals[s - 1]) + value(s);
  return (s) => totals[s];
}

function numberReader(column: Data, f: WindowFunction): (row: number) => number {
  const physical = physicalOf(column.type);
  if (physical.kind === 'number') {
    const values = numbersOf(column);
    return (row) => values[row];
  }
  if (column.type.typeId === Type.Int && physical.kind === 'words') {
    const values = column.values as unknown as BigInt64Array;
    return (row) => Number(values[row]);
  }
  throw new SluiceError(`${f.fn} over a window needs a number column${f.column ? ` ('${f.column}' is ${column.type})` : ''}; cast it first`);
}

function frameAccumulator(f: WindowFunction, type: DataType | undefined, byType: DataType | undefined): Accumulator {
  if (!f.aggregate || !aggregateFns.includes(f.aggregate)) throw new SluiceError(`window aggregate '${f.aggregate}' is not one of ${aggregateFns.join(', ')}`);
  const options: AggregateOptions = {
    ...(f.by !== undefined && byType ? { by: { name: f.by, type: byType } } : {}),
    ...(f.percentage !== undefined ? { percentage: f.percentage } : {}),
    ...(f.accuracy !== undefined ? { accuracy: f.accuracy } : {}),
  };
  return makeAccumulator(f.aggregate, f.column !== undefined && type ? { name: f.column, type } : undefined, options);
}

/**
 * Any GroupBy aggregate over each row's frame: rows with the same frame (a partition, a peer
 * group's running frame) share one group of the aggregate's accumulator, which gets the frame's
 * rows once; the frames' results are then handed to their rows. Costs the total size of the
 * distinct frames: a partition's rows for whole-partition frames, n²/2 for a running frame over n
 * distinct order values (refused past MAX_FRAME_ROWS).
 */
function frameAggregate(f: WindowFunction, layout: Layout, order: Int32Array, column: Data | undefined, ordered: boolean, by: Data | undefined): Data {
  const n = layout.length;
  const { lo, hi } = frameBounds(layout, f.frame, ordered);
  const frameOf = new Int32Array(n);
  const ids = new Map<number, number>();
  let total = 0;
  for (let s = 0; s < n; s++) {
    if (lo[s] <= hi[s]) total += ids.has(lo[s] * n + hi[s]) ? 0 : hi[s] - lo[s] + 1;
    const key = lo[s] <= hi[s] ? lo[s] * n + hi[s] : -1;
    if (!ids.has(key)) ids.set(key, ids.size);
  }
  if (total > MAX_FRAME_ROWS) {
    throw new SluiceError(`${f.aggregate} over a window: its frames hold ${total} rows in all (more than ${MAX_FRAME_ROWS}); use a bounded ROWS frame or fewer rows per partition`);
  }
  const rows = new Int32Array(total);
  const groups = new Int32Array(total);
  let k = 0;
  const filled = new Uint8Array(ids.size);
  for (let s = 0; s < n; s++) {
    const id = ids.get(lo[s] <= hi[s] ? lo[s] * n + hi[s] : -1)!;
    frameOf[s] = id;
    if (filled[id] || lo[s] > hi[s]) continue;
    filled[id] = 1;
    for (let t = lo[s]; t <= hi[s]; t++, k++) {
      rows[k] = order[t];
      groups[k] = id;
    }
  }
  const accumulator = frameAccumulator(f, column?.type, by?.type);
  accumulator.update(groups, column ? takeNullable(column, rows) : undefined, ids.size, by ? takeNullable(by, rows) : undefined);
  return takeNullable(accumulator.result(ids.size), frameOf);
}
