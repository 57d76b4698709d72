import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordAlignedRange, type ByteRange } from '../../src/io/formats/byteRange.js';
import { claimBeforeRead, openBoundary, takeUpperShare } from '../../src/io/formats/rangeBoundary.js';
import { planSplits, rangeBoundaries } from '../../src/exec/parallel/splits.js';
import { read } from '../../src/frame/read.js';
import { bothWays, ORDERS_SCHEMA, ordersCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

/** A range read step by step: `step()` reads one more chunk (false once the range has ended). */
function stepper(path: string, range: ByteRange, chunkSize: number) {
  const chunks = recordAlignedRange(path, range, chunkSize);
  const parts: Buffer[] = [];
  return {
    async step(): Promise<boolean> {
      const next = await chunks.next();
      if (next.done) return false;
      parts.push(Buffer.from(next.value));
      return true;
    },
    async rest(): Promise<Buffer> {
      while (await this.step());
      return Buffer.concat(parts);
    },
  };
}

describe('a movable boundary between two byte ranges', () => {
  it('fixes the cut at half of what is left when the upper range starts, at the planned end when the lower gets there first', () => {
    const cell = openBoundary(100);
    // The lower range claims [100, 150) and [150, 200) before reading them.
    expect(claimBeforeRead(cell, 100, 50, 1000)).toBeUndefined();
    expect(claimBeforeRead(cell, 150, 50, 1000)).toBeUndefined();
    // The upper range [1000, 2000) starts: half of [200, 2000) each.
    expect(takeUpperShare(cell, 2000)).toBe(1100);
    // From then on both see the same cut.
    expect(claimBeforeRead(cell, 200, 50, 1000)).toBe(1100);
    expect(takeUpperShare(cell, 2000)).toBe(1100);

    const first = openBoundary(0);
    expect(claimBeforeRead(first, 0, 600, 1000)).toBeUndefined();
    // The next read would pass the planned end: the cut is fixed there.
    expect(claimBeforeRead(first, 600, 600, 1000)).toBe(1000);
    expect(takeUpperShare(first, 2000)).toBe(1000);

    // An upper range that starts before the lower has read anything: equal ranges stay equal.
    expect(takeUpperShare(openBoundary(0), 2000)).toBe(1000);
  });

  it('every record is read exactly once, whenever the upper range starts', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(400, { crlf: true }));
    const whole = await readFile(path);
    const third = Math.floor(whole.length / 3);
    for (const chunkSize of [7, 64, 1000]) {
      // The lower range reads `lead` chunks before the upper range starts (past its planned end too).
      for (const lead of [0, 1, 5, 40, 200, 10_000]) {
        const cell = openBoundary(0);
        const lower = stepper(path, { start: 0, end: third, endBoundary: cell }, chunkSize);
        let read = 0;
        while (read < lead && (await lower.step())) read++;
        const cut = takeUpperShare(cell, whole.length);
        const upper = stepper(path, { start: cut, end: whole.length }, chunkSize);
        const pieces = [await lower.rest(), await upper.rest()];
        expect(Buffer.concat(pieces).toString('latin1'), `chunks of ${chunkSize}, lower ${lead} chunks ahead`).toBe(whole.toString('latin1'));
        // Each piece is whole records.
        for (const piece of pieces) if (piece.length > 0) expect(piece.at(-1)).toBe(0x0a);
      }
    }
  });

  it('chains: three ranges whose middle one moves both of its ends', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(300));
    const whole = await readFile(path);
    const [a, b] = [Math.floor(whole.length / 3), Math.floor((2 * whole.length) / 3)];
    const low = openBoundary(0);
    const high = openBoundary(a);
    const first = stepper(path, { start: 0, end: a, endBoundary: low }, 50);
    for (let i = 0; i < 30; i++) await first.step();
    const middleStart = takeUpperShare(low, b);
    const middle = stepper(path, { start: middleStart, end: b, endBoundary: high }, 50);
    await middle.step();
    const last = stepper(path, { start: takeUpperShare(high, whole.length), end: whole.length }, 50);
    const pieces = [await first.rest(), await middle.rest(), await last.rest()];
    expect(Buffer.concat(pieces).toString('latin1')).toBe(whole.toString('latin1'));
  });

  it('joins only neighbouring one-range splits of the same file', async () => {
    const dir = await tempDir();
    const big = join(dir, 'big.csv');
    const other = join(dir, 'other.csv');
    await writeFile(big, ordersCsv(1000));
    await writeFile(other, ordersCsv(1000));
    const small = join(dir, 'small.csv');
    await writeFile(small, ordersCsv(5));
    const files = [big, other, small].map((path) => ({ path, values: [] }));
    const splits = await planSplits(files, { format: 'csv', formatOptions: {}, splitSize: 10_000 });
    const boundaries = rangeBoundaries(splits);
    const fileOf = (i: number) => splits[i].parts[0].file;
    for (const split of splits) {
      const own = boundaries.get(split.index);
      const i = split.index;
      expect(Boolean(own?.start), `split ${i} start`).toBe(i > 0 && split.parts.length === 1 && fileOf(i - 1) === fileOf(i) && splits[i].parts[0].kind === 'byteRange');
      expect(Boolean(own?.end), `split ${i} end`).toBe(i + 1 < splits.length && splits[i + 1].parts.length === 1 && fileOf(i + 1) === fileOf(i) && splits[i].parts[0].kind === 'byteRange');
      if (own?.end) expect(boundaries.get(i + 1)!.start).toBe(own.end);
    }
    expect([...boundaries.values()].some((b) => b.start && b.end)).toBe(true);
  });

  it('split-parallel reads with movable boundaries give the inline rows, in order', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.csv');
    await writeFile(path, ordersCsv(20_000, { crlf: true }));
    const frame = read.csv(path, { withHeader: true, schema: ORDERS_SCHEMA });
    const { inline, parallel } = await bothWays(frame);
    expect(inline.rows).toHaveLength(20_000);
    expect(parallel.rows).toEqual(inline.rows);
    expect(parallel.errors).toEqual([]);
  });
});
