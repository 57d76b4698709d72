import { Field, Float64, List, Type, makeData, type Data, type DataType, type Decimal } from 'apache-arrow';
import { takeData } from '../../src/columns/take.js';
import { takeNullable } from '../../src/columns/takeNullable.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { radixSortPermutation } from '../sort/radixSort.js';
import { sortDigits } from '../sort/sortDigits.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { KeptRows, mappedGroups, validRows } from './KeptRows.js';
import { nullsOf, numbersOf, physicalOf, wordsOf } from './physical.js';

/** Which percentile: Spark's percentile_approx (a value of the column) or percentile (interpolated, double). */
export type PercentileKind = 'approx' | 'exact';

/** Spark's default accuracy of percentile_approx (relative error 1/10000). */
export const DEFAULT_ACCURACY = 10000;

/**
 * percentile_approx(x, p [, accuracy]) and percentile(x, p), with p one fraction or a list of
 * them (then the result is a list). Every non-null value is kept and each group sorted once at
 * the end (radix sort by group, then value), so the answer is exact:
 * - percentile_approx gives the value of rank ceil(p·n) (1-based) in the group's sorted values,
 *   the first value when p ≤ 1/accuracy and the last when p ≥ 1 - 1/accuracy: Spark's answer
 *   whenever its Greenwald-Khanna summary still holds every value (groups of fewer than
 *   accuracy/2 values); on larger groups Spark's answer may be any value within n/accuracy ranks
 *   of this one, which this one always is.
 * - percentile interpolates linearly between ranks floor and ceil of (n-1)·p, as Spark does.
 * NaN sorts above every number (Spark's order).
 */
export class PercentileAccumulator implements Accumulator {
  readonly resultType: DataType;
  private readonly kept: KeptRows;
  private readonly percentages: number[];

  constructor(
    private readonly inputType: DataType, columnName: string, private readonly kind: PercentileKind,
    percentage: number | number[], private readonly accuracy = DEFAULT_ACCURACY,
  ) {
    const fn = kind === 'approx' ? 'percentile_approx' : 'percentile';
    const id = inputType.typeId;
    const numeric = id === Type.Int || id === Type.Float || id === Type.Decimal;
    const ordered = numeric || id === Type.Date || id === Type.Timestamp;
    if (!(kind === 'approx' ? ordered : numeric) || physicalOf(inputType).kind === 'unsupported') {
      throw new SluiceError(`cannot compute ${fn}('${columnName}') over type ${inputType}: ${fn} needs a number${kind === 'approx' ? ', date or timestamp' : ''} column; cast it first`);
    }
    this.percentages = Array.isArray(percentage) ? percentage : [percentage];
    if (this.percentages.length === 0 || this.percentages.some((p) => typeof p !== 'number' || !(p >= 0 && p <= 1))) {
      throw new SluiceError(`${fn}('${columnName}'): the percentage must be a number between 0 and 1 (or a list of them), got ${JSON.stringify(percentage)}`);
    }
    if (!Number.isInteger(accuracy) || accuracy <= 0 || accuracy > 2147483647) {
      throw new SluiceError(`${fn}('${columnName}'): the accuracy must be a positive whole number up to 2147483647, got ${JSON.stringify(accuracy)}`);
    }
    const valueType = kind === 'approx' ? inputType : new Float64();
    this.resultType = Array.isArray(percentage) ? new List(new Field('element', valueType, true)) : valueType;
    this.kept = new KeptRows([inputType]);
  }

  update(groups: Int32Array, column: Data | undefined): void {
    const data = column!;
    this.kept.addRows([data], groups, validRows(data, nullsOf(data)));
  }

  snapshot(): AccumulatorState {
    const { columns, groups } = this.kept.all();
    return { columns, groups };
  }

  merge(groupMap: Int32Array, state: AccumulatorState): void {
    this.kept.add(state.columns, mappedGroups(groupMap, state.groups!));
  }

  result(groupCount: number): Data {
    const { columns: [values], groups } = this.kept.all();
    const n = groups.length;
    const order = radixSortPermutation([Uint32Array.from(groups), ...sortDigits(values, { column: '' })], n);
    const starts = new Int32Array(groupCount + 1);
    for (let i = 0; i < n; i++) starts[groups[i] + 1]++;
    for (let g = 0; g < groupCount; g++) starts[g + 1] += starts[g];
    const k = this.percentages.length;
    // Per group and percentage: the sorted position(s) of the answer, -1 for an empty group.
    const lower = new Int32Array(groupCount * k).fill(-1);
    const upper = new Int32Array(groupCount * k).fill(-1);
    const weight = new Float64Array(groupCount * k);
    for (let g = 0; g < groupCount; g++) {
      const size = starts[g + 1] - starts[g];
      if (size === 0) continue;
      for (let j = 0; j < k; j++) {
        const p = this.percentages[j];
        if (this.kind === 'approx') {
          const error = 1 / this.accuracy;
          const rank = p <= error ? 1 : p >= 1 - error ? size : Math.min(size, Math.max(1, Math.ceil(p * size)));
          lower[g * k + j] = upper[g * k + j] = order[starts[g] + rank - 1];
        } else {
          const position = (size - 1) * p;
          const below = Math.floor(position);
          lower[g * k + j] = order[starts[g] + below];
          upper[g * k + j] = order[starts[g] + Math.ceil(position)];
          weight[g * k + j] = position - below;
        }
      }
    }
    const answers = this.kind === 'approx' ? takeNullable(values, lower) : interpolated(values, lower, upper, weight);
    if (!(this.resultType instanceof List)) return answers;
    // One list of k answers per group; an empty group's list is null, as in Spark.
    const offsets = new Int32Array(groupCount + 1);
    const keep: number[] = [];
    const valid = new Uint8Array((groupCount + 7) >> 3);
    let nulls = 0;
    for (let g = 0; g < groupCount; g++) {
      const empty = starts[g + 1] === starts[g];
      if (empty) nulls++;
      else {
        valid[g >> 3] |= 1 << (g & 7);
        for (let j = 0; j < k; j++) keep.push(g * k + j);
      }
      offsets[g + 1] = offsets[g] + (empty ? 0 : k);
    }
    return makeData({
      type: this.resultType, length: groupCount, nullCount: nulls, nullBitmap: nulls ? valid : undefined, valueOffsets: offsets,
      child: takeData(answers, Int32Array.from(keep)),
    });
  }
}

/** (1 - w)·values[lower] + w·values[upper] as float64, null where lower is -1. */
function interpolated(values: Data, lower: Int32Array, upper: Int32Array, weight: Float64Array): Data {
  const read = asDouble(values);
  const n = lower.length;
  const out = new Float64Array(n);
  const valid = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (lower[i] < 0) {
      nulls++;
      continue;
    }
    const a = read(lower[i]);
    const w = weight[i];
    // Spark's formula: (higher - position)·a + (position - lower)·b, with w = position - lower.
    const b = w === 0 ? a : read(upper[i]);
    out[i] = a === b ? a : (1 - w) * a + w * b;
    valid[i >> 3] |= 1 << (i & 7);
  }
  return makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: nulls ? valid : undefined, data: out });
}

/** Reads row i of a number column as a double: 64-bit integers from their words, decimals scaled. */
function asDouble(data: Data): (i: number) => number {
  const physical = physicalOf(data.type);
  if (physical.kind === 'number') {
    const values = numbersOf(data);
    return (i) => values[i];
  }
  if (physical.kind !== 'words') throw new SluiceError(`percentile cannot read type ${data.type}`);
  const width = physical.words;
  const words = wordsOf(data, width);
  if (data.type.typeId !== Type.Decimal) {
    return physical.signed ? (i) => words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0) : (i) => (words[2 * i + 1] >>> 0) * 4294967296 + (words[2 * i] >>> 0);
  }
  const scale = 10 ** (data.type as Decimal).scale;
  return (i) => {
    let value = 0n;
    for (let w = width - 1; w >= 0; w--) value = (value << 32n) | BigInt(words[i * width + w] >>> 0);
    if (words[i * width + width - 1] < 0) value -= 1n << BigInt(32 * width);
    return Number(value) / scale;
  };
}
