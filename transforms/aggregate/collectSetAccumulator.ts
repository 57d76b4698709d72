import { Field, List, makeData, type Data, type DataType } from 'apache-arrow';
import { CountDistinctAccumulator } from './countAccumulators.js';

/**
 * collect_set(x): each group's distinct non-null values as a list, in order of first appearance
 * (Spark's order is its hash set's, so unspecified). The distinct (group, value) pairs are
 * count(DISTINCT)'s, so the state and merging are the same; only the result differs.
 */
export class CollectSetAccumulator extends CountDistinctAccumulator {
  override readonly resultType: DataType;

  constructor(type: DataType) {
    super(type);
    this.resultType = new List(new Field('element', type, true));
  }

  override result(groupCount: number): Data {
    const size = this.pairs.size;
    const tuples = this.pairs.tuples;
    // A counting sort of the pairs by group keeps each group's values in order of appearance.
    const offsets = new Int32Array(groupCount + 1);
    for (let p = 0; p < size; p++) offsets[tuples[2 * p] + 1]++;
    for (let g = 0; g < groupCount; g++) offsets[g + 1] += offsets[g];
    const next = offsets.slice(0, groupCount);
    const codes = new Int32Array(size);
    for (let p = 0; p < size; p++) codes[next[tuples[2 * p]]++] = tuples[2 * p + 1];
    return makeData({ type: this.resultType as List, length: groupCount, nullCount: 0, valueOffsets: offsets, child: this.values.column(codes) });
  }
}
