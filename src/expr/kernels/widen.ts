import { DateUnit, TimeUnit, Type } from 'apache-arrow';
import type { Data, DataType, Date_, Float, Int, Timestamp } from 'apache-arrow';
import { makeResult, validityOf } from '../vectors.js';

/**
 * Safe widening of a column read from a file to the wider type a declared schema asks for, so a
 * schema of `int64` reads a file another engine wrote as int8, or `timestamp` reads
 * `timestamp_ns` without zone. Only conversions that keep every value are allowed, with one
 * documented exception: nanoseconds → microseconds drops the sub-microsecond digits (rounding
 * down, as DuckDB and Spark do when they read nanosecond timestamps as microseconds).
 */
export function canWiden(from: DataType, to: DataType): boolean {
  if (from.typeId === Type.Int && to.typeId === Type.Int) {
    const f = from as Int;
    const t = to as Int;
    if (f.isSigned === t.isSigned) return t.bitWidth >= f.bitWidth;
    return !f.isSigned && t.isSigned && t.bitWidth > f.bitWidth;
  }
  if (from.typeId === Type.Int && to.typeId === Type.Float) {
    // Exact only while the integer fits the float's mantissa.
    return (to as Float).precision === 2 && (from as Int).bitWidth <= 32;
  }
  if (from.typeId === Type.Float && to.typeId === Type.Float) return (to as Float).precision >= (from as Float).precision;
  if (to.typeId === Type.Timestamp) return from.typeId === Type.Timestamp || from.typeId === Type.Date;
  return false;
}

/** `data` converted to `to`; call only when `canWiden(data.type, to)`. */
export function widenData(data: Data, to: DataType): Data {
  const n = data.length;
  const validity = validityOf(data);
  if (to.typeId === Type.Timestamp) return makeResult(to, n, validity, { data: toUnit(data, (to as Timestamp).unit) });
  const source = data.values as ArrayLike<number | bigint>;
  if (to.typeId === Type.Float) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Number(source[i]);
    return makeResult(to, n, validity, { data: out });
  }
  const width = (to as Int).bitWidth;
  const signed = (to as Int).isSigned;
  if (width === 64) {
    const out = signed ? new BigInt64Array(n) : new BigUint64Array(n);
    if ((data.type as Int).bitWidth === 64) out.set(source as BigInt64Array);
    else for (let i = 0; i < n; i++) out[i] = BigInt(source[i] as number);
    return makeResult(to, n, validity, { data: out });
  }
  const Typed = { 8: signed ? Int8Array : Uint8Array, 16: signed ? Int16Array : Uint16Array, 32: signed ? Int32Array : Uint32Array }[width as 8 | 16 | 32];
  const out = new Typed(n);
  for (let i = 0; i < n; i++) out[i] = source[i] as number;
  return makeResult(to, n, validity, { data: out });
}

/** Ticks per second of each Arrow time unit, as bigints (exact for every int64 epoch value). */
const PER_SECOND = [1n, 1_000n, 1_000_000n, 1_000_000_000n];

/** Epoch values of a Date or Timestamp column in `unit`, exactly (floor division when coarser). */
function toUnit(data: Data, unit: TimeUnit): BigInt64Array {
  const n = data.length;
  const out = new BigInt64Array(n);
  const to = PER_SECOND[unit];
  if (data.typeId === Type.Date) {
    const days = (data.type as Date_).unit === DateUnit.DAY;
    const values = data.values as Int32Array | BigInt64Array;
    // Date32 counts days; Date64 counts milliseconds.
    const per = days ? 86_400n * to : to;
    for (let i = 0; i < n; i++) out[i] = days ? BigInt(values[i]) * per : floorDiv(BigInt(values[i]) * to, 1_000n);
    return out;
  }
  const values = data.values as BigInt64Array;
  const from = PER_SECOND[(data.type as Timestamp).unit];
  if (from === to) out.set(values);
  else if (to > from) for (let i = 0; i < n; i++) out[i] = values[i] * (to / from);
  else for (let i = 0; i < n; i++) out[i] = floorDiv(values[i], from / to);
  return out;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
