import { join } from 'node:path';
import { Float64, Int32, Int64, makeData, makeVector } from 'apache-arrow';
import type { RecordBatch, Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { HELD_BUDGET, trialHeldBytes } from '../../../src/io/formats/parquet/encode/dictionaryTrial.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { batchOf } from '../helpers.js';

/** A DOUBLE column of `n` rows, value(i) for row i, null where `value` gives null. */
function doubles(n: number, value: (i: number) => number | null): Vector {
  const values = new Float64Array(n);
  const validity = new Uint8Array(((n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = value(i);
    if (v === null) nulls++;
    else {
      values[i] = v;
      validity[i >> 3] |= 1 << (i & 7);
    }
  }
  return makeVector(makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: validity, data: values }));
}

const int64s = (n: number, value: (i: number) => number): Vector =>
  makeVector(makeData({ type: new Int64(), length: n, nullCount: 0, data: BigInt64Array.from({ length: n }, (_, i) => BigInt(value(i))) }));

const int32s = (n: number, value: (i: number) => number): Vector =>
  makeVector(makeData({ type: new Int32(), length: n, nullCount: 0, data: Int32Array.from({ length: n }, (_, i) => value(i)) }));

/** A seeded stream of cents in [0, range). */
function cents(seed: number, range: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return ((s >>> 0) % range) / 100;
  };
}

/** The same columns cut into batches of `size` rows. */
function batches(columns: Record<string, Vector>, size: number): RecordBatch[] {
  const n = Object.values(columns)[0].length;
  const out: RecordBatch[] = [];
  for (let at = 0; at < n; at += size) out.push(batchOf(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.slice(at, Math.min(n, at + size))]))));
  return out;
}

async function encodingsOf(path: string) {
  const rows = await duck(`select path_in_schema as c, encodings as e from parquet_metadata('${path}') order by row_group_id, column_id`);
  return Object.fromEntries(rows.map((row) => [row.c, row.e]));
}

describe('fixed-width columns keep a dictionary only when at most half their values are distinct', () => {
  it('judges over the first pages, not the first page: prices of a month are PLAIN, repeating values take a dictionary', async () => {
    const n = 67_000;
    const price = cents(7, 50_000);
    const few = cents(8, 100);
    const mid = cents(9, 20_000);
    const customer = cents(10, 200_000);
    const product = cents(11, 1_000);
    const columns = {
      // 50,000 prices: 82% distinct over a 20,480-row page, 55% over the chunk.
      price: doubles(n, () => price()),
      // 100 values, a tenth null.
      few: doubles(n, (i) => (i % 10 === 3 ? null : few())),
      // 20,000 values: 63% distinct over the first page, 29% over the chunk.
      mid: doubles(n, () => mid()),
      ids: int64s(n, (i) => 1_000_000 + i),
      // INT32 too: 200,000 customers (85% distinct) and 1,000 products.
      customer: int32s(n, () => Math.round(customer() * 100)),
      product: int32s(n, () => Math.round(product() * 100)),
    };
    const path = join(await tempDir('sluice-trial-'), 'month.parquet');
    const written = await parquetWriter.write((async function* () { yield* batches(columns, 5_000); })(), path, { compression: 'snappy' });
    expect(written.rows).toBe(n);
    expect(trialHeldBytes()).toBe(0);
    expect(await encodingsOf(path)).toEqual({
      price: 'PLAIN, RLE',
      few: 'PLAIN, RLE, RLE_DICTIONARY',
      mid: 'PLAIN, RLE, RLE_DICTIONARY',
      ids: 'PLAIN, RLE',
      customer: 'PLAIN, RLE',
      product: 'PLAIN, RLE, RLE_DICTIONARY',
    });
    // DuckDB reads every value back in order (weighted by row), the held and replayed pages included.
    const sums = (name: string) => {
      const v = columns[name as keyof typeof columns];
      let s = 0;
      let weighted = 0;
      for (let i = 0; i < n; i++) {
        const x = v.get(i);
        if (x === null) continue;
        s += Number(x);
        weighted += Number(x) * (i % 1000);
      }
      return [Math.round(s * 100), Math.round(weighted * 100)];
    };
    const [back] = await duck(
      `with t as (select *, (row_number() over () - 1) % 1000 as k from read_parquet('${path}'))
       select ${Object.keys(columns).map((c) => `round(sum("${c}") * 100)::bigint::varchar as "${c}_sum", round(sum("${c}" * k) * 100)::bigint::varchar as "${c}_w", count("${c}")::int as "${c}_n"`).join(', ')} from t`,
    );
    for (const name of Object.keys(columns)) {
      const [s, w] = sums(name);
      expect([back[`${name}_sum`], back[`${name}_w`], back[`${name}_n`]], name).toEqual([String(s), String(w), name === 'few' ? n - n / 10 : n]);
    }
  });

  it('keeps the dictionary it judged worth it, though its first page alone is mostly distinct', async () => {
    // 150,000 prices: 93% distinct over the first page (the first-page check gave such chunks up),
    // at most half distinct from ~240k values on.
    const n = 250_000;
    const price = cents(12, 150_000);
    const values = Array.from({ length: n }, () => price());
    const path = join(await tempDir('sluice-trial-'), 'judged.parquet');
    await parquetWriter.write((async function* () { yield* batches({ price: doubles(n, (i) => values[i]) }, 10_000); })(), path, {});
    expect(await encodingsOf(path)).toEqual({ price: 'PLAIN, RLE, RLE_DICTIONARY' });
    const [back] = await duck(`select count(*)::int as n, count(distinct price)::int as d, round(sum(price) * 100)::bigint::varchar as s from read_parquet('${path}')`);
    expect(back).toEqual({ n, d: new Set(values).size, s: String(Math.round(values.reduce((a, b) => a + b, 0) * 100)) });
    // Every value in its row: a sum weighted by the row's place.
    const [{ w }] = await duck(`with t as (select price, (row_number() over () - 1) % 1000 as k from read_parquet('${path}')) select round(sum(price * k) * 100)::bigint::varchar as w from t`);
    expect(w).toBe(String(Math.round(values.reduce((sum, v, i) => sum + v * (i % 1000), 0) * 100)));
  });

  it('decides small chunks exactly: a few repeating values take a dictionary, distinct ones are PLAIN', async () => {
    const path = join(await tempDir('sluice-trial-'), 'small.parquet');
    const columns = { repeats: doubles(100, (i) => i % 10), spread: doubles(100, (i) => i + 0.5) };
    await parquetWriter.write((async function* () { yield* batches(columns, 30); })(), path, {});
    expect(await encodingsOf(path)).toEqual({ repeats: 'PLAIN, RLE, RLE_DICTIONARY', spread: 'PLAIN, RLE' });
    expect(await duck(`select list(repeats)::varchar as r, list(spread)::varchar as d from read_parquet('${path}')`)).toEqual([
      { r: `[${Array.from({ length: 100 }, (_, i) => (i % 10).toFixed(1)).join(', ')}]`, d: `[${Array.from({ length: 100 }, (_, i) => (i + 0.5).toFixed(1)).join(', ')}]` },
    ]);
  });

  it(`holds at most ${HELD_BUDGET >> 20} MiB of pages on a thread: a wide table decides early, and an aborted write holds nothing`, async () => {
    // 24 columns 70% distinct (each value once or twice) never settle on their own before 2^18 values: 48 MiB held.
    const n = 300_000;
    const columns = Object.fromEntries(Array.from({ length: 24 }, (_, c) => [`c${c}`, doubles(n, (i) => Math.floor(i * 0.7) + c)]));
    let most = 0;
    async function* watched() {
      for (const batch of batches(columns, 10_000)) {
        most = Math.max(most, trialHeldBytes());
        yield batch;
      }
    }
    const path = join(await tempDir('sluice-trial-'), 'wide.parquet');
    await parquetWriter.write(watched(), path, { compression: 'none' });
    expect(most).toBeGreaterThan(HELD_BUDGET / 2);
    // Past the budget each column decides at its next page: one page (20,480 doubles) over at most.
    expect(most).toBeLessThanOrEqual(HELD_BUDGET + 20_480 * 8);
    expect(trialHeldBytes()).toBe(0);
    expect(Object.values(await encodingsOf(path))).toEqual(Array(24).fill('PLAIN, RLE'));
    const [back] = await duck(`select count(*)::int as n, sum(c0)::bigint::varchar as s0, sum(c23)::bigint::varchar as s23 from read_parquet('${path}')`);
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.floor(i * 0.7);
    expect(back).toEqual({ n, s0: String(s), s23: String(s + 23 * n) });

    async function* failing() {
      yield* batches(columns, 10_000).slice(0, 5);
      throw new Error('source went away');
    }
    await expect(parquetWriter.write(failing(), join(await tempDir('sluice-trial-'), 'broken.parquet'), {})).rejects.toThrow('source went away');
    expect(trialHeldBytes()).toBe(0);
  });
});
