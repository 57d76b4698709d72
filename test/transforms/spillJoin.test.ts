import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataType, Field, Float64, Int32, Int64, Schema, Utf8, type RecordBatch } from 'apache-arrow';
import { DataFrame, type Row } from '../../src/frame/DataFrame.js';
import { columnFromValues } from '../../src/columns/fromValues.js';
import { makeBatch } from '../../src/columns/take.js';
import { Join } from '../../transforms/Join.js';
import type { JoinType } from '../../transforms/types.js';
import { tempDir } from '../support/files.js';

// Spill folders go to os.tmpdir(), which follows TMPDIR: a folder of our own shows what is left.
let spillRoot: string;
let savedTmp: string | undefined;
beforeAll(async () => {
  spillRoot = await tempDir('sluice-spill-test-');
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = spillRoot;
});
afterAll(async () => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  await rm(spillRoot, { recursive: true, force: true });
});
afterEach(async () => {
  expect(await readdir(spillRoot)).toEqual([]);
});

/** A frame of several batches (`batchRows` each) from plain columns. */
function frameOf(fields: [string, DataType][], columns: unknown[][], batchRows: number): DataFrame<Row> {
  const schema = new Schema(fields.map(([name, type]) => new Field(name, type, true)));
  const batches: RecordBatch[] = [];
  for (let start = 0; start < columns[0].length; start += batchRows) {
    const end = Math.min(columns[0].length, start + batchRows);
    batches.push(makeBatch(schema, fields.map(([, type], k) => columnFromValues(type, columns[k].slice(start, end))), end - start));
  }
  return DataFrame.fromBatches(schema, batches);
}

/** Deterministic pseudo-random ints, so both joins see the same data every run. */
function ints(n: number, seed: number, range: number, nullEvery: number): (number | null)[] {
  let x = seed;
  return Array.from({ length: n }, (_, i) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return nullEvery && i % nullEvery === 0 ? null : x % range;
  });
}

const names = ['ana', 'bo', 'cy', 'dee', 'ed', 'fay', 'gus'];
const leftFrame = () => {
  const k = ints(700, 1, 60, 13);
  return frameOf([['k', new Int32()], ['name', new Utf8()], ['v', new Float64()]],
    [k, k.map((_, i) => (i % 11 === 0 ? null : names[i % names.length])), k.map((_, i) => i * 0.5)], 64);
};
const rightFrame = (keyType: DataType) => {
  const k = ints(500, 7, 80, 17);
  return frameOf([['k', keyType], ['name', new Utf8()], ['w', new Int32()]],
    [k, k.map((_, i) => names[(i * 3) % names.length]), k.map((_, i) => i)], 50);
};

const joined = (keys1: string[], keys2: string[], how: JoinType, joinMemoryBytes?: number, keyType: DataType = new Int32()) =>
  Join.apply({ frame1: leftFrame(), frame2: rightFrame(keyType), keys1, keys2, how, ...(joinMemoryBytes === undefined ? {} : { joinMemoryBytes }) });

const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

const HOWS: JoinType[] = ['inner', 'left', 'right', 'outer', 'semi', 'anti'];

describe('Join spilled to disk (Grace hash join)', () => {
  describe.each([
    ['int32 keys', ['k'], ['k'], new Int32()],
    ['int32 meets int64', ['k'], ['k'], new Int64()],
    ['string keys', ['name'], ['name'], new Int32()],
    ['composite keys', ['k', 'name'], ['k', 'name'], new Int64()],
  ] as const)('%s', (_label, keys1, keys2, keyType) => {
    it.each(HOWS)('%s: the same rows as in memory', async (how) => {
      const inMemory = await joined([...keys1], [...keys2], how, undefined, keyType).toRows();
      const spilled = await joined([...keys1], [...keys2], how, 1, keyType).toRows();
      expect(inMemory.length).toBeGreaterThan(0);
      expect(sorted(spilled)).toEqual(sorted(inMemory));
    });
  });

  it('keeps null keys unmatched and both key columns, with _right for clashes', async () => {
    const a = DataFrame.fromRows([{ id: 1, x: 'a' }, { id: null, x: 'n' }, { id: 2, x: 'b' }], { id: 'int32', x: 'string' });
    const b = DataFrame.fromRows([{ id: null, x: 'N' }, { id: 1, x: 'A' }, { id: 3, x: 'C' }], { id: 'int64', x: 'string' });
    const rows = await Join.apply({ frame1: a, frame2: b, keys1: ['id'], keys2: ['id'], how: 'outer', joinMemoryBytes: 1 }).toRows();
    expect(sorted(rows)).toEqual(sorted([
      { id: 1, x: 'a', id_right: 1, x_right: 'A' },
      { id: null, x: 'n', id_right: null, x_right: null },
      { id: 2, x: 'b', id_right: null, x_right: null },
      { id: null, x: null, id_right: null, x_right: 'N' },
      { id: null, x: null, id_right: 3, x_right: 'C' },
    ]));
  });

  it('orders rows by partition, then probe order; orderBy restores any order', async () => {
    const spilled = await joined(['k'], ['k'], 'inner', 1).toRows();
    const inMemory = await joined(['k'], ['k'], 'inner').toRows();
    expect(spilled).not.toEqual(inMemory);
    const ordered = await joined(['k'], ['k'], 'inner', 1).orderBy('v', 'w').toRows();
    expect(ordered).toEqual(await joined(['k'], ['k'], 'inner').orderBy('v', 'w').toRows());
  });

  it('stays in memory below the bound (frame1 order kept)', async () => {
    const big = await joined(['k'], ['k'], 'left', 1 << 30).toRows();
    expect(big).toEqual(await joined(['k'], ['k'], 'left').toRows());
  });

  it('removes its folder when the consumer stops early', async () => {
    const first = await joined(['k'], ['k'], 'inner', 1).limit(1).toRows();
    expect(first).toHaveLength(1);
    expect(await joined(['k'], ['k'], 'inner', 1).limit(3).count()).toBe(3);
  });

  it('spills both sides into partition files while it runs, and removes them when the stream is left', async () => {
    const { chunks } = await joined(['k'], ['k'], 'inner', 1).stream();
    const iterator = chunks[Symbol.asyncIterator]();
    let first = await iterator.next();
    while (!first.done && first.value.batch.numRows === 0) first = await iterator.next();
    expect(first.done).toBe(false);
    const folders = await readdir(spillRoot);
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^sluice-join-[0-9a-f-]{36}$/);
    const files = await readdir(join(spillRoot, folders[0]));
    expect(files.filter((f) => f.startsWith('build-')).length).toBeGreaterThan(8);
    expect(files.filter((f) => f.startsWith('probe-')).length).toBeGreaterThan(8);
    expect(files.every((f) => /^(build|probe)-\d{3}\.arrow$/.test(f))).toBe(true);
    await iterator.return?.();
  });

  it('removes its folder when the join fails', async () => {
    // A throwing row function makes error records; past stageThreshold the probe stream fails.
    const failingProbe = leftFrame().filter((row) => {
      if ((row.v as number) > 300) throw new Error('boom');
      return true;
    }, { stageThreshold: 1 });
    const join = Join.apply({ frame1: failingProbe, frame2: rightFrame(new Int32()), keys1: ['k'], keys2: ['k'], joinMemoryBytes: 1 });
    await expect(join.toRows()).rejects.toThrow('exceed stageThreshold 1');
  });

  it('reads SLUICE_JOIN_MEMORY, with units', async () => {
    process.env.SLUICE_JOIN_MEMORY = '1k';
    try {
      const spilled = await joined(['k'], ['k'], 'inner').toRows();
      const inMemory = await joined(['k'], ['k'], 'inner', 1 << 30).toRows();
      expect(spilled).not.toEqual(inMemory);
      expect(sorted(spilled)).toEqual(sorted(inMemory));
      process.env.SLUICE_JOIN_MEMORY = 'lots';
      await expect(joined(['k'], ['k'], 'inner').toRows()).rejects.toThrow("SLUICE_JOIN_MEMORY: 'lots' is not a size in bytes");
    } finally {
      delete process.env.SLUICE_JOIN_MEMORY;
    }
  });
});
