import { Type, type Data, type DataType, type Decimal } from 'apache-arrow';
import { columnValues } from '../../src/columns/toValues.js';
import { isValid, mayHaveNulls } from '../../src/columns/bitmap.js';
import { logicalType, microsPerUnit } from '../../src/expr/typeRules.js';
import { decimalToBigInt, int32PairsOf, stringReader } from '../../src/expr/vectors.js';

/**
 * Row keys for hashing (Join, DropDuplicates): one JS value per row that a Map or Set compares
 * correctly. Numbers of any width become numbers (so an int32 key meets an int64 key), 64-bit
 * values beyond 2^53 and big decimals become their digits, dates become days, timestamps
 * microseconds, text stays text; nested values fall back to JSON.
 */
export type Key = number | string | null;

/** What a key column holds, for checking that two join keys can meet. */
export type KeyKind = 'number' | 'string' | 'bool' | 'date' | 'timestamp' | 'other';

export function keyKind(type: DataType): KeyKind {
  const t = logicalType(type);
  switch (t.typeId) {
    case Type.Int: case Type.Float: case Type.Decimal: return 'number';
    case Type.Utf8: case Type.LargeUtf8: return 'string';
    case Type.Bool: return 'bool';
    case Type.Date: return 'date';
    case Type.Timestamp: return 'timestamp';
    default: return 'other';
  }
}

const TWO_32 = 4294967296;
const SAFE_HI = 1 << 21; // |hi word| below 2^21 keeps hi * 2^32 + lo within 2^53

/** The keys of one column, null where the value is null. */
export function columnKeys(data: Data): Key[] {
  const n = data.length;
  const out = new Array<Key>(n);
  const type = data.type;
  switch (type.typeId) {
    case Type.Int: case Type.Float: case Type.Date: case Type.Timestamp: {
      const values = data.values as ArrayLike<number> | BigInt64Array | BigUint64Array;
      const scale = type.typeId === Type.Timestamp ? microsPerUnit(type) : type.typeId === Type.Date && (type as DataType & { unit: number }).unit === 1 ? 1 / 86_400_000 : 1;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        const pairs = int32PairsOf(values);
        const unsigned = values instanceof BigUint64Array;
        for (let i = 0; i < n; i++) {
          const hi = unsigned ? pairs[2 * i + 1] >>> 0 : pairs[2 * i + 1];
          out[i] = hi < SAFE_HI && hi > -SAFE_HI ? (hi * TWO_32 + (pairs[2 * i] >>> 0)) * scale : String(values[i]);
        }
        if (scale !== 1) for (let i = 0; i < n; i++) if (typeof out[i] === 'number') out[i] = Math.floor(out[i] as number);
      } else {
        // `+ 0` turns -0 into 0 so that both zeros meet.
        for (let i = 0; i < n; i++) out[i] = values[i] + 0;
        if (scale !== 1) for (let i = 0; i < n; i++) out[i] = Math.floor((out[i] as number) * scale);
      }
      break;
    }
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      for (let i = 0; i < n; i++) {
        const j = data.offset + i;
        out[i] = (bits[j >> 3] >> (j & 7)) & 1;
      }
      break;
    }
    case Type.Decimal: {
      const words = data.values as Uint32Array;
      const scale = (type as Decimal).scale;
      for (let i = 0; i < n; i++) {
        const unscaled = decimalToBigInt(words, i);
        const small = unscaled < 9007199254740992n && unscaled > -9007199254740992n;
        out[i] = small ? Number(unscaled) / 10 ** scale : `${unscaled}e-${scale}`;
      }
      break;
    }
    case Type.Utf8: case Type.Dictionary: {
      if (logicalType(type).typeId === Type.Utf8) {
        const read = stringReader(data);
        for (let i = 0; i < n; i++) out[i] = read(i);
        return out;
      }
      return jsonKeys(data);
    }
    default:
      return jsonKeys(data);
  }
  if (mayHaveNulls(data)) for (let i = 0; i < n; i++) if (!isValid(data, i)) out[i] = null;
  return out;
}

function jsonKeys(data: Data): Key[] {
  return columnValues(data).map((v) => (v == null ? null : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))));
}

/**
 * One key per row over several columns. Single columns keep their keys as they are; several
 * are joined with NUL. With `nullsMatch` (DropDuplicates) a null part is a value like any
 * other; without it (Join) a row with any null part has a null key and matches nothing.
 */
export function rowKeys(columns: readonly Data[], length: number, nullsMatch: boolean): Key[] {
  if (columns.length === 1) return columnKeys(columns[0]);
  const parts = columns.map(columnKeys);
  const out = new Array<Key>(length);
  for (let i = 0; i < length; i++) {
    let key = '';
    let isNull = false;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k][i];
      if (part === null) {
        if (!nullsMatch) {
          isNull = true;
          break;
        }
        key += '\u0001';
      } else key += (typeof part === 'number' ? 'n' : 's') + part;
      key += '\u0000';
    }
    out[i] = isNull ? null : key;
  }
  return out;
}
