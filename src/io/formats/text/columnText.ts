import { DataType, DateUnit, TimeUnit, Type } from 'apache-arrow';
import type { Data, Decimal, Dictionary, Int, Timestamp } from 'apache-arrow';
import { getBit, isValid } from '../../../columns/bitmap.js';

/**
 * Per-row text of one column, for the text writers. `json` style gives JSON literals (strings
 * quoted, nested values as JSON, int64 past 2^53 as strings); CSV style gives bare text (nested
 * values still as JSON). Nulls are `null`. Works column-wise over the buffers, no row objects.
 *
 * Arrow JS slices value and offset buffers but not bitmaps: values are read at `i`, validity at
 * `offset + i` (through `isValid`), Bool bits at `offset + i`.
 */
export function columnText(data: Data, json: boolean): (string | null)[] {
  const n = data.length;
  const out: (string | null)[] = new Array(n);
  const type = data.type;
  const text = valueText(data, json);
  for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? text(i) : null;
  if (type.typeId === Type.Null) out.fill(null);
  return out;
}

const decoder = new TextDecoder();
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A function giving the text of valid row `i`. */
function valueText(data: Data, json: boolean): (i: number) => string | null {
  const type = data.type;
  switch (type.typeId) {
    case Type.Null:
      return () => 'null';
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      return (i) => (getBit(bits, data.offset, i) ? 'true' : 'false');
    }
    case Type.Int: {
      const values = data.values as ArrayLike<number | bigint>;
      if ((type as Int).bitWidth < 64) return (i) => String(values[i]);
      return (i) => {
        const v = values[i] as bigint;
        return json && (v > MAX_SAFE || v < -MAX_SAFE) ? `"${v}"` : String(v);
      };
    }
    case Type.Float: {
      const values = data.values as Float64Array | Float32Array;
      // JSON has no NaN or Infinity: write them as null there.
      return json ? (i) => (Number.isFinite(values[i]) ? String(values[i]) : 'null') : (i) => String(values[i]);
    }
    case Type.Decimal:
      return decimalText(data);
    case Type.Date: {
      const values = data.values as Int32Array | BigInt64Array;
      const msPer = (type as unknown as { unit: DateUnit }).unit === DateUnit.DAY ? 86_400_000 : 1;
      return quoted(json, (i) => new Date(Number(values[i]) * msPer).toISOString().slice(0, 10));
    }
    case Type.Timestamp:
      return quoted(json, timestampText(data));
    case Type.Utf8:
      return quoted(json, utf8Text(data));
    case Type.Dictionary: {
      const dictionary = (data as Data<Dictionary>).dictionary;
      const words = dictionary ? dictionary.data.flatMap((chunk) => columnText(chunk, json)) : [];
      const keys = data.values as ArrayLike<number | bigint>;
      return (i) => words[Number(keys[i])] ?? null;
    }
    case Type.Struct: {
      const names = type.children.map((field) => `${JSON.stringify(field.name)}:`);
      const children = data.children.map((child) => columnText(child, true));
      return (i) => {
        let text = '{';
        for (let c = 0; c < children.length; c++) text += `${c ? ',' : ''}${names[c]}${children[c][i] ?? 'null'}`;
        return `${text}}`;
      };
    }
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const items = columnText(data.children[0], true);
      return (i) => `[${items.slice(offsets[i], offsets[i + 1]).map((item) => item ?? 'null').join(',')}]`;
    }
    default:
      return () => {
        throw new Error(`The text writers cannot write ${String(type)}; cast the column first`);
      };
  }
}

const quoted = (json: boolean, text: (i: number) => string) => (json ? (i: number) => JSON.stringify(text(i)) : text);

function utf8Text(data: Data): (i: number) => string {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  const start = offsets[0];
  const end = offsets[data.length];
  // One decode for the whole buffer when it is ASCII (byte offsets are then char offsets).
  let ascii = true;
  for (let k = start; k < end; k++) if (bytes[k] > 0x7f) { ascii = false; break; }
  if (ascii) {
    const all = decoder.decode(bytes.subarray(start, end));
    return (i) => all.slice(offsets[i] - start, offsets[i + 1] - start);
  }
  return (i) => decoder.decode(bytes.subarray(offsets[i], offsets[i + 1]));
}

function timestampText(data: Data): (i: number) => string {
  const values = data.values as BigInt64Array;
  const unit = (data.type as Timestamp).unit;
  const perMs = [1e-3, 1, 1e3, 1e6][unit];
  return (i) => {
    const v = values[i];
    if (unit === TimeUnit.SECOND || unit === TimeUnit.MILLISECOND) return new Date(Number(v) * (unit === TimeUnit.SECOND ? 1000 : 1)).toISOString();
    // Sub-millisecond units: ISO with 6 (µs) or 9 (ns) fraction digits.
    const per = BigInt(perMs);
    let ms = v / per;
    let rest = v % per;
    if (rest < 0n) {
      rest += per;
      ms -= 1n;
    }
    const iso = new Date(Number(ms)).toISOString();
    const digits = unit === TimeUnit.MICROSECOND ? 3 : 6;
    return `${iso.slice(0, 23)}${rest.toString().padStart(digits, '0')}Z`;
  };
}

function decimalText(data: Data): (i: number) => string {
  const { scale, bitWidth } = data.type as Decimal;
  const words = data.values as Uint32Array;
  const stride = bitWidth / 32;
  return (i) => {
    let unscaled = 0n;
    for (let w = stride - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[i * stride + w]);
    unscaled = BigInt.asIntN(bitWidth, unscaled);
    const negative = unscaled < 0n;
    const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${digits.slice(digits.length - scale)}` : ''}`;
  };
}
