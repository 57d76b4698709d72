import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { recordAlignedRange, countNewlinesBefore } from '../../src/exec/parallel/byteRange.js';
import { planSplits } from '../../src/exec/parallel/splits.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { bothWays, fn, ORDERS_SCHEMA, ordersCsv, PARALLEL } from './helpers.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

/**
 * What a range [start, end) owns, worked out another way than by scanning: every record whose
 * preceding '\n' lies in the range (the file's first record belongs to the range at 0).
 */
function ownedRecords(whole: Buffer, start: number, end: number): Buffer {
  const recordStarts = [0];
  for (let i = 0; i < whole.length - 1; i++) if (whole[i] === 0x0a) recordStarts.push(i + 1);
  const owned = recordStarts.filter((at) => (at === 0 ? start === 0 : at - 1 >= start && at - 1 < end));
  if (owned.length === 0) return Buffer.alloc(0);
  const lastBreak = whole.indexOf(0x0a, owned.at(-1)!);
  return whole.subarray(owned[0], lastBreak === -1 ? whole.length : lastBreak + 1);
}

async function rangeBytes(path: string, start: number, end: number, chunkSize: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of recordAlignedRange(path, { start, end }, chunkSize)) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('byte ranges cut at record boundaries', () => {
  it('tile the file exactly, whatever the range and chunk sizes', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(120, { crlf: true }));
    const whole = await readFile(path);
    for (const rangeSize of [2, 7, 100, 1000, 4096]) {
      for (const chunkSize of [3, 64, 1 << 20]) {
        const pieces: Buffer[] = [];
        for (let start = 0; start < whole.length; start += rangeSize) {
          const end = Math.min(whole.length, start + rangeSize);
          const piece = await rangeBytes(path, start, end, chunkSize);
          // Exactly the whole records the range owns (none when no record starts in it).
          expect(piece.toString('latin1'), `range [${start}, ${end}) read in ${chunkSize}-byte chunks`).toBe(ownedRecords(whole, start, end).toString('latin1'));
          pieces.push(piece);
        }
        expect(Buffer.concat(pieces).toString('latin1')).toBe(whole.toString('latin1'));
      }
    }
  });

  it('counts the line breaks before an offset', async () => {
    const dir = await tempDir();
    const path = join(dir, 'lines.txt');
    await writeFile(path, 'a\nbb\n\nccc\n');
    expect(await Promise.all([0, 1, 2, 5, 6, 10].map((o) => countNewlinesBefore(path, o)))).toEqual([0, 0, 1, 2, 3, 4]);
  });

  it('splits large CSV files into ranges, keeps gzip and multiLine files whole, groups small files', async () => {
    const dir = await tempDir();
    const big = join(dir, 'big.csv');
    await writeFile(big, ordersCsv(1000));
    const small = [join(dir, 's1.csv'), join(dir, 's2.csv'), join(dir, 's3.csv')];
    for (const s of small) await writeFile(s, ordersCsv(10));
    const files = [big, ...small].map((path) => ({ path, values: [] }));
    const splits = await planSplits(files, { format: 'csv', formatOptions: {}, splitSize: 8192 });
    const ranges = splits.filter((s) => s.parts[0].kind === 'byteRange');
    expect(ranges.length).toBeGreaterThan(3);
    expect(ranges.map((s) => s.parts[0].start)).toEqual([...ranges.map((s) => s.parts[0].start)].sort((a, b) => a! - b!));
    // The three small files share one split, after the ranges.
    expect(splits.at(-1)!.parts.map((p) => p.file)).toEqual(small);
    const multiLine = await planSplits(files, { format: 'csv', formatOptions: { multiLine: true }, splitSize: 8192 });
    expect(multiLine.map((s) => s.parts.map((p) => p.kind))).toEqual([['file'], ['file', 'file', 'file']]);
  });
});

describe('parallel CSV equals single-threaded CSV', () => {
  it('same rows in the same order, with quotes, CRLF and multibyte text across split boundaries', async () => {
    const dir = await tempDir();
    for (const crlf of [false, true]) {
      const path = join(dir, `orders-${crlf}.csv`);
      await writeFile(path, ordersCsv(3000, { crlf }));
      const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
      const { inline, parallel } = await bothWays(frame);
      expect(inline.rows).toHaveLength(3000);
      expect(parallel.rows).toEqual(inline.rows);
      expect(parallel.schema.toString()).toBe(inline.schema.toString());
      expect(parallel.errors).toEqual([]);
    }
  });

  it('really runs on worker threads, the driver taking splits too (and inline on the main thread)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(3000));
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA })
      .map(fn('tagThread'), { schema: { ...ORDERS_SCHEMA, thread: 'int32' } })
      .selectFields(['thread']);
    const threadsOf = async (options: object) => new Set((await frame.collect(options)).table.getChild('thread')!.toArray() as Int32Array);
    expect([...(await threadsOf({ parallel: false }))]).toEqual([0]);
    // Two threads: the driver (0) and one worker share the splits.
    const both = await threadsOf(PARALLEL);
    expect(both.has(0)).toBe(true);
    expect(both.size).toBe(2);
    // Without the driver: workers only.
    const workers = await threadsOf({ ...PARALLEL, driverSplits: false });
    expect(workers.has(0)).toBe(false);
    expect(workers.size).toBeGreaterThanOrEqual(1);
  });

  it('error records of ranges carry the file line numbers, as inline', async () => {
    const dir = await tempDir();
    const path = join(dir, 'bad.csv');
    const bad = [5, 777, 1500, 1501, 2999];
    await writeFile(path, ordersCsv(3000, { crlf: true, bad }));
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const { inline, parallel } = await bothWays(frame);
    // Data row i is on line i + 1 (the header is line 1).
    expect(inline.errors.map((e) => e.line)).toEqual(bad.map((i) => i + 1));
    expect(parallel.errors).toEqual(inline.errors);
    expect(parallel.errors[2].message).toMatch(new RegExp(`^${path.replaceAll('/', '\\/')}:1501: `));
    expect(parallel.rows).toEqual(inline.rows);
  });

  it('failFast names the right line from inside a range', async () => {
    const dir = await tempDir();
    const path = join(dir, 'bad.csv');
    await writeFile(path, ordersCsv(3000, { bad: [2500] }));
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA, mode: 'failFast' });
    await expect(frame.collect({ parallel: false })).rejects.toThrow(`${path}:2501: `);
    await expect(frame.collect(PARALLEL)).rejects.toThrow(new RegExp(`split \\d+ \\(${path.replaceAll('/', '\\/')} bytes \\d+–\\d+\\) failed: .*${path.replaceAll('/', '\\/')}:2501: `));
  });
});
