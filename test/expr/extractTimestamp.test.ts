import { describe, expect, it } from 'vitest';
import { TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, TimestampSecond, makeData } from 'apache-arrow';
import type { DataType } from 'apache-arrow';
import { batchOf, run } from './helpers.js';

let seed = 3;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

/** Random epoch milliseconds from year ~1600 to ~2400, with whole-day and whole-year edges. */
function randomMillis(n: number): number[] {
  const day = 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const t = Math.floor((random() - 0.465) * 2 * 1.3e13);
    if (i % 5 === 0) return Math.floor(t / day) * day; // midnight
    if (i % 5 === 1) return Math.floor(t / day) * day - 1; // a millisecond before
    return t;
  });
}

describe('year/month/day/hour of 64-bit timestamps', () => {
  const units: [DataType, number][] = [
    [new TimestampSecond('UTC'), 1 / 1000],
    [new TimestampMillisecond('UTC'), 1],
    [new TimestampMicrosecond('UTC'), 1000],
    [new TimestampNanosecond('UTC'), 1_000_000],
  ];
  it('agree with JavaScript Date for every unit, with nulls and a slice', () => {
    for (const [type, perMilli] of units) {
      const millis = randomMillis(2000).map((t) => (perMilli < 1 ? Math.floor(t / 1000) * 1000 : t));
      // Nanoseconds past 2^53 lose exactness in float64: keep their range within it.
      const usable = perMilli === 1_000_000 ? millis.map((t) => t % 9e12) : millis;
      const raw = BigInt64Array.from(usable, (t) => BigInt(t) * BigInt(perMilli >= 1 ? perMilli : 1) / BigInt(perMilli >= 1 ? 1 : 1000));
      const valid = new Uint8Array(256);
      usable.forEach((_, i) => i % 7 !== 3 && (valid[i >> 3] |= 1 << (i & 7)));
      const nulls = usable.filter((_, i) => i % 7 === 3).length;
      const data = makeData({ type, length: usable.length, nullCount: nulls, nullBitmap: valid, data: raw } as never);
      for (const [from, to] of [[0, usable.length], [13, 1500]]) {
        const batch = batchOf({ t: data.slice(from, to - from) });
        const dates = usable.slice(from, to).map((t, k) => ((from + k) % 7 === 3 ? null : new Date(t)));
        const label = `${String(type)} rows ${from}..${to}`;
        expect(run('year(t)', batch), label).toEqual(dates.map((d) => d && d.getUTCFullYear()));
        expect(run('month(t)', batch), label).toEqual(dates.map((d) => d && d.getUTCMonth() + 1));
        expect(run('dayofmonth(t)', batch), label).toEqual(dates.map((d) => d && d.getUTCDate()));
        expect(run('hour(t)', batch), label).toEqual(dates.map((d) => d && d.getUTCHours()));
      }
    }
  });
});
