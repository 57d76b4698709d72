import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { Window } from '../../transforms/Window.js';

/** Three input batches, so partitions span batches. */
async function events(): Promise<DataFrame> {
  const rows = [
    { k: 'b', ts: 2, v: 1.5 }, { k: 'a', ts: 1, v: 10 }, { k: 'a', ts: 3, v: null },
    { k: 'b', ts: 1, v: 2.5 }, { k: null, ts: 5, v: 4 }, { k: 'a', ts: 2, v: 7 },
    { k: 'a', ts: 2, v: 8 },
  ];
  const parts = await Promise.all([rows.slice(0, 2), rows.slice(2, 5), rows.slice(5)].map((r) => DataFrame.fromRows(r, { k: 'string', ts: 'int32', v: 'float64' }).toArrow()));
  return DataFrame.fromBatches(parts[0].schema, parts.flatMap((t) => t.batches));
}

describe('Window', () => {
  it('computes ranks, offsets and framed aggregates per partition across batches, rows sorted by partition then order', async () => {
    const out = Window.apply({
      frame: await events(),
      partitionBy: ['k'],
      orderBy: [{ column: 'ts' }],
      functions: [
        { name: 'rn', fn: 'row_number' },
        { name: 'rank', fn: 'rank' },
        { name: 'dense', fn: 'dense_rank' },
        { name: 'prev', fn: 'lag', column: 'v' },
        { name: 'running', fn: 'sum', column: 'v' },
        { name: 'pair_max', fn: 'max', column: 'v', frame: { unit: 'rows', start: -1, end: 0 } },
        { name: 'n', fn: 'count', column: 'v', frame: { unit: 'rows', start: null, end: null } },
      ],
    });
    expect(await out.toColumns()).toEqual({
      k: [null, 'a', 'a', 'a', 'a', 'b', 'b'],
      ts: [5, 1, 2, 2, 3, 1, 2],
      v: [4, 10, 7, 8, null, 2.5, 1.5],
      rn: [1, 1, 2, 3, 4, 1, 2],
      rank: [1, 1, 2, 2, 4, 1, 2],
      dense: [1, 1, 2, 2, 3, 1, 2],
      prev: [null, null, 10, 7, 8, null, 2.5],
      running: [4, 10, 25, 25, 25, 2.5, 4], // RANGE to the current row's last peer: ts=2 rows see both
      pair_max: [4, 10, 10, 8, 8, 2.5, 2.5],
      n: [1n, 3n, 3n, 3n, 3n, 2n, 2n].map(Number),
    });
  });

  it('computes any GroupBy aggregate over each row\'s frame (fn aggregate): lists, spread, max_by', async () => {
    const out = Window.apply({
      frame: await events(),
      partitionBy: ['k'],
      orderBy: [{ column: 'ts' }],
      functions: [
        { name: 'seen', fn: 'aggregate', aggregate: 'collectList', column: 'v' },
        { name: 'all_ts', fn: 'aggregate', aggregate: 'collectSet', column: 'ts', frame: { unit: 'rows', start: null, end: null } },
        { name: 'sd', fn: 'aggregate', aggregate: 'stddevPop', column: 'v', frame: { unit: 'rows', start: null, end: null } },
        { name: 'v_at_max_ts', fn: 'aggregate', aggregate: 'maxBy', column: 'v', by: 'ts', frame: { unit: 'rows', start: -1, end: 0 } },
      ],
    });
    expect(await out.toColumns()).toEqual({
      k: [null, 'a', 'a', 'a', 'a', 'b', 'b'],
      ts: [5, 1, 2, 2, 3, 1, 2],
      v: [4, 10, 7, 8, null, 2.5, 1.5],
      // RANGE to the current row's last peer (Spark's default with ORDER BY); collect_list skips nulls.
      seen: [[4], [10], [10, 7, 8], [10, 7, 8], [10, 7, 8], [2.5], [2.5, 1.5]],
      all_ts: [[5], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2], [1, 2]],
      sd: [0, Math.sqrt(((10 - 25 / 3) ** 2 + (7 - 25 / 3) ** 2 + (8 - 25 / 3) ** 2) / 3), Math.sqrt(((10 - 25 / 3) ** 2 + (7 - 25 / 3) ** 2 + (8 - 25 / 3) ** 2) / 3), Math.sqrt(((10 - 25 / 3) ** 2 + (7 - 25 / 3) ** 2 + (8 - 25 / 3) ** 2) / 3), Math.sqrt(((10 - 25 / 3) ** 2 + (7 - 25 / 3) ** 2 + (8 - 25 / 3) ** 2) / 3), 0.5, 0.5],
      // The previous and the current row; the first of equal orderings wins.
      v_at_max_ts: [4, 10, 7, 7, null, 2.5, 1.5],
    });
  });

  it('refuses an aggregate it does not know, naming the known ones', () => {
    expect(() => Window.apply({ frame: DataFrame.fromRows([{ v: 1 }]), functions: [{ name: 'm', fn: 'aggregate', aggregate: 'median' as never, column: 'v' }] }))
      .toThrow(/fn 'aggregate' needs aggregate, one of count, sum, .*; got "median"/);
  });

  it('refuses an unknown column, naming it', async () => {
    const out = Window.apply({ frame: await events(), partitionBy: ['kk'], functions: [{ name: 'rn', fn: 'row_number' }] });
    await expect(out.toRows()).rejects.toThrow(/Window partitionBy column 'kk' is not a column; available: k, ts, v/);
  });
});
