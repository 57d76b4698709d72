import {
  Bool, DataType, Field, Float64, Int32, Int64, List, Null, Struct, TimestampMicrosecond, Type, Utf8,
  makeData, vectorFromArray, type Data, type Decimal, type Timestamp,
} from 'apache-arrow';
import { packBits } from './bitmap.js';
import { utf8FromStrings } from './utf8.js';
import { SluiceError } from '../types/ErrorRecord.js';

/**
 * The slow path from JS values to Arrow: for DataFrame.fromRows, Map results and tests.
 * Numbers, bigints, booleans, strings, Dates (and ISO strings for dates and timestamps),
 * plain objects (struct) and arrays (list). Hot paths build buffers directly instead.
 */
export function columnFromValues(type: DataType, values: readonly unknown[]): Data {
  const n = values.length;
  switch (type.typeId) {
    case Type.Utf8:
      return utf8FromStrings(values.map((v) => (v == null ? null : typeof v === 'string' ? v : stringify(v))));
    case Type.Null:
      return makeData({ type: new Null(), length: n, nullCount: n });
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Timestamp:
    case Type.Bool:
      return primitive(type, values);
    case Type.Decimal:
      return decimal(type as Decimal, values);
    case Type.Struct: {
      const st = type as Struct;
      const valid = new Uint8Array(n);
      values.forEach((v, i) => (valid[i] = v == null ? 0 : 1));
      const children = st.children.map((f) => columnFromValues(f.type, values.map((v) => (v == null ? null : (v as Record<string, unknown>)[f.name]))));
      const { bits, unset } = packBits(valid, n);
      return makeData({ type: st, length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, children });
    }
    case Type.List: {
      const lt = type as List;
      const offsets = new Int32Array(n + 1);
      const valid = new Uint8Array(n);
      const flat: unknown[] = [];
      values.forEach((v, i) => {
        if (Array.isArray(v)) {
          valid[i] = 1;
          for (const x of v) flat.push(x);
        } else if (v != null) throw new SluiceError(`expected an array for ${lt}, got ${stringify(v)}`);
        offsets[i + 1] = flat.length;
      });
      const { bits, unset } = packBits(valid, n);
      const child = columnFromValues(lt.valueType, flat);
      return makeData({ type: lt, length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, valueOffsets: offsets, child });
    }
    default:
      return vectorFromArray(values as never[], type).data[0] as Data;
  }
}

function primitive(type: DataType, values: readonly unknown[]): Data {
  const n = values.length;
  const valid = new Uint8Array(n);
  let out: Int32Array | Float64Array | BigInt64Array | Uint8Array | Float32Array | Int16Array | Int8Array;
  if (type.typeId === Type.Bool) {
    const bytes = new Uint8Array(n);
    values.forEach((v, i) => {
      if (v == null) return;
      valid[i] = 1;
      bytes[i] = v === true || v === 'true' || v === 1 ? 1 : 0;
    });
    const { bits: valueBits } = packBits(bytes, n);
    const { bits, unset } = packBits(valid, n);
    return makeData({ type: type as Bool, length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, data: valueBits });
  }
  const ArrayType = (type as { ArrayType?: new (n: number) => typeof out }).ArrayType!;
  out = new ArrayType(n);
  const toEpoch = type.typeId === Type.Timestamp ? timestampScale(type as Timestamp) : 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null || (typeof v === 'number' && Number.isNaN(v) && type.typeId !== Type.Float)) continue;
    valid[i] = 1;
    if (type.typeId === Type.Date) (out as Int32Array)[i] = Math.floor(toMillis(v) / 86_400_000);
    else if (type.typeId === Type.Timestamp) (out as BigInt64Array)[i] = BigInt(Math.round(toMillis(v) * toEpoch));
    else if (out instanceof BigInt64Array) out[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    else out[i] = typeof v === 'bigint' ? Number(v) : Number(v);
  }
  const { bits, unset } = packBits(valid, n);
  return makeData({ type, length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, data: out } as never);
}

function decimal(type: Decimal, values: readonly unknown[]): Data {
  const n = values.length;
  const words = new Uint32Array(n * 4);
  const valid = new Uint8Array(n);
  const scale = 10n ** BigInt(type.scale);
  values.forEach((v, i) => {
    if (v == null) return;
    valid[i] = 1;
    let x = decimalToBigInt(v, type.scale, scale);
    const mask = (1n << 128n) - 1n;
    x &= mask; // two's complement within 128 bits
    for (let k = 0; k < 4; k++) words[i * 4 + k] = Number((x >> BigInt(32 * k)) & 0xffffffffn);
  });
  const { bits, unset } = packBits(valid, n);
  return makeData({ type, length: n, nullCount: unset, nullBitmap: unset ? bits : undefined, data: words });
}

function decimalToBigInt(v: unknown, scaleDigits: number, scale: bigint): bigint {
  if (typeof v === 'bigint') return v * scale;
  const text = typeof v === 'number' ? v.toFixed(scaleDigits) : String(v).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) throw new SluiceError(`cannot convert '${text}' to decimal`);
  const frac = (m[3] ?? '').padEnd(scaleDigits, '0').slice(0, scaleDigits);
  const abs = BigInt((m[2] || '0') + frac);
  return m[1] === '-' ? -abs : abs;
}

/** Multiplier from epoch milliseconds to the timestamp's unit. */
function timestampScale(t: Timestamp): number {
  return [1 / 1000, 1, 1000, 1_000_000][t.unit];
}

function toMillis(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) || /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`);
    if (Number.isNaN(ms)) throw new SluiceError(`cannot convert '${v}' to a date or timestamp`);
    return ms;
  }
  throw new SluiceError(`cannot convert ${stringify(v)} to a date or timestamp`);
}

const stringify = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) : String(v);

/** Infers a column type from JS values, for DataFrame.fromRows without a schema. */
export function inferTypeOfValues(values: readonly unknown[]): DataType {
  type Kind = 'null' | 'int' | 'int64' | 'float' | 'bool' | 'string' | 'date' | 'object' | 'array' | 'mixed';
  let kind = 'null' as Kind;
  const merge = (k: Kind) => {
    if (kind === 'null' || kind === k) kind = k;
    else if ((kind === 'int' || kind === 'int64' || kind === 'float') && (k === 'int' || k === 'int64' || k === 'float')) kind = kind === 'float' || k === 'float' ? 'float' : 'int64';
    else kind = 'mixed';
  };
  for (const v of values) {
    if (v == null) continue;
    if (typeof v === 'number') merge(Number.isInteger(v) ? (Math.abs(v) <= 2147483647 ? 'int' : 'int64') : 'float');
    else if (typeof v === 'bigint') merge('int64');
    else if (typeof v === 'boolean') merge('bool');
    else if (typeof v === 'string') merge('string');
    else if (v instanceof Date) merge('date');
    else if (Array.isArray(v)) merge('array');
    else merge('object');
  }
  switch (kind) {
    case 'null': return new Null();
    case 'int': return new Int32();
    case 'int64': return new Int64();
    case 'float': return new Float64();
    case 'bool': return new Bool();
    case 'string': case 'mixed': return new Utf8();
    case 'date': return new TimestampMicrosecond('UTC');
    case 'array': return new List(new Field('element', inferTypeOfValues(values.flatMap((v) => (Array.isArray(v) ? v : []))), true));
    case 'object': {
      const names = new Set<string>();
      for (const v of values) if (v && typeof v === 'object') for (const k of Object.keys(v)) names.add(k);
      return new Struct([...names].map((k) => new Field(k, inferTypeOfValues(values.map((v) => (v == null ? null : (v as Record<string, unknown>)[k]))), true)));
    }
  }
}

