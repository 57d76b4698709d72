import { Float64, Int16, Int32, Int8, TimestampMicrosecond, Uint16, Uint8, makeData } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { takeData } from '../../src/columns/take.js';

let seed = 11;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);

/** The bytes of rows `indices` of a fixed-width column, read straight from its value buffer. */
function expectedBytes(data: Data, indices: Int32Array): number[] {
  const values = data.values as ArrayBufferView & { BYTES_PER_ELEMENT: number };
  const width = values.BYTES_PER_ELEMENT * data.stride;
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return Array.from(indices).flatMap((row) => Array.from(bytes.subarray(row * width, (row + 1) * width)));
}

const bytesOf = (data: Data) => {
  const values = data.values as ArrayBufferView;
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
};

function fixedColumn(type: DataType, values: ArrayBufferView, length: number): Data {
  return makeData({ type, length, nullCount: 0, data: values } as never) as Data;
}

describe('take of fixed-width columns', () => {
  it('copies every value bit for bit: int32, int16, uint16, int8, uint8, float64 NaN payloads, timestamps, slices', () => {
    const n = 1000;
    const floats = Float64Array.from({ length: n }, () => random() * 1e6 - 5e5);
    const words = new Uint32Array(floats.buffer);
    words[2 * 7 + 1] = 0x7ff00000; // a signalling NaN with a payload
    words[2 * 7] = 0xdeadbeef;
    words[2 * 9 + 1] = 0xfff80000 | 0x1234; // a quiet NaN with a payload
    const columns = [
      fixedColumn(new Int32(), Int32Array.from({ length: n }, () => (random() * 2 ** 32) | 0), n),
      fixedColumn(new Int16(), Int16Array.from({ length: n }, () => (random() * 2 ** 16) | 0), n),
      fixedColumn(new Uint16(), Uint16Array.from({ length: n }, () => (random() * 2 ** 16) | 0), n),
      fixedColumn(new Int8(), Int8Array.from({ length: n }, () => (random() * 2 ** 8) | 0), n),
      fixedColumn(new Uint8(), Uint8Array.from({ length: n }, () => (random() * 2 ** 8) | 0), n),
      fixedColumn(new Float64(), floats, n),
      fixedColumn(new TimestampMicrosecond('UTC'), BigInt64Array.from({ length: n }, () => BigInt(Math.floor((random() - 0.5) * 2 ** 53))), n),
    ];
    const indices = Int32Array.from({ length: 3000 }, (_, k) => (k < 20 ? [7, 9][k % 2] : Math.floor(random() * (n - 10))));
    for (const data of columns) {
      const taken = takeData(data, indices);
      expect(taken.length).toBe(indices.length);
      expect(bytesOf(taken), String(data.type)).toEqual(expectedBytes(data, indices));
      // A slice's value buffer starts at its offset: row i of the slice is row 10 + i of the column.
      const slice = data.slice(10, n - 10);
      expect(bytesOf(takeData(slice, indices)), `${String(data.type)} slice`).toEqual(expectedBytes(data, indices.map((i) => i + 10)));
    }
  });
});
