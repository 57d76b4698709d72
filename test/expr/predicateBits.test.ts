import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Bool, Dictionary, Float32, Float64, Int8, Int32, Int64, Utf8, type RecordBatch } from 'apache-arrow';
import { evaluatePredicate, evaluatePredicateBits, expr } from '../../src/expr/index.js';
import { countSet, setBitIndices } from '../../src/columns/bitmap.js';
import { read } from '../../src/frame/read.js';
import { optimisePlan } from '../../src/plan/optimisePlan.js';
import { transformDefs } from '../../transforms/index.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { batchOf } from './helpers.js';

afterAll(() => closeWorkerPool());

/** A seeded generator, so a failure names a reproducible batch. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['DE', 'FR', 'D', 'DEU', '', 'de', 'é', '日本', 'Ünï', 'DE ', 'US'];

/** Columns of every kind the fast paths take (and some they leave to compare), with nulls in each. */
function randomBatch(rows: number, seed: number): RecordBatch {
  const next = random(seed);
  const pick = <T>(values: T[], nullShare = 0.1): (T | null)[] =>
    Array.from({ length: rows }, () => (next() < nullShare ? null : values[Math.floor(next() * values.length)]));
  const numbers = [-3, -0, 0, 0.5, 1, 2, 2.5, 3, 100, 100.25, Number.NaN, 1e9];
  const words = pick(WORDS);
  return batchOf({
    i32: [pick([-3, 0, 1, 2, 3, 100, 7]), new Int32()],
    i8: [pick([-3, 0, 1, 2, 3, 100], 0), new Int8()],
    f64: [pick(numbers), new Float64()],
    f32: [pick([0.5, 1, 2.5, 3, -1]), new Float32()],
    i64: [pick([1n, 2n, 3n, 2n ** 60n]), new Int64()],
    s: [words, new Utf8()],
    d: [words, new Dictionary(new Utf8(), new Int32())],
    b: [pick([true, false]), new Bool()],
  });
}

const PREDICATES = [
  'i32 > 2', '2 < i32', 'i32 <= 1', 'i32 = 3', 'i32 <> 3', 'i32 >= 2.5', 'i8 < 2', 'i8 = 100',
  'f64 > 0.5', 'f64 = 0', 'f64 <> 0', 'f64 >= 100', 'f64 < 3', 'f64 = 1', '100 <= f64', 'f32 < 2.5', 'f32 = 0.5',
  'i64 > 2', "s = 'DE'", "s <> 'DE'", "s = ''", "s < 'D'", "s >= 'é'", "s > 'DE'", "s <= 'Ünï'", "'DE' = s",
  "d = 'DE'", "d <> 'DE'", "d = ''", "d < 'de'", "'FR' >= d", "d = 'missing'", 's = NULL', "s = d", 'i32 = f64',
  'b', 'NOT b', "b AND s = 'DE'", "s = 'DE' AND f64 > 0.5 AND i32 <> 3", "d = 'DE' AND f64 > 100",
  "(s = 'FR' OR i32 > 2) AND d = 'DE'", 'i32 > 2 AND NULL', 'i32 > 2 AND true', 'false AND i32 > 2',
  'f64 > 0.5 AND s IS NULL', "i32 > 2 AND (d = 'FR' AND f32 >= 1)", 'i64 > 1 AND i32 < 3', "s = 'DE' OR d = 'FR'",
  "upper(s) = 'DE' AND i32 > 0", 'true', 'NULL', "s = 'DE' OR f64 > 1", 'i32 > 2 OR NULL', "b OR s < 'D'",
  "NOT (s = 'DE' OR i32 > 2)", "(d = 'DE' OR d = 'FR') AND (f64 > 2 OR f64 IS NULL)", 'false OR i8 = 3', 'i32 > 2 OR true',
];

/** The rows evaluatePredicate keeps, as indices. */
const maskRows = (mask: Uint8Array): number[] => [...mask].flatMap((m, i) => (m ? [i] : []));

describe('evaluatePredicateBits', () => {
  it('keeps exactly the rows evaluatePredicate keeps: every kind, operator, AND chain, null and slice', () => {
    for (const seed of [1, 2, 3]) {
      const whole = randomBatch(1003, seed);
      // Slices start mid-byte: validity bits are then read from an offset, values from sliced buffers.
      for (const batch of [whole, whole.slice(3, 900), whole.slice(64, 1003), whole.slice(5, 12)]) {
        for (const sql of PREDICATES) {
          const node = expr(sql).node;
          const expected = maskRows(evaluatePredicate(node, batch));
          const bits = evaluatePredicateBits(node, batch);
          expect([...setBitIndices(bits, batch.numRows)], `${sql} (seed ${seed}, ${batch.numRows} rows)`).toEqual(expected);
          expect(countSet(bits, batch.numRows)).toBe(expected.length);
        }
      }
    }
  });

  it('fails as evaluation does: a non-boolean AND operand, a bad comparison, named with the whole condition', () => {
    const batch = randomBatch(20, 4);
    for (const sql of ["i32 AND s = 'DE'", "s = 'DE' AND i32", "s = array(1) AND i32 > 1", "s OR i32 > 1", "i32 > 1 OR f64"]) {
      const node = expr(sql).node;
      let message = '';
      try {
        evaluatePredicate(node, batch);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, sql).not.toBe('');
      expect(() => evaluatePredicateBits(node, batch), sql).toThrow(message);
    }
  });
});

describe('count() after a filter', () => {
  async function ordersParquet(rows: number): Promise<string> {
    const dir = await tempDir();
    const csv = join(dir, 'orders.csv');
    const next = random(7);
    const lines = ['id,country,amount'];
    for (let i = 0; i < rows; i++) {
      const amount = next() < 0.1 ? '' : (next() * 200).toFixed(2);
      lines.push(`${i},${['DE', 'FR', 'US', 'Ünï', ''][Math.floor(next() * 5)]},${amount}`);
    }
    await writeFile(csv, lines.join('\n') + '\n');
    const out = join(dir, 'parquet');
    // country repeats: the CSV reader makes it a dictionary column, as Parquet dictionary pages will.
    await read.csv(csv, { withHeader: true, schema: { id: 'int32', country: 'string', amount: 'float64' } }).write.parquet(out, { mode: 'overwrite' });
    return out;
  }

  it('counts the kept rows without gathering them, as DuckDB counts; inline and split-parallel', async () => {
    const path = await ordersParquet(20_000);
    for (const condition of ["country = 'DE' AND amount > 100", 'amount > 150', "country <> 'FR' OR amount IS NULL", "country = 'Ünï'"]) {
      const frame = read.parquet(path).filter(condition);
      const [{ n }] = await duck(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}/*.parquet') WHERE ${condition}`);
      expect(await frame.count({ parallel: false }), condition).toBe(n);
      expect(await frame.count({ threads: 2, splitSize: 4096, inlineBelowBytes: 0 }), condition).toBe(n);
      expect((await frame.toRows()).length, condition).toBe(n);
    }
  });

  it('under a count, an expression filter is planned to give rows without columns; a row function keeps its records', async () => {
    const path = await ordersParquet(10);
    const filtered = read.parquet(path).filter('amount > 1');
    const counted = optimisePlan(filtered.plan, new Set(), transformDefs);
    expect(counted).toMatchObject({ name: 'Filter', params: { rowsOnly: true } });
    expect(optimisePlan(filtered.plan, null, transformDefs)).not.toMatchObject({ params: { rowsOnly: true } });
    expect(optimisePlan(filtered.plan, new Set(['id']), transformDefs)).not.toMatchObject({ params: { rowsOnly: true } });
    const byFunction = read.parquet(path).filter((row) => Number(row.amount ?? 0) > 1);
    expect(optimisePlan(byFunction.plan, new Set(), transformDefs)).not.toMatchObject({ params: { rowsOnly: true } });
  });
});
