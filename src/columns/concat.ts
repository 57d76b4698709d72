import { Type, makeData, makeVector, type Data, type Dictionary } from 'apache-arrow';
import { isValid, mayHaveNulls } from './bitmap.js';
import { columnValues } from './toValues.js';
import { utf8FromStrings } from './utf8.js';

/**
 * Joins chunks of one column into a single Data, so a join's build side can be gathered by one
 * row index. By physical layout, like takeData. Dictionary chunks with different dictionaries
 * are re-encoded over one merged dictionary.
 */
export function concatData(chunks: Data[]): Data {
  if (chunks.length === 1) return chunks[0];
  const type = chunks[0].type;
  const length = chunks.reduce((n, c) => n + c.length, 0);
  const { nullBitmap, nullCount } = concatValidity(chunks, length);
  switch (type.typeId) {
    case Type.Null:
      return makeData({ type, length, nullCount: length } as never);
    case Type.Bool: {
      const bits = new Uint8Array(((length + 63) >> 6) << 3);
      let row = 0;
      for (const c of chunks) {
        const src = c.values as Uint8Array;
        for (let i = 0; i < c.length; i++, row++) {
          const j = c.offset + i;
          if (src[j >> 3] & (1 << (j & 7))) bits[row >> 3] |= 1 << (row & 7);
        }
      }
      return makeData({ type, length, nullCount, nullBitmap, data: bits } as never);
    }
    case Type.Utf8: case Type.Binary: {
      const total = chunks.reduce((n, c) => n + (c.valueOffsets[c.length] - c.valueOffsets[0]), 0);
      const bytes = new Uint8Array(total);
      const offsets = new Int32Array(length + 1);
      let row = 0;
      let pos = 0;
      for (const c of chunks) {
        const src = c.valueOffsets as Int32Array;
        bytes.set((c.values as Uint8Array).subarray(src[0], src[c.length]), pos);
        for (let i = 0; i < c.length; i++) offsets[++row] = pos + src[i + 1] - src[0];
        pos += src[c.length] - src[0];
      }
      return makeData({ type, length, nullCount, nullBitmap, valueOffsets: offsets, data: bytes } as never);
    }
    case Type.List: {
      const offsets = new Int32Array(length + 1);
      const children: Data[] = [];
      let row = 0;
      let pos = 0;
      for (const c of chunks) {
        const src = c.valueOffsets as Int32Array;
        children.push((c.children[0] as Data).slice(src[0], src[c.length] - src[0]));
        for (let i = 0; i < c.length; i++) offsets[++row] = pos + src[i + 1] - src[0];
        pos += src[c.length] - src[0];
      }
      return makeData({ type, length, nullCount, nullBitmap, valueOffsets: offsets, child: concatData(children) } as never);
    }
    case Type.Struct: case Type.FixedSizeList: {
      // Their children are sliced along with them (scaled by the list size for fixed-size lists).
      const children = chunks[0].children.map((_c, k) => concatData(chunks.map((c) => c.children[k] as Data)));
      return makeData({ type, length, nullCount, nullBitmap, children, child: children[0] } as never);
    }
    case Type.Dictionary:
      return concatDictionary(chunks, length, nullBitmap, nullCount);
    default: {
      // Builders pad value buffers past `length`: copy exactly length × stride values of each.
      type Typed = { length: number; subarray(b: number, e: number): Typed; constructor: new (n: number) => { set(a: unknown, o: number): void } };
      const values = chunks.map((c) => (c.values as unknown as Typed).subarray(0, c.length * c.stride));
      const out = new (chunks[0].values as unknown as Typed).constructor(values.reduce((n, v) => n + v.length, 0));
      let pos = 0;
      for (const v of values) {
        out.set(v, pos);
        pos += v.length;
      }
      return makeData({ type, length, nullCount, nullBitmap, data: out } as never);
    }
  }
}

function concatValidity(chunks: Data[], length: number): { nullBitmap?: Uint8Array; nullCount: number } {
  if (chunks[0].type.typeId === Type.Null) return { nullCount: length };
  if (!chunks.some(mayHaveNulls)) return { nullCount: 0 };
  const bits = new Uint8Array(((length + 63) >> 6) << 3);
  let row = 0;
  let nulls = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++, row++) {
      if (isValid(c, i)) bits[row >> 3] |= 1 << (row & 7);
      else nulls++;
    }
  }
  return { nullBitmap: bits, nullCount: nulls };
}

function concatDictionary(chunks: Data[], length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
  const type = chunks[0].type as Dictionary;
  const shared = chunks.every((c) => c.dictionary === chunks[0].dictionary);
  const keys = new Int32Array(length);
  let row = 0;
  if (shared) {
    for (const c of chunks) for (let i = 0; i < c.length; i++) keys[row++] = Number((c.values as ArrayLike<number>)[i]);
    return makeData({ type, length, nullCount, nullBitmap, data: keys, dictionary: chunks[0].dictionary } as never);
  }
  const merged: string[] = [];
  const positions = new Map<string, number>();
  for (const c of chunks) {
    const entries = c.dictionary!.data.flatMap((d) => columnValues(d as Data)) as (string | null)[];
    const remap = entries.map((e) => {
      const text = e ?? '';
      let p = positions.get(text);
      if (p === undefined) positions.set(text, (p = merged.push(text) - 1));
      return p;
    });
    for (let i = 0; i < c.length; i++) keys[row++] = remap[Number((c.values as ArrayLike<number>)[i])] ?? 0;
  }
  const dictionary = makeVector(utf8FromStrings(merged));
  return makeData({ type, length, nullCount, nullBitmap, data: keys, dictionary } as never);
}
