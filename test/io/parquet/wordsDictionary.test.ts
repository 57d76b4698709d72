import { join } from 'node:path';
import { Field, Float64, Int32, Int64, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DICTIONARY_LIMIT, WordsDictionary } from '../../../src/io/formats/parquet/encode/dictionaryEncoder.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { random, streamOf } from '../helpers.js';

/**
 * The Parquet encoder's dictionary of fixed-width values (WordsDictionary: one loop per width)
 * against a Map over the same words, page by page: the same entries in first-seen order, the same
 * indices, and the same page where it gives up (past DICTIONARY_LIMIT bytes; at value 4,096 when
 * every value so far was distinct; at value 32,768 when over 90% were).
 */

class ReferenceDictionary {
  readonly keys: string[] = [];
  private readonly index = new Map<string, number>();
  private seen = 0;
  constructor(private readonly width: number) {}

  add(words: Int32Array, count: number): Int32Array | null {
    const indices = new Int32Array(count);
    const added: string[] = [];
    const maxEntries = DICTIONARY_LIMIT / (4 * this.width);
    const undo = () => {
      for (const key of added) this.index.delete(key);
      this.keys.length -= added.length;
      return null;
    };
    for (let i = 0; i < count; i++) {
      const key = this.width === 1 ? String(words[i]) : `${words[2 * i]},${words[2 * i + 1]}`;
      let at = this.index.get(key);
      if (at === undefined) {
        if (this.keys.length >= maxEntries) return undo();
        at = this.keys.length;
        this.index.set(key, at);
        this.keys.push(key);
        added.push(key);
      }
      indices[i] = at;
      const n = this.seen + i + 1;
      if (n === 4096 && this.keys.length === 4096) return undo();
      if (n === 32_769 && this.keys.length > 32_768 * 0.9) return undo();
    }
    this.seen += count;
    return indices;
  }
}

const keysOf = (words: Int32Array, width: number): string[] =>
  Array.from({ length: words.length / width }, (_, d) => (width === 1 ? String(words[d]) : `${words[2 * d]},${words[2 * d + 1]}`));

describe('WordsDictionary', () => {
  // Values of one column: few, some, many and all distinct, a column whose first 4,096 values are
  // distinct and then repeat, one that passes DICTIONARY_LIMIT, and doubles with -0, NaN and ±Infinity.
  const columns: { name: string; width: 1 | 2; n: number; givesUp: boolean; value: (i: number, r: ReturnType<typeof random>) => number }[] = [
    { name: 'twelve values', width: 1, n: 40_000, givesUp: false, value: (_, r) => r.int(0, 11) },
    { name: '3,000 values', width: 2, n: 60_000, givesUp: false, value: (_, r) => r.int(-1500, 1500) },
    { name: '20,000 values', width: 1, n: 80_000, givesUp: false, value: (_, r) => r.int(0, 19_999) * 7919 },
    { name: '200,000 values', width: 1, n: 50_000, givesUp: true, value: (_, r) => r.int(0, 199_999) },
    { name: 'unique', width: 2, n: 20_000, givesUp: true, value: (i) => i * 1_000_003 },
    { name: 'distinct, then repeating', width: 1, n: 20_000, givesUp: true, value: (i) => i % 5000 },
    { name: 'past the limit', width: 2, n: 300_000, givesUp: true, value: (i) => i >> 1 },
    { name: 'doubles', width: 2, n: 30_000, givesUp: false, value: (_, r) => r.pick([0, -0, NaN, Infinity, -Infinity, 1.5, r.int(0, 999) / 100]) },
  ];

  it.each(columns)('adds pages of $name as a Map over the same words does', ({ width, n, value, name, givesUp }) => {
    const r = random(name.length);
    const words = new Int32Array(n * width);
    if (name === 'doubles') new Float64Array(words.buffer).set(Array.from({ length: n }, (_, i) => value(i, r)));
    else if (width === 2) new BigInt64Array(words.buffer).set(Array.from({ length: n }, (_, i) => BigInt(value(i, r))));
    else words.set(Array.from({ length: n }, (_, i) => value(i, r)));
    const ours = new WordsDictionary(width);
    const reference = new ReferenceDictionary(width);
    let pages = 0;
    let gaveUp = false;
    for (let at = 0; at < n; ) {
      const count = Math.min(n - at, r.pick([1, 7, 1000, 4095, 8192, 40_000]));
      const page = words.subarray(at * width, (at + count) * width);
      const expected = reference.add(page, count);
      const got = ours.add(page, count);
      expect(got === null, `${name}: page ${pages} gives up`).toBe(expected === null);
      expect(keysOf(ours.values().words, width), `${name}: entries after page ${pages}`).toEqual(reference.keys);
      if (expected === null) {
        gaveUp = true;
        break;
      }
      expect(got, `${name}: indices of page ${pages}`).toEqual(expected);
      at += count;
      pages++;
    }
    // Each column shows its case: kept to the end, or given up where the rules say.
    expect(gaveUp, name).toBe(givesUp);
  });

  it('writes a unique column PLAIN and a repeating one as a dictionary; DuckDB reads every value back', async () => {
    const n = 50_000;
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const ts = BigInt64Array.from({ length: n }, (_, i) => 1_704_067_200_000_000n + BigInt(i) * 1_000_003n);
    const cycling = Int32Array.from({ length: n }, (_, i) => i % 5000);
    const amounts = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 3001) / 100);
    const fields = [new Field('row', new Int32(), false), new Field('ts', new Int64(), false), new Field('cycling', new Int32(), false), new Field('amount', new Float64(), false)];
    const children = [ids, ts, cycling, amounts].map((values, k) => makeData({ type: fields[k].type, length: n, nullCount: 0, data: values } as never));
    const batch = new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
    const path = join(await tempDir(), 'dictionaries.parquet');
    await parquetWriter.write(streamOf(batch), path, { compression: 'snappy' });
    expect(await duck(`select path_in_schema as c, encodings as e from parquet_metadata('${path}') order by column_id`)).toEqual([
      { c: 'row', e: 'PLAIN, RLE' },
      { c: 'ts', e: 'PLAIN, RLE' },
      // Its first 4,096 values are all distinct, which once made it PLAIN; a tenth are distinct over
      // the chunk, which the dictionary trial counts before the dictionary's own give-ups could look.
      { c: 'cycling', e: 'PLAIN, RLE, RLE_DICTIONARY' },
      { c: 'amount', e: 'PLAIN, RLE, RLE_DICTIONARY' },
    ]);
    const [check] = await duck(
      `select count(*)::int as n,
              count(*) filter (where ts <> 1704067200000000 + "row"::bigint * 1000003 or cycling <> "row" % 5000
                                  or amount <> (("row"::bigint * 7919) % 3001)::double / 100)::int as wrong
       from read_parquet('${path}')`,
    );
    expect(check).toEqual({ n, wrong: 0 });
  });
});
