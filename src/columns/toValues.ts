import { Type, makeVector, type Data, type Dictionary, type Struct, type Timestamp, type Decimal } from 'apache-arrow';
import { getBit, isValid } from './bitmap.js';
import { setField } from './ownFields.js';

const decoder = new TextDecoder();

/**
 * A column as JS values, for toRows(), Map functions and show(). Representation: numbers
 * (int64 as number when safe, else bigint), booleans, strings, Date for dates and timestamps,
 * decimals as numbers, structs as plain objects, lists as arrays, nulls as null.
 */
export function columnValues(data: Data): unknown[] {
  const n = data.length;
  const out = new Array<unknown>(n);
  const type = data.type;
  switch (type.typeId) {
    case Type.Null:
      return out.fill(null);
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? getBit(bits, data.offset, i) : null;
      return out;
    }
    case Type.Int:
    case Type.Float: {
      const v = data.values as unknown as ArrayLike<number | bigint>;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? fromBig(v[i]) : null;
      return out;
    }
    case Type.Date: {
      const v = data.values as Int32Array;
      const perValue = type.typeId === Type.Date && (type as unknown as { unit: number }).unit === 0 ? 86_400_000 : 1;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? new Date(Number(v[i]) * perValue) : null;
      return out;
    }
    case Type.Timestamp: {
      const v = data.values as BigInt64Array;
      const unit = (type as Timestamp).unit;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? new Date(epochMillis(v[i], unit)) : null;
      return out;
    }
    case Type.Utf8: {
      const offsets = data.valueOffsets as Int32Array;
      const bytes = data.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? decoder.decode(bytes.subarray(offsets[i], offsets[i + 1])) : null;
      return out;
    }
    case Type.Decimal: {
      const words = data.values as Uint32Array;
      const scale = 10 ** (type as Decimal).scale;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? Number(decimalBigInt(words, i)) / scale : null;
      return out;
    }
    case Type.Dictionary: {
      const dict = columnValues((data as Data<Dictionary>).dictionary!.data[0] as Data);
      // A dictionary vector may have several chunks; Arrow JS keeps one for data we build.
      const keys = data.values as unknown as ArrayLike<number>;
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? dict[Number(keys[i])] : null;
      return out;
    }
    case Type.Struct: {
      const fields = (type as Struct).children;
      const children = data.children.map(columnValues);
      for (let i = 0; i < n; i++) {
        if (!isValid(data, i)) out[i] = null;
        else {
          const rec: Record<string, unknown> = {};
          fields.forEach((f, k) => setField(rec, f.name, children[k][i]));
          out[i] = rec;
        }
      }
      return out;
    }
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const child = columnValues(data.children[0]);
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? child.slice(offsets[i], offsets[i + 1]) : null;
      return out;
    }
    default: {
      // Rare types: fall back to Arrow's own getters.
      const vector = makeVector(data);
      for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? vector.get(i) : null;
      return out;
    }
  }
}

const PER_MILLI = [0n, 1n, 1000n, 1_000_000n];

/**
 * Milliseconds since the epoch of a timestamp in `unit` (0 s, 1 ms, 2 µs, 3 ns), rounded down as
 * Spark does. Integer arithmetic: through a double, nanoseconds lose up to a millisecond.
 */
function epochMillis(value: bigint, unit: number): number {
  if (unit === 0) return Number(value) * 1000;
  if (unit === 1) return Number(value);
  const per = PER_MILLI[unit];
  const q = value / per;
  return Number(value % per < 0n ? q - 1n : q);
}

function fromBig(x: number | bigint): number | bigint {
  if (typeof x !== 'bigint') return x;
  return x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(x) : x;
}

/** The signed 128-bit integer of decimal value `i` (four little-endian 32-bit words). */
export function decimalBigInt(words: Uint32Array, i: number): bigint {
  let x = 0n;
  for (let k = 3; k >= 0; k--) x = (x << 32n) | BigInt(words[i * 4 + k]);
  return words[i * 4 + 3] & 0x80000000 ? x - (1n << 128n) : x;
}
