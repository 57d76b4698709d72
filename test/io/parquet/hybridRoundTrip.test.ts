import { describe, expect, it } from 'vitest';
import { decodeHybrid } from '../../../src/io/formats/parquet/decode/hybrid.js';
import { ByteSink } from '../../../src/io/formats/parquet/encode/byteSink.js';
import { encodeHybrid } from '../../../src/io/formats/parquet/encode/rle.js';
import { random } from '../helpers.js';

/**
 * The encoder's RLE / bit-packed hybrid (dictionary indices) read back by the decoder's, for every
 * bit width the encoder writes (1..24; 8 and 16 have loops of their own), random values with runs
 * of equal ones, lengths that end mid-group, and packing from an offset into the values.
 */
describe('RLE / bit-packed hybrid', () => {
  it('round-trips random indices of every bit width', () => {
    const r = random(12);
    for (let bitWidth = 1; bitWidth <= 24; bitWidth++) {
      for (const n of [1, 7, 8, 9, 100, 1003, 20_000]) {
        const values = new Int32Array(n + 5);
        for (let i = 0; i < values.length; ) {
          const v = r.int(0, 2 ** bitWidth - 1);
          const run = r.next() < 0.2 ? r.int(2, 40) : 1;
          for (let k = 0; k < run && i < values.length; k++) values[i++] = v;
        }
        const sink = new ByteSink(16);
        encodeHybrid(sink, values, 5, n + 5, bitWidth);
        const back = new Int32Array(n);
        decodeHybrid(sink.view(), 0, sink.length, bitWidth, back, 0, n);
        expect(Array.from(back), `width ${bitWidth}, ${n} values`).toEqual(Array.from(values.subarray(5)));
      }
    }
  });
});
