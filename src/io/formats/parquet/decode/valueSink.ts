import { PhysicalType } from '../parquetFooter.js';
import { corrupt } from './corrupt.js';
import { decodeByteStreamSplit, scatterByteStreamSplit } from './byteStreamSplit.js';
import { decodeDeltaBinaryPacked } from './deltaBinaryPacked.js';
import { decodeDeltaByteArray } from './deltaByteArray.js';
import { decodeDeltaLengthByteArray, type PackedByteArrays } from './deltaLengthByteArray.js';
import { decodeHybrid } from './hybrid.js';

const PLAIN = 0;
const PLAIN_DICTIONARY = 2;
const RLE = 3;
const DELTA_BINARY_PACKED = 5;
const DELTA_LENGTH_BYTE_ARRAY = 6;
const DELTA_BYTE_ARRAY = 7;
const RLE_DICTIONARY = 8;
const BYTE_STREAM_SPLIT = 9;

/** A chunk's dictionary page: fixed-width values (`size * width` bytes), or byte arrays as offsets and data. */
export interface DictionaryValues {
  size: number;
  fixed: Uint8Array;
  offsets: Int32Array;
  data: Uint8Array;
}

/** A column chunk's values at row positions (a null row holds zeros, or an empty byte array, or index 0). */
export type DecodedValues =
  | { kind: 'fixed'; bytes: Uint8Array; width: number }
  | { kind: 'bool'; bits: Uint8Array }
  | { kind: 'bytes'; offsets: Int32Array; data: Uint8Array }
  | { kind: 'dictionary'; indices: Int32Array; dictionary: DictionaryValues };

interface SinkSpec {
  physicalType: number;
  width: number;
  keepDictionary: boolean;
}

const isValid = (validity: Uint8Array | null, row: number) => validity === null || ((validity[row >> 3] >> (row & 7)) & 1) === 1;

/**
 * Collects a chunk's values page by page at their rows: fixed-width values as bytes (copied whole
 * when a page has no null, scattered to the valid rows otherwise), booleans as bits, byte arrays
 * as Arrow offsets and data, or, for a column read as an Arrow dictionary, as indices into the
 * chunk's dictionary page. A dictionary chunk that falls back to PLAIN pages (a writer's dictionary
 * outgrew its limit) is materialised from then on: one chunk, one kind.
 */
export class ValueSink {
  private readonly fixed: Uint8Array | undefined;
  private readonly bits: Uint8Array | undefined;
  private offsets: Int32Array | undefined;
  private data = new Uint8Array(0);
  private dataLength = 0;
  private indices: Int32Array | undefined;
  private readonly width: number;
  /** Reused across pages: a page's dictionary indices before they go to their rows. */
  private scratch = new Int32Array(0);

  constructor(private readonly spec: SinkSpec, private readonly rows: number) {
    this.width = spec.width;
    if (spec.physicalType === PhysicalType.BOOLEAN) this.bits = new Uint8Array(((rows + 7) >> 3) + 1);
    else if (spec.physicalType === PhysicalType.BYTE_ARRAY) {
      if (spec.keepDictionary) this.indices = new Int32Array(rows);
      else this.startBytes();
    } else this.fixed = new Uint8Array(rows * spec.width);
  }

  private startBytes(): void {
    this.offsets = new Int32Array(this.rows + 1);
    this.data = new Uint8Array(Math.min(1 << 16, this.rows * 8 + 16));
  }

  /** Decodes a dictionary page (PLAIN values). */
  dictionaryFrom(body: Uint8Array, size: number): DictionaryValues {
    if (this.spec.physicalType === PhysicalType.BYTE_ARRAY) {
      const offsets = new Int32Array(size + 1);
      let p = 0;
      for (let k = 0; k < size; k++) {
        if (p + 4 > body.length) corrupt(`the dictionary page ends after ${k} of its ${size} values`);
        const length = readLength(body, p);
        p += 4;
        if (length > body.length - p) corrupt(`a dictionary value of ${length} bytes runs past the page`);
        p += length;
        offsets[k + 1] = offsets[k] + length;
      }
      const data = new Uint8Array(offsets[size]);
      p = 0;
      for (let k = 0; k < size; k++) {
        const length = offsets[k + 1] - offsets[k];
        data.set(body.subarray(p + 4, p + 4 + length), offsets[k]);
        p += 4 + length;
      }
      return { size, fixed: new Uint8Array(0), offsets, data };
    }
    if (this.spec.physicalType === PhysicalType.BOOLEAN) corrupt('a dictionary page in a boolean column');
    const need = size * this.width;
    if (need > body.length) corrupt(`the dictionary page holds ${body.length} bytes, ${size} values need ${need}`);
    return { size, fixed: alignedCopy(body, 0, need), offsets: new Int32Array(1), data: new Uint8Array(0) };
  }

  /** Takes one data page's values: `n` rows from `row`, `present` of them non-null, values from body[valuesAt…]. */
  page(encoding: number, body: Uint8Array, valuesAt: number, chunkValidity: Uint8Array | null, row: number, n: number, present: number, dictionary: DictionaryValues | undefined): void {
    // A page without nulls takes the loops that test no validity bit.
    const validity = present === n ? null : chunkValidity;
    if (encoding === PLAIN_DICTIONARY || encoding === RLE_DICTIONARY) {
      if (!dictionary) corrupt('a dictionary-encoded page without a dictionary page');
      if (this.indices && validity === null) {
        // Straight into the chunk's indices.
        dictionaryIndices(body, valuesAt, present, dictionary.size, this.indices, row);
        return;
      }
      if (this.scratch.length < present) this.scratch = new Int32Array(Math.max(present, this.scratch.length * 2));
      const indices = this.scratch.subarray(0, present);
      dictionaryIndices(body, valuesAt, present, dictionary.size, indices, 0);
      if (this.indices) this.scatterIndices(indices, validity, row, n);
      else if (this.fixed) this.gatherFixed(dictionary.fixed, indices, validity, row, n);
      else if (this.offsets) this.gatherBytes(dictionary, indices, validity, row, n);
      else corrupt('a dictionary-encoded boolean page');
      return;
    }
    if (encoding === PLAIN) {
      if (this.fixed) this.plainFixed(body, valuesAt, validity, row, n, present);
      else if (this.bits) this.plainBools(body, valuesAt, validity, row, n, present);
      else {
        if (this.indices) this.materialise(row, validity, dictionary);
        this.plainBytes(body, valuesAt, validity, row, n);
      }
      return;
    }
    if (encoding === BYTE_STREAM_SPLIT && validity !== null && this.fixed && (this.width === 4 || this.width === 8)) {
      scatterByteStreamSplit(body, valuesAt, body.length, present, this.width, new Int32Array(this.fixed.buffer, this.fixed.byteOffset, this.fixed.byteLength >> 2), validity, row, n);
      return;
    }
    if (encoding === DELTA_BINARY_PACKED || encoding === BYTE_STREAM_SPLIT) {
      this.packedFixed(validity, row, n, present, (out, at) => {
        if (encoding === BYTE_STREAM_SPLIT) decodeByteStreamSplit(body, valuesAt, body.length, present, this.width, out, at);
        else decodeDeltaBinaryPacked(body, valuesAt, body.length, present, this.width === 8 ? 2 : 1, new Int32Array(out.buffer, out.byteOffset + at, (present * this.width) >> 2), 0);
      }, encoding === DELTA_BINARY_PACKED ? 'DELTA_BINARY_PACKED' : 'BYTE_STREAM_SPLIT');
      return;
    }
    if (encoding === DELTA_LENGTH_BYTE_ARRAY || encoding === DELTA_BYTE_ARRAY) {
      const values = (encoding === DELTA_BYTE_ARRAY ? decodeDeltaByteArray : decodeDeltaLengthByteArray)(body, valuesAt, body.length, present);
      if (this.fixed) {
        // FIXED_LEN_BYTE_ARRAY (parquet-mr's v2 writer front-codes decimals and UUIDs): every value its width.
        if (values.lengths.some((length) => length !== this.width)) corrupt(`a DELTA_BYTE_ARRAY value whose length is not the column's ${this.width} bytes`);
        this.packedFixed(validity, row, n, present, (out, at) => out.set(values.bytes.subarray(values.dataAt, values.dataAt + values.total), at), 'DELTA_BYTE_ARRAY');
        return;
      }
      if (!this.offsets && !this.indices) corrupt(`a ${encoding === DELTA_BYTE_ARRAY ? 'DELTA_BYTE_ARRAY' : 'DELTA_LENGTH_BYTE_ARRAY'} page in a boolean column`);
      if (this.indices) this.materialise(row, validity, dictionary);
      this.packedBytes(values, validity, row, n);
      return;
    }
    if (encoding === RLE && this.bits) {
      // Booleans as a length-prefixed hybrid run of bit width 1.
      if (valuesAt + 4 > body.length) corrupt('RLE booleans without their length');
      const values = new Int32Array(present);
      decodeHybrid(body, valuesAt + 4, Math.min(body.length, valuesAt + 4 + readLength(body, valuesAt)), 1, values, 0, present);
      let k = 0;
      for (let i = 0; i < n; i++) if (isValid(validity, row + i) && values[k++]) this.bits[(row + i) >> 3] |= 1 << ((row + i) & 7);
      return;
    }
    corrupt(`data page encoding ${encoding} (the footer did not list it)`);
  }

  finish(dictionary: DictionaryValues | undefined): DecodedValues {
    if (this.fixed) return { kind: 'fixed', bytes: this.fixed, width: this.width };
    if (this.bits) return { kind: 'bool', bits: this.bits };
    if (this.indices) return { kind: 'dictionary', indices: this.indices, dictionary: dictionary ?? { size: 0, fixed: new Uint8Array(0), offsets: new Int32Array(1), data: new Uint8Array(0) } };
    return { kind: 'bytes', offsets: this.offsets!, data: this.data.subarray(0, this.dataLength) };
  }

  private plainFixed(body: Uint8Array, at: number, validity: Uint8Array | null, row: number, n: number, present: number): void {
    const width = this.width;
    const need = present * width;
    if (at + need > body.length) corrupt(`a page holds ${body.length - at} bytes of values, ${present} values need ${need}`);
    const out = this.fixed!;
    if (present === n) {
      out.set(body.subarray(at, at + need), row * width);
      return;
    }
    if ((width & 3) === 0) {
      // Scatter word by word from an aligned copy of the packed values.
      const words = width >> 2;
      // A view where the values lie 4-byte aligned (a decoder's own packed buffer, most decompressed pages), else a copy.
      const packed = ((body.byteOffset + at) & 3) === 0 ? new Int32Array(body.buffer, body.byteOffset + at, need >> 2) : new Int32Array(alignedCopy(body, at, at + need).buffer);
      const target = new Int32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
      let k = 0;
      for (let i = 0; i < n; i++) {
        const r = row + i;
        if (!isValid(validity, r)) continue;
        for (let w = 0; w < words; w++) target[r * words + w] = packed[k++];
      }
      return;
    }
    let p = at;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (!isValid(validity, r)) continue;
      out.set(body.subarray(p, p + width), r * width);
      p += width;
    }
  }

  private gatherFixed(dictionary: Uint8Array, indices: Int32Array, validity: Uint8Array | null, row: number, n: number): void {
    const width = this.width;
    const out = this.fixed!;
    if ((width & 3) === 0) {
      const words = width >> 2;
      const source = new Int32Array(dictionary.buffer, dictionary.byteOffset, dictionary.byteLength >> 2);
      const target = new Int32Array(out.buffer, out.byteOffset, out.byteLength >> 2);
      let k = 0;
      if (validity === null) {
        if (words === 1) for (let i = 0; i < n; i++) target[row + i] = source[indices[i]];
        else if (words === 2) {
          for (let i = 0, t = row * 2; i < n; i++, t += 2) {
            const d = indices[i] * 2;
            target[t] = source[d];
            target[t + 1] = source[d + 1];
          }
        } else for (let i = 0; i < n; i++) for (let w = 0; w < words; w++) target[(row + i) * words + w] = source[indices[i] * words + w];
        return;
      }
      if (words === 1) {
        for (let i = 0; i < n; i++) if (isValid(validity, row + i)) target[row + i] = source[indices[k++]];
        return;
      }
      if (words === 2) {
        for (let r = row; r < row + n; r++) {
          if (((validity[r >> 3] >> (r & 7)) & 1) === 0) continue;
          const d = indices[k++] * 2;
          target[r * 2] = source[d];
          target[r * 2 + 1] = source[d + 1];
        }
        return;
      }
      for (let i = 0; i < n; i++) {
        const r = row + i;
        if (!isValid(validity, r)) continue;
        const d = indices[k++] * words;
        for (let w = 0; w < words; w++) target[r * words + w] = source[d + w];
      }
      return;
    }
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (!isValid(validity, r)) continue;
      const d = indices[k++] * width;
      out.set(dictionary.subarray(d, d + width), r * width);
    }
  }

  /**
   * Fixed-width values a decoder writes packed, `present` of them: straight to their rows when the
   * page has no null, else into a packed copy scattered to the valid rows.
   */
  private packedFixed(validity: Uint8Array | null, row: number, n: number, present: number, decode: (out: Uint8Array, at: number) => void, encoding: string): void {
    const width = this.width;
    if (!this.fixed || (encoding === 'DELTA_BINARY_PACKED' && this.spec.physicalType !== PhysicalType.INT32 && this.spec.physicalType !== PhysicalType.INT64)) {
      corrupt(`a ${encoding} page in a column of physical type ${this.spec.physicalType}`);
    }
    if (present === n) {
      decode(this.fixed, row * width);
      return;
    }
    const packed = new Uint8Array(present * width);
    decode(packed, 0);
    this.plainFixed(packed, 0, validity, row, n, present);
  }

  /** Byte arrays given as lengths and bytes back to back: one copy of the bytes, offsets at the valid rows. */
  private packedBytes(values: PackedByteArrays, validity: Uint8Array | null, row: number, n: number): void {
    const { lengths, bytes, dataAt, total } = values;
    this.reserve(total);
    this.data.set(bytes.subarray(dataAt, dataAt + total), this.dataLength);
    const offsets = this.offsets!;
    let length = this.dataLength;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (validity === null || ((validity[r >> 3] >> (r & 7)) & 1) === 1) length += lengths[k++];
      offsets[r + 1] = length;
    }
    this.dataLength = length;
  }

  private plainBools(body: Uint8Array, at: number, validity: Uint8Array | null, row: number, n: number, present: number): void {
    if (at + ((present + 7) >> 3) > body.length) corrupt(`a page holds too few bytes for ${present} booleans`);
    const bits = this.bits!;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (!isValid(validity, r)) continue;
      if ((body[at + (k >> 3)] >> (k & 7)) & 1) bits[r >> 3] |= 1 << (r & 7);
      k++;
    }
  }

  private reserve(extra: number): void {
    const need = this.dataLength + extra;
    if (need <= this.data.length) return;
    if (need > 0x7fffffff) corrupt('a column chunk of more than 2 GiB of byte arrays');
    const grown = new Uint8Array(Math.min(0x7fffffff, Math.max(need, this.data.length * 2)));
    grown.set(this.data.subarray(0, this.dataLength));
    this.data = grown;
  }

  private plainBytes(body: Uint8Array, at: number, validity: Uint8Array | null, row: number, n: number): void {
    const offsets = this.offsets!;
    let p = at;
    // Every value's bytes fit in what the page has left: one reservation for the page.
    this.reserve(Math.max(0, body.length - at));
    const data = this.data;
    let length = this.dataLength;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (isValid(validity, r)) {
        if (p + 4 > body.length) corrupt(`a page ends after ${i} of its ${n} values`);
        const size = readLength(body, p);
        p += 4;
        if (size > body.length - p) corrupt(`a value of ${size} bytes runs past the page`);
        if (size < 32) for (let b = 0; b < size; b++) data[length + b] = body[p + b];
        else data.set(body.subarray(p, p + size), length);
        length += size;
        p += size;
      }
      offsets[r + 1] = length;
    }
    this.dataLength = length;
  }

  private gatherBytes(dictionary: DictionaryValues, indices: Int32Array, validity: Uint8Array | null, row: number, n: number): void {
    const offsets = this.offsets!;
    const { offsets: from, data: source } = dictionary;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const r = row + i;
      if (isValid(validity, r)) {
        const d = indices[k++];
        const start = from[d];
        const size = from[d + 1] - start;
        this.reserve(size);
        const data = this.data;
        const length = this.dataLength;
        if (size < 32) for (let b = 0; b < size; b++) data[length + b] = source[start + b];
        else data.set(source.subarray(start, start + size), length);
        this.dataLength = length + size;
      }
      offsets[r + 1] = this.dataLength;
    }
  }

  private scatterIndices(indices: Int32Array, validity: Uint8Array | null, row: number, n: number): void {
    const out = this.indices!;
    if (validity === null || indices.length === n) {
      out.set(indices, row);
      return;
    }
    let k = 0;
    for (let i = 0; i < n; i++) if (isValid(validity, row + i)) out[row + i] = indices[k++];
  }

  /** Rows [0, row) read as dictionary indices become byte arrays: PLAIN pages follow. */
  private materialise(row: number, validity: Uint8Array | null, dictionary: DictionaryValues | undefined): void {
    const indices = this.indices!;
    this.indices = undefined;
    this.startBytes();
    if (row === 0) return;
    if (!dictionary) corrupt('dictionary indices without a dictionary page');
    const valid = new Int32Array(row);
    let k = 0;
    for (let r = 0; r < row; r++) if (isValid(validity, r)) valid[k++] = indices[r];
    this.gatherBytes(dictionary, valid.subarray(0, k), validity, 0, row);
  }
}

/** A copy of bytes[from, to) in a buffer of its own (a Buffer's slice would share its pool, unaligned). */
function alignedCopy(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  out.set(bytes.subarray(from, to));
  return out;
}

function readLength(body: Uint8Array, at: number): number {
  return (body[at] | (body[at + 1] << 8) | (body[at + 2] << 16) | (body[at + 3] << 24)) >>> 0;
}

/** A data page's dictionary indices into out[outAt…]: a bit-width byte, then the hybrid runs; each index checked against the dictionary. */
function dictionaryIndices(body: Uint8Array, at: number, count: number, size: number, out: Int32Array, outAt: number): void {
  if (count === 0) return;
  if (at >= body.length) corrupt('a dictionary-encoded page without its bit width');
  decodeHybrid(body, at + 1, body.length, body[at], out, outAt, count, size);
}
