import { Float64, makeData, type Data, type DataType } from 'apache-arrow';
import { packBits } from '../../src/columns/bitmap.js';
import { float64Column, type Accumulator, type AccumulatorState } from './Accumulator.js';
import { grown, nullsOf, validBit } from './physical.js';
import { asNumbers } from './sumAccumulators.js';

/** Which second moment a MomentsAccumulator reports: sample or population, variance or its root. */
export type MomentKind = 'variance' | 'variancePop' | 'stddev' | 'stddevPop';

/**
 * variance and stddev (Spark: `variance`/`var_samp`, `var_pop`, `stddev`/`stddev_samp`,
 * `stddev_pop`): per group the count, mean and sum of squared deviations, updated row by row
 * (Welford) and merged across splits by Chan's formula, both stable where sum-of-squares is not.
 * Sample forms are null for a group of one value (Spark 3's default); nulls are skipped.
 */
export class MomentsAccumulator implements Accumulator {
  readonly resultType = new Float64();
  private counts = new Float64Array(16);
  private means = new Float64Array(16);
  private m2 = new Float64Array(16);

  constructor(private readonly inputType: DataType, private readonly kind: MomentKind) {}

  update(groups: Int32Array, column: Data | undefined, groupCount: number): void {
    const data = column!;
    this.grow(groupCount);
    const { counts, means, m2 } = this;
    const values = asNumbers(data, this.inputType);
    const nulls = nullsOf(data);
    for (let i = 0; i < groups.length; i++) {
      if (nulls && !validBit(nulls, data.offset, i)) continue;
      const g = groups[i];
      const n = ++counts[g];
      const delta = values[i] - means[g];
      means[g] += delta / n;
      m2[g] += delta * (values[i] - means[g]);
    }
  }

  /** State: count, mean and M2 per group, as float64 columns. */
  snapshot(groupCount: number): AccumulatorState {
    this.grow(groupCount);
    return { columns: [float64Column(this.counts, groupCount), float64Column(this.means, groupCount), float64Column(this.m2, groupCount)] };
  }

  merge(groupMap: Int32Array, state: AccumulatorState, groupCount: number): void {
    this.grow(groupCount);
    const { counts, means, m2 } = this;
    const [theirCounts, theirMeans, theirM2] = state.columns.map((c) => c.values as Float64Array);
    for (let k = 0; k < groupMap.length; k++) {
      const nb = theirCounts[k];
      if (nb === 0) continue;
      const g = groupMap[k];
      const na = counts[g];
      const n = na + nb;
      const delta = theirMeans[k] - means[g];
      means[g] += (delta * nb) / n;
      m2[g] += theirM2[k] + (delta * delta * na * nb) / n;
      counts[g] = n;
    }
  }

  result(groupCount: number): Data {
    this.grow(groupCount);
    const sample = this.kind === 'variance' || this.kind === 'stddev';
    const root = this.kind === 'stddev' || this.kind === 'stddevPop';
    const out = new Float64Array(groupCount);
    const valid = new Uint8Array(groupCount);
    for (let g = 0; g < groupCount; g++) {
      const n = this.counts[g];
      const divisor = sample ? n - 1 : n;
      if (divisor <= 0) continue;
      const v = this.m2[g] / divisor;
      out[g] = root ? Math.sqrt(v) : v;
      valid[g] = 1;
    }
    const { bits, unset } = packBits(valid, groupCount);
    return makeData({ type: new Float64(), length: groupCount, nullCount: unset, nullBitmap: unset ? bits : undefined, data: out });
  }

  private grow(groupCount: number): void {
    this.counts = grown(this.counts, groupCount);
    this.means = grown(this.means, groupCount);
    this.m2 = grown(this.m2, groupCount);
  }
}
