import { makeData, type Data, type Decimal } from 'apache-arrow';
import { decimalBigInt } from '../../src/columns/toValues.js';
import { decimalAverageType } from '../../src/expr/decimalTypes.js';
import type { Accumulator, AccumulatorState } from './Accumulator.js';
import { CountAccumulator } from './countAccumulators.js';
import { BigSum } from './sumAccumulators.js';

/**
 * avg over a decimal(p, s) column, as Spark: an exact decimal(p + 4, s + 4) (bounded at 38 digits),
 * the exact sum over the count rounded half up, not a double. The state is sum's and count's,
 * so partials from parallel splits merge exactly.
 */
export class DecimalAvgAccumulator implements Accumulator {
  readonly resultType: Decimal;
  private readonly sum: BigSum;
  private readonly count = new CountAccumulator(true);

  constructor(name: string, private readonly inputType: Decimal) {
    this.resultType = decimalAverageType(inputType);
    this.sum = new BigSum(name, inputType);
  }

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    this.sum.update(groups, column, groupCount);
    this.count.update(groups, column, groupCount);
  }

  snapshot(groupCount: number): AccumulatorState {
    return { columns: [...this.sum.snapshot(groupCount).columns, ...this.count.snapshot(groupCount).columns] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.sum.merge(groupMap, { columns: [state.columns[0]] }, groupCount);
    this.count.merge(groupMap, { columns: [state.columns[1]] }, groupCount);
  }

  result(groupCount: number): Data {
    const sums = this.sum.result(groupCount);
    const counts = this.count.snapshot(groupCount).columns[0].values as Float64Array;
    const sumWords = sums.values as Uint32Array;
    const shift = 10n ** BigInt(this.resultType.scale - this.inputType.scale);
    const words = new Uint32Array(groupCount * 4);
    const valid = new Uint8Array((groupCount + 7) >> 3);
    let nulls = 0;
    for (let g = 0; g < groupCount; g++) {
      if (counts[g] === 0) {
        nulls++;
        continue;
      }
      valid[g >> 3] |= 1 << (g & 7);
      const n = BigInt(counts[g]);
      const scaled = decimalBigInt(sumWords, g) * shift;
      const q = scaled / n;
      const twice = (scaled % n < 0n ? -(scaled % n) : scaled % n) * 2n;
      const value = twice >= n ? q + (scaled < 0n ? -1n : 1n) : q; // half up
      let bits = BigInt.asUintN(128, value);
      for (let k = 0; k < 4; k++, bits >>= 32n) words[g * 4 + k] = Number(bits & 0xffffffffn);
    }
    return makeData({ type: this.resultType, length: groupCount, nullCount: nulls, nullBitmap: nulls ? valid : undefined, data: words });
  }
}
