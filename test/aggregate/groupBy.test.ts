import { Bool, DateDay, Decimal, Float64, Int32, Int64, TimestampMicrosecond, Utf8, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { groupByKernel } from '../../transforms/GroupBy.js';
import { finalize, mergePartials, partialAggregate, planAggregation, type GroupByParams } from '../../transforms/aggregate/partialAggregation.js';
import { batchOf, dictionaryColumn, random, runKernel, splitAt, valuesOf } from './kernelHarness.js';

const every = (column: string): GroupByParams['aggregations'] => [
  { name: 'rows', fn: 'count' },
  { name: 'n', fn: 'count', column },
  { name: 'total', fn: 'sum', column },
  { name: 'low', fn: 'min', column },
  { name: 'high', fn: 'max', column },
  { name: 'mean', fn: 'avg', column },
  { name: 'distinct', fn: 'countDistinct', column },
];

describe('GroupBy', () => {
  it('computes every aggregate with SQL null rules; null keys form their own group', async () => {
    const batch = batchOf({
      seg: [new Utf8(), ['a', 'b', null, 'a', 'b', 'c', null, 'a']],
      v: [new Int32(), [1, null, 5, 3, null, null, 7, 3]],
    });
    const { columns, schema } = await runKernel(groupByKernel, { keys: ['seg'], aggregations: every('v') }, [batch]);
    expect(schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'seg:Utf8', 'rows:Int64', 'n:Int64', 'total:Int64', 'low:Int32', 'high:Int32', 'mean:Float64', 'distinct:Int64',
    ]);
    expect(columns).toEqual({
      seg: ['a', 'b', null, 'c'],
      rows: [3, 2, 2, 1],
      n: [3, 0, 2, 0],
      total: [7, null, 12, null],
      low: [1, null, 5, null],
      high: [3, null, 7, null],
      mean: [7 / 3, null, 6, null],
      distinct: [2, 0, 2, 0],
    });
  });

  it('sums float64 with nulls across several batches, and counts rows', async () => {
    const full = batchOf({
      k: [new Int32(), [1, 2, 1, null, 2, 1, 3, null]],
      x: [new Float64(), [0.5, null, 1.25, 2, null, -0.75, null, null]],
    });
    const { columns } = await runKernel(groupByKernel, { keys: ['k'], aggregations: [{ name: 's', fn: 'sum', column: 'x' }, { name: 'c', fn: 'count' }] }, splitAt(full, [3, 5]));
    expect(columns).toEqual({ k: [1, 2, null, 3], s: [1, null, 2, null], c: [3, 2, 2, 1] });
  });

  it('groups by composite keys in order of first appearance, nulls in any part included', async () => {
    const batch = batchOf({
      a: [new Utf8(), ['x', 'x', 'y', 'x', null, 'y', null, 'x']],
      b: [new Int32(), [1, 2, 1, 1, 1, 1, null, null]],
      c: [new Bool(), [true, true, true, false, true, true, true, true]],
    });
    const { columns } = await runKernel(groupByKernel, { keys: ['a', 'b', 'c'], aggregations: [{ name: 'n', fn: 'count' }] }, splitAt(batch, [2]));
    expect(columns).toEqual({
      a: ['x', 'x', 'y', 'x', null, null, 'x'],
      b: [1, 2, 1, 1, 1, null, null],
      c: [true, true, true, false, true, true, true],
      n: [1, 1, 2, 1, 1, 1, 1],
    });
  });

  it('groups dictionary keys like plain text, keeps the dictionary type, across differing dictionaries', async () => {
    const values1 = ['DE', 'FR', null, 'DE', 'ÅL'];
    const values2 = ['FR', 'US', 'ÅL', null];
    const amounts = [[1, 2, 3, 4, 5], [6, 7, 8, 9]];
    const dictBatches = [
      batchOf({ country: dictionaryColumn(values1, ['US', 'ÅL', 'FR', 'DE']), amount: [new Float64(), amounts[0]] }),
      batchOf({ country: dictionaryColumn(values2, ['ÅL', 'FR', 'US']), amount: [new Float64(), amounts[1]] }),
    ];
    const plainBatches = [
      batchOf({ country: [new Utf8(), values1], amount: [new Float64(), amounts[0]] }),
      batchOf({ country: [new Utf8(), values2], amount: [new Float64(), amounts[1]] }),
    ];
    const params: GroupByParams = { keys: ['country'], aggregations: [{ name: 's', fn: 'sum', column: 'amount' }, { name: 'first', fn: 'min', column: 'country' }] };
    const dict = await runKernel(groupByKernel, params, dictBatches);
    const plain = await runKernel(groupByKernel, params, plainBatches);
    expect(dict.schema.fields[0].type.toString()).toBe('Dictionary<Int32, Utf8>');
    expect(dict.schema.fields[2].type.toString()).toBe('Dictionary<Int32, Utf8>');
    expect(dict.batches[0].schema.fields[0].type.toString()).toBe('Dictionary<Int32, Utf8>');
    expect(dict.columns).toEqual({ country: ['DE', 'FR', null, 'ÅL', 'US'], s: [5, 8, 12, 13, 7], first: ['DE', 'FR', null, 'ÅL', 'US'] });
    expect(plain.columns).toEqual(dict.columns);
  });

  it('groups two keys whose distinct values grow batch by batch, past any small table of pairs, as a Map does', async () => {
    const next = random(7);
    const a: (number | null)[] = [];
    const b: (string | null)[] = [];
    const v: number[] = [];
    // Few distinct values at first, then more in every piece: up to 400 x 300 pairs by the end.
    for (let i = 0; i < 30_000; i++) {
      const spread = 4 + Math.floor(i / 75);
      a.push(next() < 0.01 ? null : Math.floor(next() * Math.min(400, spread)));
      b.push(next() < 0.01 ? null : `b${Math.floor(next() * Math.min(300, spread))}`);
      v.push(Math.floor(next() * 100));
    }
    const expected = new Map<string, { a: number | null; b: string | null; n: number; s: number }>();
    a.forEach((ka, i) => {
      const key = `${ka}|${b[i]}`;
      const group = expected.get(key) ?? expected.set(key, { a: ka, b: b[i], n: 0, s: 0 }).get(key)!;
      group.n++;
      group.s += v[i];
    });
    const batch = batchOf({ a: [new Int32(), a], b: [new Utf8(), b], v: [new Int32(), v] });
    const cuts = Array.from({ length: 29 }, (_, k) => (k + 1) * 1000);
    const { columns } = await runKernel(groupByKernel, { keys: ['a', 'b'], aggregations: [{ name: 'n', fn: 'count' }, { name: 's', fn: 'sum', column: 'v' }] }, splitAt(batch, cuts));
    const groups = [...expected.values()];
    expect(groups.length).toBeGreaterThan(20_000);
    expect(columns).toEqual({ a: groups.map((g) => g.a), b: groups.map((g) => g.b), n: groups.map((g) => g.n), s: groups.map((g) => g.s) });
  });

  it('keeps input types for min and max: text by code point, dates, timestamps, int64, decimals, booleans', async () => {
    const batch = batchOf({
      g: [new Int32(), [1, 1, 1, 2, 2]],
      s: [new Utf8(), ['\uFF01', '\u{1F600}', 'z', null, 'é']],
      d: [new DateDay(), ['2024-03-01', '2023-12-31', null, '2020-02-29', null]],
      t: [new TimestampMicrosecond('UTC'), ['2024-01-01T00:00:00.000Z', null, '2024-01-01T00:00:00.001Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z']],
      i: [new Int64(), [9007199254740993n, -5n, 9007199254740995n, -9007199254740993n, null]],
      m: [new Decimal(2, 10, 128), ['1.25', '-3.50', '7.00', null, '0.01']],
      b: [new Bool(), [false, true, false, false, false]],
    });
    const aggregations: GroupByParams['aggregations'] = ['s', 'd', 't', 'i', 'm', 'b'].flatMap((c) => [
      { name: `${c}_min`, fn: 'min' as const, column: c },
      { name: `${c}_max`, fn: 'max' as const, column: c },
    ]);
    const { columns, schema } = await runKernel(groupByKernel, { keys: ['g'], aggregations }, [batch]);
    const twice = (t: string) => [t, t];
    expect(schema.fields.slice(1).map((f) => String(f.type))).toEqual(
      ['Utf8', 'Date32<DAY>', 'Timestamp<MICROSECOND, UTC>', 'Int64', 'Decimal[10e+2]', 'Bool'].flatMap(twice),
    );
    expect(columns.s_min).toEqual(['z', 'é']);
    expect(columns.s_max).toEqual(['\u{1F600}', 'é']); // U+1F600 > U+FF01 by code point, though not by UTF-16 unit
    expect(columns.d_min).toEqual([new Date('2023-12-31'), new Date('2020-02-29')]);
    expect(columns.d_max).toEqual([new Date('2024-03-01'), new Date('2020-02-29')]);
    expect(columns.t_min).toEqual([new Date('2024-01-01T00:00:00.000Z'), new Date('1969-12-31T23:59:59.999Z')]);
    expect(columns.t_max).toEqual([new Date('2024-01-01T00:00:00.001Z'), new Date('1970-01-01T00:00:00.000Z')]);
    expect(columns.i_min).toEqual([-5, -9007199254740993n]);
    expect(columns.i_max).toEqual([9007199254740995n, -9007199254740993n]);
    expect(columns.m_min).toEqual([-3.5, 0.01]);
    expect(columns.m_max).toEqual([7, 0.01]);
    expect(columns.b_min).toEqual([false, false]);
    expect(columns.b_max).toEqual([true, false]);
  });

  it('sums int64 and decimals exactly, into int64 and decimal(p+10)', async () => {
    const batch = batchOf({
      g: [new Utf8(), ['a', 'a', 'b']],
      i: [new Int64(), [2n ** 60n, 1n, 5n]],
      m: [new Decimal(2, 30, 128), ['12345678901234567890.25', '0.75', null]],
    });
    const { columns, schema } = await runKernel(groupByKernel, { keys: ['g'], aggregations: [{ name: 'i', fn: 'sum', column: 'i' }, { name: 'm', fn: 'sum', column: 'm' }, { name: 'avg', fn: 'avg', column: 'i' }] }, [batch]);
    expect(schema.fields[2].type).toEqual(new Decimal(2, 38, 128));
    expect(columns.i).toEqual([2n ** 60n + 1n, 5]);
    expect(columns.m).toEqual([12345678901234567891, null]);
    expect(columns.avg).toEqual([2 ** 59, 5]);
  });

  it('treats NaN as the largest float and -0 as 0, as Spark does', async () => {
    const batch = batchOf({ k: [new Float64(), [0, -0, NaN, NaN, 1]], x: [new Float64(), [NaN, 2, 1, NaN, 3]] });
    const { columns } = await runKernel(groupByKernel, { keys: ['k'], aggregations: [{ name: 'lo', fn: 'min', column: 'x' }, { name: 'hi', fn: 'max', column: 'x' }, { name: 'n', fn: 'count' }] }, [batch]);
    expect(columns).toEqual({ k: [0, NaN, 1], lo: [2, 1, 3], hi: [NaN, NaN, 3], n: [2, 2, 1] });
  });

  it('gives no rows for empty keyed input and one row for an empty global aggregate', async () => {
    const empty = batchOf({ k: [new Utf8(), []], x: [new Float64(), []] });
    const keyed = await runKernel(groupByKernel, { keys: ['k'], aggregations: every('x') }, [empty]);
    expect(keyed.batches.map((b) => b.numRows)).toEqual([0]);
    expect(keyed.columns.k).toEqual([]);
    const global = await runKernel(groupByKernel, { keys: [], aggregations: every('x') }, [empty, empty]);
    expect(global.columns).toEqual({ rows: [0], n: [0], total: [null], low: [null], high: [null], mean: [null], distinct: [0] });
  });

  it('passes error records from the input through', async () => {
    const batch = batchOf({ k: [new Int32(), [1]] });
    const { errors } = await runKernel(groupByKernel, { keys: ['k'], aggregations: [{ name: 'n', fn: 'count' }] }, [batch, batch], {
      0: [{ message: 'bad line', file: 'a.csv', line: 3 }],
      1: [{ message: 'bad value', file: 'a.csv', line: 9 }],
    });
    expect(errors.map((e) => e.line)).toEqual([3, 9]);
  });

  it('rejects bad params before reading data, naming the column', () => {
    const schema = batchOf({ k: [new Utf8(), ['a']], x: [new Float64(), [1]] }).schema;
    const prepare = (params: GroupByParams) => () => groupByKernel.prepare([schema], params);
    expect(prepare({ keys: ['nope'], aggregations: [] })).toThrow(/key 'nope' is not a column; available: k, x/);
    expect(prepare({ keys: ['k'], aggregations: [{ name: 's', fn: 'sum', column: 'k' }] })).toThrow(/sum\('k'\) over type Utf8/);
    expect(prepare({ keys: ['k'], aggregations: [{ name: 'k', fn: 'count' }] })).toThrow(/two columns named 'k'/);
    expect(prepare({ keys: ['k'], aggregations: [{ name: 's', fn: 'avg' }] })).toThrow(/avg needs a column/);
    expect(prepare({ keys: ['k'], aggregations: [{ name: 's', fn: 'median' as 'sum', column: 'x' }] })).toThrow(/fn one of count, sum/);
  });

  it('reports an int32 sum beyond 2^53 instead of rounding it', async () => {
    const batch = batchOf({ k: [new Int32(), [1, 1]], x: [new Float64(), [2 ** 53, 1]] });
    const exact = await runKernel(groupByKernel, { keys: ['k'], aggregations: [{ name: 's', fn: 'sum', column: 'x' }] }, [batch]);
    expect(exact.columns.s).toEqual([2 ** 53]); // floats round, as floats do
    const ints = batchOf({ x: [new Int32(), Array.from({ length: 4200 }, () => 2 ** 31 - 1)] });
    const big = Array.from({ length: 1000 }, () => ints);
    await expect(runKernel(groupByKernel, { keys: [], aggregations: [{ name: 's', fn: 'sum', column: 'x' }] }, big)).rejects.toThrow(/sum\('x'\) reached .* beyond 2\^53.*cast 'x' to int64/);
  });
});

describe('partial aggregation', () => {
  /** Random rows: composite keys with nulls, dictionary and plain text, values exact in float64. */
  function randomBatch(seed: number, rows: number): RecordBatch {
    const next = random(seed);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)];
    const segments = ['retail', 'wholesale', 'online', 'partner', null];
    const countries = ['DE', 'FR', 'ÅL', '日本', 'US', null];
    const country = Array.from({ length: rows }, () => pick(countries));
    return batchOf({
      seg: [new Utf8(), Array.from({ length: rows }, () => pick(segments))],
      country: dictionaryColumn(country, ['US', '日本', 'ÅL', 'FR', 'DE']),
      year: [new Int32(), Array.from({ length: rows }, () => pick([2022, 2023, null]))],
      amount: [new Float64(), Array.from({ length: rows }, () => (next() < 0.2 ? null : Math.round(next() * 4000 - 1000) / 4))],
      qty: [new Int64(), Array.from({ length: rows }, () => (next() < 0.1 ? null : BigInt(Math.floor(next() * 50))))],
      name: [new Utf8(), Array.from({ length: rows }, () => (next() < 0.1 ? null : `n${Math.floor(next() * 30)}`))],
    });
  }
  const params: GroupByParams = {
    keys: ['seg', 'country', 'year'],
    aggregations: [
      ...every('amount'),
      { name: 'qty_sum', fn: 'sum', column: 'qty' },
      { name: 'qty_max', fn: 'max', column: 'qty' },
      { name: 'name_min', fn: 'min', column: 'name' },
      { name: 'name_max', fn: 'max', column: 'name' },
      { name: 'names', fn: 'countDistinct', column: 'name' },
      { name: 'countries', fn: 'countDistinct', column: 'country' },
    ],
  };

  it('merging partials of random pieces equals one pass, in the same group order', async () => {
    for (const seed of [1, 2, 3]) {
      const batch = randomBatch(seed, 3000);
      const plan = planAggregation(batch.schema, params);
      const single = valuesOf([finalize(plan, partialAggregate(plan, [batch]))]);
      const next = random(seed + 100);
      const cuts = [...new Set(Array.from({ length: 12 }, () => Math.floor(next() * 3000)))].sort((a, b) => a - b);
      const pieces = splitAt(batch, cuts);
      // Workers: each aggregates a few consecutive pieces; the merge is itself merged in two levels.
      const partials = [];
      for (let i = 0; i < pieces.length; i += 3) partials.push(partialAggregate(plan, pieces.slice(i, i + 3)));
      const half = Math.ceil(partials.length / 2);
      const merged = mergePartials(plan, [mergePartials(plan, partials.slice(0, half)), mergePartials(plan, partials.slice(half))]);
      expect(valuesOf([finalize(plan, merged)])).toEqual(single);
      const kernel = await runKernel(groupByKernel, params, pieces);
      expect(kernel.columns).toEqual(single);
      expect(single.seg.length).toBeGreaterThan(40);
    }
  });

  it('merges partials in any order to the same groups', () => {
    const batch = randomBatch(7, 2000);
    const plan = planAggregation(batch.schema, params);
    const rowsOf = (b: RecordBatch) => {
      const cols = valuesOf([b]);
      return Array.from({ length: b.numRows }, (_, i) => JSON.stringify(Object.keys(cols).map((k) => cols[k][i]), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
    };
    const pieces = splitAt(batch, [500, 900, 1500]).map((p) => partialAggregate(plan, [p]));
    const forward = finalize(plan, mergePartials(plan, pieces));
    const backward = finalize(plan, mergePartials(plan, [...pieces].reverse()));
    expect(rowsOf(backward)).toEqual(rowsOf(forward));
    expect(rowsOf(forward)).toEqual(rowsOf(finalize(plan, partialAggregate(plan, [batch]))));
  });

  it('keeps its state as plain Arrow columns and typed arrays', () => {
    const batch = randomBatch(9, 500);
    const plan = planAggregation(batch.schema, params);
    const state = partialAggregate(plan, [batch]);
    expect(state.keys.map((k) => k.length)).toEqual([state.groupCount, state.groupCount, state.groupCount]);
    const distinctNames = state.aggregates[params.aggregations.findIndex((a) => a.name === 'names')];
    expect(distinctNames.groups).toBeInstanceOf(Int32Array);
    expect(distinctNames.columns[0].length).toBe(distinctNames.groups!.length);
    const sums = state.aggregates[2].columns[0];
    expect(sums.values).toBeInstanceOf(Float64Array);
    expect(sums.length).toBe(state.groupCount);
  });
});
