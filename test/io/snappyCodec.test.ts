import snappy from 'snappy';
import * as snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { SnappyCompressor, maxCompressedLength } from '../../src/io/compress/snappyCompressor.js';
import { snappyLength, uncompressSnappy } from '../../src/io/compress/snappyUncompress.js';
import type { ReusedBuffer } from '../../src/io/compress/snappyUncompress.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { random } from './helpers.js';

/**
 * Sluice's raw snappy codec against two independent ones: the native addon (Rust `snap`) and
 * snappyjs. What ours compresses they uncompress exactly, what they compress ours uncompresses
 * exactly, and damaged streams are SluiceErrors (or, where the damage still forms a valid stream,
 * the same bytes the native decoder makes of it), never another error, a hang or a wrong length.
 */

const r = random(12);
const bytes = (n: number, byte: (k: number) => number) => Uint8Array.from({ length: n }, (_, k) => byte(k));
const randomBytes = (n: number) => bytes(n, () => r.int(0, 255));
const text = (n: number) => {
  const words = ['the', 'order', 'shipped', 'paid', 'Lyon', 'ünïcode', '日本語', 'customer', 'amount', '🚀'];
  const out: string[] = [];
  let length = 0;
  while (length < n) {
    const word = r.pick(words);
    out.push(word);
    length += word.length + 1;
  }
  return new TextEncoder().encode(out.join(' ')).subarray(0, n);
};
/** Int64 little-endian values from `value(k)`: ids, timestamps (high bytes alike), as Parquet PLAIN pages hold them. */
const int64s = (n: number, value: (k: number) => bigint) => {
  const out = new BigInt64Array(n);
  for (let k = 0; k < n; k++) out[k] = value(k);
  return new Uint8Array(out.buffer);
};
const float64s = (n: number, value: (k: number) => number) => new Uint8Array(Float64Array.from({ length: n }, (_, k) => value(k)).buffer);

const INPUTS: [string, Uint8Array][] = [
  ['empty', new Uint8Array(0)],
  ['1 byte', Uint8Array.of(7)],
  ['15 bytes', text(15)],
  ['16 bytes', text(16)],
  ['65535 text', text(65535)],
  ['65536 text', text(65536)],
  ['65537 text', text(65537)],
  ['65535 random', randomBytes(65535)],
  ['65536 random', randomBytes(65536)],
  ['65537 random', randomBytes(65537)],
  ['1 MiB zeros', new Uint8Array(1 << 20)],
  ['long runs', bytes(300_000, (k) => Math.floor(k / 1000) % 3)],
  ['300 KB random', randomBytes(300_000)],
  ['300 KB text', text(300_000)],
  ['ids (int64 page)', int64s(100_000, (k) => BigInt(k + 1))],
  ['timestamps (int64 page)', int64s(100_000, (k) => 1_700_000_000_000n + BigInt(k * 1000 + r.int(0, 999)))],
  ['random doubles', float64s(100_000, () => r.next() * 1000)],
  ['few doubles', float64s(100_000, () => r.int(0, 50) / 4)],
  ['period 3 (1-byte offsets)', bytes(10_000, (k) => k % 3)],
  ['period 3000 (2-byte offsets)', (() => { const unit = randomBytes(3000); return bytes(60_000, (k) => unit[k % 3000]); })()],
  ['random, then its copy', (() => { const a = randomBytes(40_000); const out = new Uint8Array(80_000); out.set(a); out.set(a, 40_000); return out; })()],
];

/** How many literals and copies of each offset width a stream holds (checks the tests reach every kind). */
function elementKinds(stream: Uint8Array): number[] {
  const kinds = [0, 0, 0, 0];
  let ip = snappyLength(stream).at;
  while (ip < stream.length) {
    const tag = stream[ip++];
    kinds[tag & 3]++;
    if ((tag & 3) === 0) {
      let length = (tag >>> 2) + 1;
      if (length > 60) {
        const extra = length - 60;
        length = 1;
        for (let k = 0; k < extra; k++) length += stream[ip + k] * 2 ** (8 * k);
        ip += extra;
      }
      ip += length;
    } else {
      ip += [0, 1, 2, 4][tag & 3];
    }
  }
  return kinds;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

describe('snappy codec', () => {
  it.each(INPUTS)('%s: ours → native and snappyjs, theirs → ours, exactly', (_, input) => {
    for (const compressor of [new SnappyCompressor({ giveUpAbove: 1 }), new SnappyCompressor(), new SnappyCompressor({ giveUpAbove: 0 })]) {
      const ours = compressor.compress(input);
      expect(ours.length).toBeLessThanOrEqual(maxCompressedLength(input.length));
      expect(same(snappy.uncompressSync(Buffer.from(ours), { asBuffer: true }) as Buffer, input)).toBe(true);
      expect(same(snappyjs.uncompress(ours), input)).toBe(true);
      expect(same(uncompressSnappy(ours, input.length), input)).toBe(true);
    }
    for (const theirs of [snappy.compressSync(Buffer.from(input)), snappyjs.compress(input)]) {
      expect(same(uncompressSnappy(theirs), input)).toBe(true);
      expect(same(uncompressSnappy(theirs, input.length, { bytes: new Uint8Array(0) }), input)).toBe(true);
    }
  });

  it('compresses as snappy does: within 1% of the native size where data repeats, and literal where it does not', () => {
    const compressor = new SnappyCompressor({ giveUpAbove: 1 });
    for (const [label, input] of INPUTS.filter(([, input]) => input.length > 1000)) {
      const native = snappy.compressSync(Buffer.from(input)).length;
      expect(compressor.compress(input).length, label).toBeLessThanOrEqual(Math.ceil(native * 1.01) + 8);
    }
    // Every element kind the compressor writes appears: literals, 1-byte and 2-byte offsets.
    const kinds = INPUTS.map(([, input]) => elementKinds(compressor.compress(input))).reduce((a, b) => a.map((n, k) => n + b[k]));
    expect(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0).toBe(true);
  });

  it('gives up on a page whose sample does not shrink: one literal, 10 bytes over the input at most', () => {
    const input = randomBytes(1 << 20);
    const given = new SnappyCompressor().compress(input);
    expect(elementKinds(given)).toEqual([1, 0, 0, 0]);
    expect(given.length).toBeLessThanOrEqual(input.length + 10);
    // A page that compresses is compressed whole.
    const zeros = new SnappyCompressor().compress(new Uint8Array(1 << 20));
    expect(zeros.length).toBeLessThan(60_000);
  });

  it('reuses its buffers: results stay right call after call, views until the next call', () => {
    const compressor = new SnappyCompressor();
    const into: ReusedBuffer = { bytes: new Uint8Array(0) };
    for (const [, input] of [...INPUTS, ...INPUTS.slice().reverse()]) {
      const view = compressor.compressView(input);
      const back = uncompressSnappy(view, input.length, into);
      expect(same(back, input)).toBe(true);
      if (input.length > 0) expect(back.buffer).toBe(into.bytes.buffer);
    }
  });

  it('uncompresses copies with 4-byte offsets, overlapping copies and long literal lengths', () => {
    // A stream by hand: a literal of 70,000 bytes (a 3-byte length), a copy 70,000 back (4-byte offset),
    // a copy 1 back of 64 bytes (a run), a copy 5 back of 9 bytes (1-byte offset, overlapping).
    const literal = randomBytes(70_000);
    const expected = new Uint8Array(70_000 + 64 + 64 + 9);
    expected.set(literal);
    expected.set(literal.subarray(0, 64), 70_000);
    for (let k = 0; k < 64; k++) expected[70_064 + k] = expected[70_063];
    for (let k = 0; k < 9; k++) expected[70_128 + k] = expected[70_123 + k];
    const n = expected.length;
    const parts = [
      Uint8Array.of((n & 0x7f) | 0x80, ((n >> 7) & 0x7f) | 0x80, n >> 14),
      Uint8Array.of(62 << 2, (69_999 & 0xff), (69_999 >> 8) & 0xff, 69_999 >> 16),
      literal,
      Uint8Array.of(3 | (63 << 2), 70_000 & 0xff, (70_000 >> 8) & 0xff, 70_000 >> 16, 0),
      Uint8Array.of(2 | (63 << 2), 1, 0),
      Uint8Array.of(1 | (5 << 2), 5),
    ];
    const stream = Buffer.concat(parts);
    expect(same(snappy.uncompressSync(stream, { asBuffer: true }) as Buffer, expected)).toBe(true);
    expect(same(snappyjs.uncompress(stream), expected)).toBe(true);
    expect(same(uncompressSnappy(stream, n), expected)).toBe(true);
  });

  it('fuzz: truncated and bit-flipped streams are SluiceErrors or what the native decoder makes of them, never a wrong length', () => {
    const fuzz = random(99);
    const sources = INPUTS.filter(([, input]) => input.length > 0).map(([, input]) => input.subarray(0, 5000));
    let rejected = 0;
    let accepted = 0;
    for (let run = 0; run < 3000; run++) {
      const source = sources[run % sources.length];
      const stream = new SnappyCompressor({ giveUpAbove: 1 }).compress(source);
      const damaged = run % 3 === 0 ? stream.subarray(0, fuzz.int(0, stream.length - 1)) : stream.slice();
      if (run % 3 !== 0) for (let flips = fuzz.int(1, 3); flips > 0; flips--) damaged[fuzz.int(0, damaged.length - 1)] ^= 1 << fuzz.int(0, 7);
      let native: Buffer | undefined;
      try {
        native = snappy.uncompressSync(Buffer.from(damaged), { asBuffer: true }) as Buffer;
      } catch {
        native = undefined;
      }
      for (const expected of [undefined, source.length]) {
        let ours: Uint8Array | undefined;
        try {
          ours = uncompressSnappy(damaged, expected, { bytes: new Uint8Array(16) });
        } catch (error) {
          expect(error).toBeInstanceOf(SluiceError);
          expect((error as Error).message).toMatch(/^snappy: /);
          rejected++;
          continue;
        }
        accepted++;
        expect(native, `run ${run}`).toBeDefined();
        expect(same(ours, native!), `run ${run}`).toBe(true);
        if (expected !== undefined) expect(ours.length).toBe(expected);
      }
    }
    expect(rejected).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(10);
  });

  it('refuses lengths the stream cannot hold before allocating them', () => {
    expect(() => uncompressSnappy(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0))).toThrow(/cannot hold the 4294967295 bytes/);
    expect(() => uncompressSnappy(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x01))).toThrow(/not a varint of at most 32 bits/);
    expect(() => uncompressSnappy(Uint8Array.of(3, 8, 1, 2, 3), 4)).toThrow(/holds 3 bytes, 4 were expected/);
    expect(() => uncompressSnappy(Uint8Array.of(3, 1 | (0 << 2), 1))).toThrow(/reaches 1 bytes back/);
  });
});
