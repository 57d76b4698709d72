import { describe, expect, it } from 'vitest';
import { decodeByteStreamSplit, scatterByteStreamSplit } from '../../../src/io/formats/parquet/decode/byteStreamSplit.js';
import { CorruptChunk } from '../../../src/io/formats/parquet/decode/corrupt.js';
import { decodeDeltaBinaryPacked } from '../../../src/io/formats/parquet/decode/deltaBinaryPacked.js';
import { decodeDeltaByteArray } from '../../../src/io/formats/parquet/decode/deltaByteArray.js';
import { decodeDeltaLengthByteArray } from '../../../src/io/formats/parquet/decode/deltaLengthByteArray.js';
import { lz4RawDecompress } from '../../../src/io/formats/parquet/decode/lz4Block.js';
import { lz4HadoopDecompress } from '../../../src/io/formats/parquet/decode/lz4Hadoop.js';
import { random, type Random } from '../helpers.js';

/**
 * The decoders of DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
 * BYTE_STREAM_SPLIT and LZ4 on their own: against a reference DELTA_BINARY_PACKED encoder
 * written here with BigInt (every bit width to 64, block layouts writers use, a last miniblock
 * with or without its padding), and on random and mutated input, where each either decodes or
 * throws CorruptChunk (never another error, never a hang).
 */

const uvarint = (out: number[], value: bigint) => {
  let v = value;
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
};
const zigzag = (out: number[], value: bigint, bits: number) => uvarint(out, BigInt.asUintN(bits + 1, (value << 1n) ^ (value < 0n ? -1n : 0n)));

interface Layout {
  blockSize: number;
  miniblocks: number;
  /** Leave out the last miniblock's padding (the spec pads it; readers should cope). */
  unpadded?: boolean;
  /** INT32 deltas taken without wrapping, up to 33 bits wide (as arrow-rs writes them). */
  wideInt32?: boolean;
}

/** A DELTA_BINARY_PACKED stream of `values` (as a writer of INT32 or INT64 would write it). */
function encodeDeltaBinaryPacked(values: bigint[], bits: 32 | 64, layout: Layout): Uint8Array {
  const { blockSize, miniblocks } = layout;
  const perMiniblock = blockSize / miniblocks;
  const out: number[] = [];
  uvarint(out, BigInt(blockSize));
  uvarint(out, BigInt(miniblocks));
  uvarint(out, BigInt(values.length));
  zigzag(out, values[0] ?? 0n, bits);
  const deltaBits = bits === 32 && layout.wideInt32 ? 64 : bits;
  const deltas = values.slice(1).map((v, i) => BigInt.asIntN(deltaBits, v - values[i]));
  for (let b = 0; b < deltas.length; b += blockSize) {
    const block = deltas.slice(b, b + blockSize);
    const min = block.reduce((m, d) => (d < m ? d : m), block[0]);
    zigzag(out, min, 64);
    const widths: number[] = [];
    const bodies: number[][] = [];
    for (let m = 0; m < miniblocks; m++) {
      const part = block.slice(m * perMiniblock, (m + 1) * perMiniblock).map((d) => d - min);
      if (part.length === 0) {
        widths.push(0xff & (m * 37)); // unused miniblocks: any width, no body
        continue;
      }
      const width = part.reduce((w, d) => Math.max(w, d.toString(2).length), 0) * (part.some((d) => d > 0n) ? 1 : 0);
      widths.push(width);
      const last = b + blockSize >= deltas.length && (m + 1) * perMiniblock >= block.length;
      const count = last && layout.unpadded ? part.length : perMiniblock;
      const body = new Array<number>(Math.ceil((count * width) / 8)).fill(0);
      for (let i = 0; i < part.length; i++) {
        for (let k = 0; k < width; k++) if ((part[i] >> BigInt(k)) & 1n) body[(i * width + k) >> 3] |= 1 << ((i * width + k) & 7);
      }
      bodies.push(body);
    }
    out.push(...widths);
    for (const body of bodies) out.push(...body);
  }
  return Uint8Array.from(out);
}

function int64s(r: Random, n: number): bigint[] {
  const kind = r.int(0, 4);
  let run = r.big(64);
  return Array.from({ length: n }, () => {
    if (kind === 0) return r.big(64);
    if (kind === 1) return r.pick([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n]);
    if (kind === 2) return (run = BigInt.asIntN(64, run + BigInt(r.int(-3, 1000))));
    if (kind === 3) return BigInt(r.int(-5, 5));
    return r.big(r.int(1, 63));
  });
}

/** Decodes, or returns the CorruptChunk it threw (any other error fails the test). */
function decodesOrCorrupt(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof CorruptChunk)) throw error;
    return error;
  }
}

const LAYOUTS: Layout[] = [
  { blockSize: 128, miniblocks: 4 }, // parquet-mr, arrow-rs
  { blockSize: 128, miniblocks: 4, unpadded: true },
  { blockSize: 256, miniblocks: 8 },
  { blockSize: 2048, miniblocks: 1 }, // DuckDB's
  { blockSize: 128, miniblocks: 1, wideInt32: true },
];

describe('DELTA_BINARY_PACKED, DELTA_*_BYTE_ARRAY, BYTE_STREAM_SPLIT, LZ4 decoders', () => {
  it('DELTA_BINARY_PACKED: INT32 and INT64 of every width as a BigInt reference encodes them', () => {
    for (let seed = 0; seed < 300; seed++) {
      const r = random(seed);
      const layout = LAYOUTS[seed % LAYOUTS.length];
      const n = r.pick([0, 1, 2, 33, 127, 128, 129, 1000, 3000]);
      const wide = int64s(r, n);
      const label = `seed ${seed}, ${n} values, ${JSON.stringify(layout)}`;
      const stream64 = encodeDeltaBinaryPacked(wide, 64, layout);
      const out64 = new BigInt64Array(n + 2);
      const end64 = decodeDeltaBinaryPacked(stream64, 0, stream64.length, n, 2, new Int32Array(out64.buffer), 1);
      expect(end64, label).toBe(stream64.length);
      expect([...out64.subarray(1, n + 1)], label).toEqual(wide);
      const narrow = wide.map((v) => BigInt.asIntN(32, v));
      const stream32 = encodeDeltaBinaryPacked(narrow, 32, layout);
      const out32 = new Int32Array(n);
      // A stream inside a page: bytes before and after it are not read.
      const page = new Uint8Array(stream32.length + 10).fill(0xa5);
      page.set(stream32, 3);
      expect(decodeDeltaBinaryPacked(page, 3, 3 + stream32.length, n, 1, out32, 0), label).toBe(3 + stream32.length);
      expect([...out32].map(BigInt), label).toEqual(narrow);
    }
  });

  it('DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY: lengths, shared prefixes, empty and multi-byte values', () => {
    const encoder = new TextEncoder();
    for (let seed = 0; seed < 100; seed++) {
      const r = random(seed);
      const words = Array.from({ length: r.pick([0, 1, 5, 300]) }, () => r.pick(['', 'a', 'ü', '日本語', 'https://example.com/' + 'x'.repeat(r.int(0, 300))]) + String(r.int(0, 50))).sort();
      const values = words.map((w) => encoder.encode(w));
      // Padded layouts only: the bytes after the lengths start after the last miniblock's padding.
      const lengths = encodeDeltaBinaryPacked(values.map((v) => BigInt(v.length)), 32, LAYOUTS[[0, 2, 3, 4][seed % 4]]);
      const joined = Uint8Array.from(values.flatMap((v) => [...v]));
      const dlba = Uint8Array.from([...lengths, ...joined]);
      const plain = decodeDeltaLengthByteArray(dlba, 0, dlba.length, values.length);
      expect(plain.total).toBe(joined.length);
      expect([...plain.lengths]).toEqual(values.map((v) => v.length));
      expect([...plain.bytes.subarray(plain.dataAt, plain.dataAt + plain.total)]).toEqual([...joined]);
      const prefixes = values.map((v, i) => {
        const before = values[i - 1] ?? new Uint8Array(0);
        let k = 0;
        while (k < v.length && k < before.length && v[k] === before[k]) k++;
        return k;
      });
      const suffixes = values.map((v, i) => v.subarray(prefixes[i]));
      const dba = Uint8Array.from([
        ...encodeDeltaBinaryPacked(prefixes.map(BigInt), 32, LAYOUTS[0]),
        ...encodeDeltaBinaryPacked(suffixes.map((s) => BigInt(s.length)), 32, LAYOUTS[0]),
        ...suffixes.flatMap((s) => [...s]),
      ]);
      const front = decodeDeltaByteArray(dba, 0, dba.length, values.length);
      expect([...front.lengths]).toEqual(values.map((v) => v.length));
      expect([...front.bytes]).toEqual([...joined]);
    }
  });

  it('BYTE_STREAM_SPLIT: widths 2, 4, 8, 12, 16 into aligned and unaligned targets', () => {
    const r = random(5);
    for (const width of [2, 4, 8, 12, 16]) {
      for (const count of [0, 1, 7, 1000]) {
        const values = Uint8Array.from({ length: width * count }, () => r.int(0, 255));
        const split = new Uint8Array(values.length);
        for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) split[b * count + i] = values[i * width + b];
        for (const outAt of [0, 8, 3]) {
          const out = new Uint8Array(outAt + values.length);
          decodeByteStreamSplit(Uint8Array.from([1, 2, ...split]), 2, 2 + split.length, count, width, out, outAt);
          expect([...out.subarray(outAt)], `width ${width}, ${count} values at ${outAt}`).toEqual([...values]);
        }
      }
    }
    expect(() => decodeByteStreamSplit(new Uint8Array(15), 0, 15, 2, 8, new Uint8Array(16), 0)).toThrow(CorruptChunk);
    // Straight to the valid rows of a page with nulls: the packed values in order, zeros at null rows.
    for (const width of [4, 8] as const) {
      const rows = 300;
      const row = 5;
      const n = 290;
      const validity = Uint8Array.from({ length: (rows + 7) >> 3 }, () => r.int(0, 255));
      const valid = Array.from({ length: n }, (_, i) => (validity[(row + i) >> 3] >> ((row + i) & 7)) & 1);
      const count = valid.filter(Boolean).length;
      const packed = Uint8Array.from({ length: count * width }, () => r.int(0, 255));
      const split = new Uint8Array(packed.length);
      for (let i = 0; i < count; i++) for (let b = 0; b < width; b++) split[b * count + i] = packed[i * width + b];
      const out = new Uint8Array(rows * width);
      scatterByteStreamSplit(split, 0, split.length, count, width, new Int32Array(out.buffer), validity, row, n);
      const expected = new Uint8Array(rows * width);
      let k = 0;
      for (let i = 0; i < n; i++) if (valid[i]) expected.set(packed.subarray(k * width, ++k * width), (row + i) * width);
      expect([...out], `scatter, width ${width}`).toEqual([...expected]);
      expect(() => scatterByteStreamSplit(split, 0, split.length, count + 1, width, new Int32Array(out.buffer), validity, row, n)).toThrow(CorruptChunk);
    }
  });

  it('LZ4: literals, overlapping and long matches, Hadoop framing, the LZ4 frame format, raw blocks', () => {
    // "abc" then a match 3 back of 4 + 15 + 1 = 20 bytes (overlapping), then literals "xyz".
    const block = Uint8Array.from([0x3f, 97, 98, 99, 3, 0, 1, 0x30, 120, 121, 122]);
    const text = 'abc' + 'abc'.repeat(7).slice(0, 20) + 'xyz';
    expect(new TextDecoder().decode(lz4RawDecompress(block))).toBe(text);
    expect(lz4RawDecompress(new Uint8Array(0)).length).toBe(0);
    const be = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    const hadoop = Uint8Array.from([...be(text.length), ...be(block.length), ...block, ...be(text.length), ...be(block.length), ...block]);
    expect(new TextDecoder().decode(lz4HadoopDecompress(hadoop))).toBe(text + text);
    expect(new TextDecoder().decode(lz4HadoopDecompress(block))).toBe(text);
    // An LZ4 frame: magic, flags (version 1, independent blocks), block descriptor, header checksum; a compressed and a stored block.
    const frame = Uint8Array.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, block.length, 0, 0, 0, ...block, 2, 0, 0, 0x80, 33, 33, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(lz4HadoopDecompress(frame))).toBe(text + '!!');
    // A match before the start of the output.
    expect(() => lz4RawDecompress(Uint8Array.from([0x10, 97, 2, 0]))).toThrow(CorruptChunk);
  });

  it('fuzz: random and mutated input either decodes or throws CorruptChunk', () => {
    let corrupt = 0;
    let total = 0;
    for (let seed = 0; seed < 3000; seed++) {
      const r = random(seed + 10_000);
      const values = int64s(r, r.pick([1, 5, 200]));
      let bytes = encodeDeltaBinaryPacked(values, 64, LAYOUTS[seed % LAYOUTS.length]);
      if (seed % 3 === 0) bytes = Uint8Array.from({ length: r.int(0, 200) }, () => r.int(0, 255));
      else if (seed % 3 === 1) bytes = bytes.subarray(0, r.int(0, bytes.length));
      else for (let f = 0; f <= r.int(0, 4); f++) bytes[r.int(0, bytes.length - 1)] ^= 1 << r.int(0, 7);
      const n = seed % 7 === 0 ? r.int(0, 300) : values.length;
      const runs = [
        () => decodeDeltaBinaryPacked(bytes, 0, bytes.length, n, 2, new Int32Array(2 * n), 0),
        () => decodeDeltaBinaryPacked(bytes, 0, bytes.length, n, 1, new Int32Array(n), 0),
        () => decodeDeltaLengthByteArray(bytes, 0, bytes.length, n),
        () => decodeDeltaByteArray(bytes, 0, bytes.length, n),
        () => decodeByteStreamSplit(bytes, 0, bytes.length, n, 8, new Uint8Array(8 * n), 0),
        () => lz4RawDecompress(bytes),
        () => lz4HadoopDecompress(bytes),
      ];
      for (const run of runs) {
        total++;
        if (decodesOrCorrupt(run) instanceof CorruptChunk) corrupt++;
      }
    }
    expect(corrupt).toBeGreaterThan(total / 4);
  });
});
