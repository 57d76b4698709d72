import { Float64, Int64, Type, makeData, type Data, type DataType, type Decimal } from 'apache-arrow';
import { packBits } from '../../src/columns/bitmap.js';
import { decimalBigInt } from '../../src/columns/toValues.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { float64Column, int64FromIntegers, sumType, type Accumulator, type AccumulatorState } from './Accumulator.js';
import { grown, nullsOf, numbersOf, physicalOf, validBit, wordsOf } from './physical.js';

const EXACT_LIMIT = 2 ** 53;

/**
 * sum over columns whose values are JS numbers (ints up to 32 bits, floats). The sums are
 * Float64Array accumulators: fast, and exact for integers while |sum| < 2^53, which needs over
 * four million int32 extremes in one group; a larger integer sum is reported, not rounded.
 */
export class FloatSum implements Accumulator {
  readonly resultType: DataType;
  private sums = new Float64Array(16);
  private seen = new Uint8Array(16);

  constructor(private readonly name: string, private readonly integer: boolean) {
    this.resultType = integer ? new Int64() : new Float64();
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    this.grow(groupCount);
    addNumbers(this.sums, this.seen, groups, numbersOf(column!), nullsOf(column!), column!.offset);
  }

  /** State: the sums as float64, null where a group had no value. */
  snapshot(groupCount: number): AccumulatorState {
    this.grow(groupCount);
    const { bits, unset } = packBits(this.seen, groupCount);
    return { columns: [float64Column(this.sums, groupCount, unset ? bits : undefined, unset)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.update(groupMap, state.columns[0], groupCount);
  }

  result(groupCount: number): Data {
    const [state] = this.snapshot(groupCount).columns;
    if (!this.integer) return state;
    const sums = state.values as Float64Array;
    for (let g = 0; g < groupCount; g++) {
      if (Math.abs(sums[g]) >= EXACT_LIMIT) {
        throw new SluiceError(`sum('${this.name}') reached ${sums[g]}, beyond 2^53 where integer sums stay exact; cast '${this.name}' to int64 or decimal before summing`);
      }
    }
    return int64FromIntegers(sums, groupCount, state.nullBitmap, state.nullCount);
  }

  private grow(groupCount: number): void {
    this.sums = grown(this.sums, groupCount);
    this.seen = grown(this.seen, groupCount);
  }
}

/** The float64 sum loop: a fast path without nulls, and one reading the validity bitmap. */
function addNumbers(sums: Float64Array, seen: Uint8Array, groups: Int32Array, values: ArrayLike<number>, nulls: Uint8Array | null, offset: number): void {
  const n = groups.length;
  if (!nulls) {
    for (let i = 0; i < n; i++) {
      const g = groups[i];
      sums[g] += values[i];
      seen[g] = 1;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const j = offset + i;
    if ((nulls[j >> 3] & (1 << (j & 7))) === 0) continue;
    const g = groups[i];
    sums[g] += values[i];
    seen[g] = 1;
  }
}

/**
 * sum over int64 and decimals, exactly, in BigInt (slower per row, but these types exist for
 * exactness). Overflow of the result type is an error rather than a silent wrap.
 */
export class BigSum implements Accumulator {
  readonly resultType: DataType;
  private sums: bigint[] = [];
  private seen = new Uint8Array(16);

  constructor(private readonly name: string, type: DataType) {
    this.resultType = sumType(type);
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    this.grow(groupCount);
    const nulls = nullsOf(data);
    const read = bigintReader(data);
    for (let i = 0; i < groups.length; i++) {
      if (nulls && !validBit(nulls, data.offset, i)) continue;
      const g = groups[i];
      this.sums[g] += read(i);
      this.seen[g] = 1;
    }
  }

  /** State: the result column itself (int64 or the widened decimal). */
  snapshot(groupCount: number): AccumulatorState {
    return { columns: [this.result(groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.update(groupMap, state.columns[0], groupCount);
  }

  result(groupCount: number): Data {
    this.grow(groupCount);
    const { bits, unset } = packBits(this.seen, groupCount);
    const nullBitmap = unset ? bits : undefined;
    const type = this.resultType;
    if (type.typeId === Type.Int) {
      const out = new BigInt64Array(groupCount);
      for (let g = 0; g < groupCount; g++) {
        const sum = this.sums[g];
        if (sum !== BigInt.asIntN(64, sum)) throw this.overflow(sum, 'int64');
        out[g] = sum;
      }
      return makeData({ type: type as Int64, length: groupCount, nullCount: unset, nullBitmap, data: out });
    }
    const limit = 10n ** BigInt((type as Decimal).precision);
    const words = new Uint32Array(groupCount * 4);
    for (let g = 0; g < groupCount; g++) {
      const sum = this.sums[g];
      if (sum >= limit || sum <= -limit) throw this.overflow(sum, String(type));
      const bits128 = BigInt.asUintN(128, sum);
      for (let k = 0; k < 4; k++) words[g * 4 + k] = Number((bits128 >> BigInt(32 * k)) & 0xffffffffn);
    }
    return makeData({ type: type as Decimal, length: groupCount, nullCount: unset, nullBitmap, data: words });
  }

  private grow(groupCount: number): void {
    this.seen = grown(this.seen, groupCount);
    while (this.sums.length < groupCount) this.sums.push(0n);
  }

  private overflow(sum: bigint, type: string): SluiceError {
    return new SluiceError(`sum('${this.name}') = ${sum} (unscaled) does not fit ${type}; cast '${this.name}' to a wider decimal before summing`);
  }
}

/** Reads value `i` of an int64, uint64 or decimal column as a BigInt (unscaled for decimals). */
function bigintReader(data: Data): (i: number) => bigint {
  if (data.type.typeId === Type.Decimal) {
    const words = data.values as Uint32Array;
    return (i) => decimalBigInt(words, i);
  }
  const values = data.values as unknown as BigInt64Array | BigUint64Array;
  return (i) => values[i];
}

/** avg: float64 sums and counts per group; the result is always float64 (null for no values). */
export class AvgAccumulator implements Accumulator {
  readonly resultType = new Float64();
  private sums = new Float64Array(16);
  private counts = new Float64Array(16);

  constructor(private readonly inputType: DataType) {}

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    const sums = (this.sums = grown(this.sums, groupCount));
    const counts = (this.counts = grown(this.counts, groupCount));
    const values = asNumbers(data, this.inputType);
    const nulls = nullsOf(data);
    for (let i = 0; i < groups.length; i++) {
      if (nulls && !validBit(nulls, data.offset, i)) continue;
      const g = groups[i];
      sums[g] += values[i];
      counts[g]++;
    }
  }

  /** State: sums and counts, both float64. */
  snapshot(groupCount: number): AccumulatorState {
    this.sums = grown(this.sums, groupCount);
    this.counts = grown(this.counts, groupCount);
    return { columns: [float64Column(this.sums, groupCount), float64Column(this.counts, groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    const sums = (this.sums = grown(this.sums, groupCount));
    const counts = (this.counts = grown(this.counts, groupCount));
    const theirSums = state.columns[0].values as Float64Array;
    const theirCounts = state.columns[1].values as Float64Array;
    for (let g = 0; g < groupMap.length; g++) {
      sums[groupMap[g]] += theirSums[g];
      counts[groupMap[g]] += theirCounts[g];
    }
  }

  result(groupCount: number): Data {
    this.snapshot(groupCount);
    const out = new Float64Array(groupCount);
    const valid = new Uint8Array(groupCount);
    for (let g = 0; g < groupCount; g++) {
      if (this.counts[g] > 0) {
        out[g] = this.sums[g] / this.counts[g];
        valid[g] = 1;
      }
    }
    const { bits, unset } = packBits(valid, groupCount);
    return makeData({ type: new Float64(), length: groupCount, nullCount: unset, nullBitmap: unset ? bits : undefined, data: out });
  }
}

/** A number column's values as they are; 64-bit and decimal values converted to float64 once. */
export function asNumbers(data: Data, type: DataType): ArrayLike<number> {
  const physical = physicalOf(type);
  if (physical.kind !== 'words') return numbersOf(data);
  const out = new Float64Array(data.length);
  if (type.typeId === Type.Decimal) {
    const words = data.values as Uint32Array;
    const scale = 10 ** (type as Decimal).scale;
    for (let i = 0; i < data.length; i++) out[i] = Number(decimalBigInt(words, i)) / scale;
    return out;
  }
  const words = wordsOf(data, 2);
  for (let i = 0; i < data.length; i++) {
    const hi = physical.signed ? words[2 * i + 1] : words[2 * i + 1] >>> 0;
    out[i] = hi * 4294967296 + (words[2 * i] >>> 0);
  }
  return out;
}
