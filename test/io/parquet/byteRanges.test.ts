import { describe, expect, it } from 'vitest';
import { readCoalesced } from '../../../src/io/formats/parquet/decode/byteRanges.js';
import { random } from '../helpers.js';

describe('readCoalesced', () => {
  it('returns each range\'s own bytes, merging ranges at most `gap` apart into one read', async () => {
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) & 0xff);
    for (let seed = 1; seed <= 40; seed++) {
      const r = random(seed);
      const spans: number[] = [];
      for (let at = r.int(0, 50); at < 9_000 && spans.length < 40; ) {
        const end = at + r.int(1, 300);
        spans.push(at, end);
        at = end + r.int(0, 400);
      }
      const gap = r.pick([0, 100, 1_000_000]);
      const reads: [number, number][] = [];
      const parts = await readCoalesced(async (start, end) => {
        reads.push([start, end]);
        return data.slice(start, end);
      }, spans, gap);
      expect(parts.map((p) => Array.from(p))).toEqual(spans.filter((_, k) => k % 2 === 0).map((start, k) => Array.from(data.subarray(start, spans[2 * k + 1]))));
      // Reads are disjoint, more than `gap` apart, and as few as that allows.
      const expectedReads = 1 + spans.filter((start, k) => k % 2 === 0 && k > 0 && start - spans[k - 1] > gap).length;
      expect(reads.length, `seed ${seed}`).toBe(expectedReads);
    }
  });
});
