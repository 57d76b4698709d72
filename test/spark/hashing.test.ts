import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';

const one = () => DataFrame.fromRows([{ id: 1 }], { id: 'int32' });

describe("Spark's hash and xxhash64", () => {
  it("give Spark's documented values (SQL reference: hash('Spark', array(123), 2), xxhash64 of the same)", async () => {
    const rows = await one().selectExpr("hash('Spark', array(123), 2) AS h", "xxhash64('Spark', array(123), 2) AS x").toRows();
    expect(rows).toEqual([{ h: -1321691492, x: 5602566077635097486n }]);
  });

  it('skip NULLs, chain the seed over the arguments, and hash column values as their literals do', async () => {
    const df = DataFrame.fromRows(
      [{ s: 'Spark', n: 123, k: 2 }, { s: null, n: null, k: null }, { s: 'Spark', n: null, k: 2 }],
      { s: 'string', n: 'int32', k: 'int32' },
    );
    const rows = await df.selectExpr('hash(s, array(n), k) AS h', 'xxhash64(s, array(n), k) AS x', 'hash(s) AS hs', 'hash(NULL) AS hn').toRows();
    expect(rows[0]).toMatchObject({ h: -1321691492, x: 5602566077635097486n });
    // All NULL: the seed, 42, comes back (array(NULL) holds one NULL element, skipped).
    expect(rows[1]).toMatchObject({ h: 42, x: 42, hs: 42, hn: 42 });
    expect(rows[2].hs).toBe(rows[0].hs);
    expect(rows[2].h).not.toBe(rows[0].h);
  });
});
