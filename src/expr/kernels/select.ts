import { Data, DataType, Decimal, Type } from 'apache-arrow';
import { asColumn, column, type Operand } from '../operand.js';
import { isStringType } from '../typeRules.js';
import {
  bitIsSet, bitmapBytes, boolBitsOf, int32PairsOf, makeResult, stringReader, Utf8Builder, validityOf,
} from '../vectors.js';
import { castOperand } from './castOperand.js';
import { truthMask } from './logic.js';

/**
 * Builds a column by taking, for each row, the value of one of several same-typed sources:
 * `pick[i]` is the source index, or -1 for null. The shared machinery of CASE WHEN and COALESCE.
 */
export function selectRows(type: DataType, sources: Operand[], pick: Int32Array, length: number): Data {
  const columns = sources.map((s) => asColumn(s, length));
  const validity = new Uint8Array(bitmapBytes(length));
  const sourceValidity = columns.map((c) => (c.typeId === Type.Null ? new Uint8Array(bitmapBytes(length)) : validityOf(c)));
  for (let i = 0; i < length; i++) {
    const s = pick[i];
    if (s >= 0 && (!sourceValidity[s] || bitIsSet(sourceValidity[s]!, i))) validity[i >> 3] |= 1 << (i & 7);
  }
  if (type.typeId === Type.Null) return makeResult(type, length, new Uint8Array(bitmapBytes(length)), {});
  if (isStringType(type)) {
    const readers = columns.map((c) => (c.typeId === Type.Null ? () => null : stringReader(c)));
    const out = new Utf8Builder(length);
    for (let i = 0; i < length; i++) out.append(bitIsSet(validity, i) ? readers[pick[i]](i) : null);
    return out.finish();
  }
  if (type.typeId === Type.Bool) {
    const bits = columns.map((c) => (c.typeId === Type.Null ? new Uint8Array(bitmapBytes(length)) : boolBitsOf(c)));
    const out = new Uint8Array(bitmapBytes(length));
    for (let i = 0; i < length; i++) if (pick[i] >= 0 && bitIsSet(bits[pick[i]], i)) out[i >> 3] |= 1 << (i & 7);
    return makeResult(type, length, validity, { data: out });
  }
  // Fixed width: copy 32-bit words (64-bit values as pairs, decimals as quads; no BigInt per row).
  const width = type.typeId === Type.Decimal ? 4 * ((type as Decimal).bitWidth / 128) : 0;
  const ArrayType = (type as DataType & { ArrayType: new (n: number) => ArrayLike<number> }).ArrayType;
  const out = new ArrayType(width ? length * width : length) as Int32Array | Float64Array | BigInt64Array | Uint32Array | Float32Array;
  const words = out instanceof BigInt64Array ? int32PairsOf(out) : out;
  const stride = out instanceof BigInt64Array ? 2 : width || 1;
  const sourceWords = columns.map((c) => {
    if (c.typeId === Type.Null) return new Int32Array(length * stride);
    const v = c.values as typeof out;
    return v instanceof BigInt64Array ? int32PairsOf(v) : v;
  });
  for (let i = 0; i < length; i++) {
    const s = pick[i];
    if (s < 0) continue;
    const src = sourceWords[s];
    for (let w = 0; w < stride; w++) words[i * stride + w] = src[i * stride + w];
  }
  return makeResult(type, length, validity, { data: out });
}

/** COALESCE: the first non-null argument of each row. Arguments are cast to `type` first. */
export function coalesce(type: DataType, args: Operand[], length: number): Operand {
  const sources = args.map((a) => castOperand(a, type, length));
  const pick = new Int32Array(length).fill(-1);
  for (let s = sources.length - 1; s >= 0; s--) {
    const src = sources[s];
    if (src.kind === 'scalar') {
      if (src.value !== null) pick.fill(s);
      continue;
    }
    const validity = src.data.typeId === Type.Null ? new Uint8Array(bitmapBytes(length)) : validityOf(src.data);
    if (!validity) pick.fill(s);
    else for (let i = 0; i < length; i++) if (bitIsSet(validity, i)) pick[i] = s;
  }
  return column(selectRows(type, sources, pick, length));
}

/** CASE WHEN: the first branch whose condition is TRUE (null counts as not true), else `otherwise`. */
export function caseWhen(type: DataType, conditions: Operand[], values: Operand[], otherwise: Operand | undefined, length: number): Operand {
  const sources = [...values, ...(otherwise ? [otherwise] : [])].map((v) => castOperand(v, type, length));
  const pick = new Int32Array(length).fill(otherwise ? values.length : -1);
  for (let b = conditions.length - 1; b >= 0; b--) {
    const mask = truthMask(conditions[b], length);
    for (let i = 0; i < length; i++) if (mask[i]) pick[i] = b;
  }
  return column(selectRows(type, sources, pick, length));
}

