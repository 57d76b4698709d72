import type { Data } from 'apache-arrow';
import { copyBits, setBits } from '../bits.js';
import type { LeafColumn } from './parquetTypes.js';

/**
 * One column chunk's values, out of the Arrow pieces (batch slices) of a row group and into one
 * contiguous form the page encoders slice: only non-null values (Parquet stores nulls as
 * definition levels), and the rows' validity as one bitmap from bit 0.
 */
export interface ColumnValues {
  rows: number;
  nulls: number;
  /** Bit per row, set = non-null; null when there is no null. */
  validity: Uint8Array | null;
  /** Non-null values. */
  count: number;
  /** INT32/INT64/FLOAT/DOUBLE: `count * width` 32-bit words, little-endian as PLAIN wants. */
  words: Int32Array;
  /** BOOLEAN: `count` bits. BYTE_ARRAY: the values' bytes. FIXED_LEN_BYTE_ARRAY: `count * width` bytes. */
  bytes: Uint8Array;
  /** BYTE_ARRAY: `count + 1` offsets into `bytes`. */
  offsets: Int32Array;
}

const EMPTY_WORDS = new Int32Array(0);
const EMPTY_BYTES = new Uint8Array(0);

const hasNulls = (data: Data): boolean => data.nullCount > 0 && !!data.nullBitmap && data.nullBitmap.length > 0;

/** Words view of a fixed-width Arrow value buffer (already sliced by Arrow JS to the piece). */
const wordsOf = (values: ArrayBufferView): Int32Array => new Int32Array(values.buffer, values.byteOffset, values.byteLength >> 2);

/** The pieces' values; fixed-width words are in a buffer reused by the next gather (read them before). */
export function gather(leaf: LeafColumn, pieces: Data[]): ColumnValues {
  const out = gatherLevels(pieces);
  switch (leaf.gather) {
    case 'words':
    case 'widen':
      out.words = gatherWords(leaf, pieces, out.count);
      break;
    case 'bool':
      out.bytes = gatherBools(pieces, out.count);
      break;
    case 'bytes':
      gatherBytes(pieces, out);
      break;
    case 'dictionary':
      gatherDictionary(pieces, out);
      break;
    case 'flba':
      out.bytes = gatherFixedBytes(leaf, pieces, out.count);
      break;
  }
  return out;
}

/** The pieces' rows, nulls and validity, without their values (a dictionary column's indices go straight to the encoder). */
export function gatherLevels(pieces: Data[]): ColumnValues {
  let rows = 0;
  let nulls = 0;
  for (const data of pieces) {
    rows += data.length;
    if (hasNulls(data)) nulls += data.nullCount;
  }
  let validity: Uint8Array | null = null;
  if (nulls > 0) {
    validity = new Uint8Array((rows >> 3) + 1);
    let at = 0;
    for (const data of pieces) {
      if (hasNulls(data)) copyBits(data.nullBitmap!, data.offset, validity, at, data.length);
      else setBits(validity, at, data.length);
      at += data.length;
    }
  }
  return { rows, nulls, validity, count: rows - nulls, words: EMPTY_WORDS, bytes: EMPTY_BYTES, offsets: EMPTY_WORDS };
}

/**
 * One buffer for every page's gathered words on this thread: they are read only while the page is
 * encoded (cutPage, synchronous), and a new array per page was W1's and W2's largest allocation
 * after the CSV columns (a Mark-Compact per ~64 MB of array buffers).
 */
let scratchWords = new Int32Array(0);

function gatherWords(leaf: LeafColumn, pieces: Data[], count: number): Int32Array {
  const width = leaf.width;
  if (scratchWords.length < count * width) scratchWords = new Int32Array(Math.max(count * width, 2 * scratchWords.length));
  const out = scratchWords.subarray(0, count * width);
  let k = 0;
  for (const data of pieces) {
    const n = data.length;
    const bitmap = hasNulls(data) ? data.nullBitmap! : null;
    const offset = data.offset;
    if (leaf.gather === 'widen') {
      const src = data.values as Int8Array | Int16Array | Uint8Array | Uint16Array;
      for (let i = 0; i < n; i++) {
        const j = offset + i;
        if (bitmap === null || bitmap[j >> 3] & (1 << (j & 7))) out[k++] = src[i];
      }
      continue;
    }
    const src = wordsOf(data.values as ArrayBufferView);
    const stride = leaf.stride;
    if (bitmap === null && stride === width) {
      out.set(src.subarray(0, n * width), k * width);
      k += n;
      continue;
    }
    // Nulls to skip, or decimal128 values whose low words are the INT32/INT64 value.
    for (let i = 0; i < n; i++) {
      const j = offset + i;
      if (bitmap !== null && (bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      const s = i * stride;
      const d = k++ * width;
      out[d] = src[s];
      if (width === 2) out[d + 1] = src[s + 1];
    }
  }
  return out;
}

function gatherBools(pieces: Data[], count: number): Uint8Array {
  const out = new Uint8Array((count >> 3) + 1);
  let k = 0;
  for (const data of pieces) {
    const n = data.length;
    const values = data.values as Uint8Array; // bits, not sliced by Arrow JS: start at data.offset
    if (!hasNulls(data)) {
      copyBits(values, data.offset, out, k, n);
      k += n;
      continue;
    }
    const bitmap = data.nullBitmap!;
    for (let i = 0; i < n; i++) {
      const j = data.offset + i;
      if ((bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      if (values[j >> 3] & (1 << (j & 7))) out[k >> 3] |= 1 << (k & 7);
      k++;
    }
  }
  return out;
}

/** Copies `src[from, to)` to `dst` at `at`; a byte loop for short values avoids a view per value. */
function copyRange(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): void {
  if (to - from > 32) dst.set(src.subarray(from, to), at);
  else for (let s = from; s < to; s++) dst[at++] = src[s];
}

function gatherBytes(pieces: Data[], out: ColumnValues): void {
  let upper = 0;
  for (const data of pieces) {
    const vo = data.valueOffsets as Int32Array;
    upper += vo[data.length] - vo[0];
  }
  const bytes = new Uint8Array(upper);
  const offsets = new Int32Array(out.count + 1);
  let k = 0;
  let at = 0;
  for (const data of pieces) {
    const n = data.length;
    const vo = data.valueOffsets as Int32Array; // sliced by Arrow JS: entry i is row i's start
    const values = data.values as Uint8Array;
    if (!hasNulls(data)) {
      const base = vo[0];
      bytes.set(values.subarray(base, vo[n]), at);
      for (let i = 0; i < n; i++) offsets[k++] = at + vo[i] - base;
      at += vo[n] - base;
      continue;
    }
    const bitmap = data.nullBitmap!;
    for (let i = 0; i < n; i++) {
      const j = data.offset + i;
      if ((bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      offsets[k++] = at;
      copyRange(values, vo[i], vo[i + 1], bytes, at);
      at += vo[i + 1] - vo[i];
    }
  }
  offsets[k] = at;
  out.bytes = bytes;
  out.offsets = offsets;
}

/** Arrow dictionary columns: each row's dictionary entry, copied out (the dictionary encoder re-deduplicates). */
function gatherDictionary(pieces: Data[], out: ColumnValues): void {
  const offsets = new Int32Array(out.count + 1);
  let chunks: Uint8Array[] = [];
  let size = 0;
  let k = 0;
  let bytes = new Uint8Array(0);
  for (const data of pieces) {
    const dictionary = data.dictionary!.data[0];
    const dvo = (dictionary as Data).valueOffsets as Int32Array;
    const dvalues = (dictionary as Data).values as Uint8Array;
    const indices = data.values as Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
    const bitmap = hasNulls(data) ? data.nullBitmap! : null;
    const n = data.length;
    let need = 0;
    for (let i = 0; i < n; i++) {
      const j = data.offset + i;
      if (bitmap !== null && (bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      const d = indices[i];
      need += dvo[d + 1] - dvo[d];
    }
    const chunk = new Uint8Array(need);
    let at = 0;
    for (let i = 0; i < n; i++) {
      const j = data.offset + i;
      if (bitmap !== null && (bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      const d = indices[i];
      offsets[k++] = size + at;
      copyRange(dvalues, dvo[d], dvo[d + 1], chunk, at);
      at += dvo[d + 1] - dvo[d];
    }
    chunks.push(chunk);
    size += at;
  }
  offsets[k] = size;
  bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  chunks = [];
  out.bytes = bytes;
  out.offsets = offsets;
}

/** Decimal128 (16 bytes little-endian) to its low `width` bytes big-endian (precision makes the rest sign bytes). */
function gatherFixedBytes(leaf: LeafColumn, pieces: Data[], count: number): Uint8Array {
  const width = leaf.width;
  const out = new Uint8Array(count * width);
  let k = 0;
  for (const data of pieces) {
    const values = data.values as ArrayBufferView;
    const src = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const bitmap = hasNulls(data) ? data.nullBitmap! : null;
    for (let i = 0; i < data.length; i++) {
      const j = data.offset + i;
      if (bitmap !== null && (bitmap[j >> 3] & (1 << (j & 7))) === 0) continue;
      const s = i * 16;
      const d = k++ * width;
      for (let b = 0; b < width; b++) out[d + b] = src[s + width - 1 - b];
    }
  }
  return out;
}
