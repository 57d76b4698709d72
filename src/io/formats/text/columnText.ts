import { DataType, DateUnit, TimeUnit, Type } from 'apache-arrow';
import type { Data, Decimal, Dictionary, Field, FixedSizeBinary, Int, Time, Timestamp } from 'apache-arrow';
import { getBit, isValid } from '../../../columns/bitmap.js';

/**
 * Per-row text of one column, for the text writers. `json` style gives JSON literals (strings
 * quoted, nested values as JSON, every integer as a JSON number); CSV style gives bare text
 * (nested values still as JSON). Nulls are `null`. Works column-wise over the buffers, no row
 * objects. `field` (when known) marks UUIDs: FixedSizeBinary(16) with Arrow's `arrow.uuid`
 * extension name, written in canonical 8-4-4-4-12 form; other binary is written as base64.
 *
 * Arrow JS slices value and offset buffers but not bitmaps: values are read at `i`, validity at
 * `offset + i` (through `isValid`), Bool bits at `offset + i`.
 */
export function columnText(data: Data, json: boolean, field?: Field): (string | null)[] {
  const n = data.length;
  const out: (string | null)[] = new Array(n);
  const type = data.type;
  const text = valueText(data, json, field);
  for (let i = 0; i < n; i++) out[i] = isValid(data, i) ? text(i) : null;
  if (type.typeId === Type.Null) out.fill(null);
  return out;
}

const decoder = new TextDecoder();

/** Arrow's canonical extension name for UUIDs (FixedSizeBinary(16)); the Parquet reader sets it. */
export const UUID_EXTENSION = 'arrow.uuid';
const isUuid = (field: Field | undefined) => field?.metadata.get('ARROW:extension:name') === UUID_EXTENSION;

/** A function giving the text of valid row `i`. */
function valueText(data: Data, json: boolean, field?: Field): (i: number) => string | null {
  const type = data.type;
  switch (type.typeId) {
    case Type.Null:
      return () => 'null';
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      return (i) => (getBit(bits, data.offset, i) ? 'true' : 'false');
    }
    case Type.Int: {
      // Every integer as a JSON number, past 2^53 too (as Spark): one JSON type per column, and
      // the exact digits for readers that parse int64 (DuckDB, Spark); JSON.parse rounds them.
      const values = data.values as ArrayLike<number | bigint>;
      return (i) => String(values[i]);
    }
    case Type.Float: {
      const values = data.values as Float64Array | Float32Array;
      // A float32 as its shortest text (0.1, not the double 0.10000000149011612), as Spark and DuckDB.
      const text = values instanceof Float32Array ? (i: number) => float32Text(values[i]) : (i: number) => String(values[i]);
      // JSON has no NaN or Infinity: write them as null there.
      return json ? (i) => (Number.isFinite(values[i]) ? text(i) : 'null') : text;
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
    case Type.Time:
      return quoted(json, timeText(data));
    case Type.Binary:
    case Type.LargeBinary:
      return quoted(json, binaryText(data));
    case Type.FixedSizeBinary:
      return quoted(json, isUuid(field) && (type as FixedSizeBinary).byteWidth === 16 ? uuidText(data) : fixedBinaryText(data));
    case Type.Utf8:
      return quoted(json, utf8Text(data));
    case Type.Dictionary: {
      const dictionary = (data as Data<Dictionary>).dictionary;
      const words = dictionary ? dictionary.data.flatMap((chunk) => columnText(chunk, json)) : [];
      const keys = data.values as ArrayLike<number | bigint>;
      return (i) => words[Number(keys[i])] ?? null;
    }
    case Type.Struct: {
      const names = type.children.map((child) => `${JSON.stringify(child.name)}:`);
      const children = data.children.map((child, c) => columnText(child, true, type.children[c]));
      return (i) => {
        let text = '{';
        for (let c = 0; c < children.length; c++) text += `${c ? ',' : ''}${names[c]}${children[c][i] ?? 'null'}`;
        return `${text}}`;
      };
    }
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const items = columnText(data.children[0], true, type.children[0]);
      return (i) => `[${items.slice(offsets[i], offsets[i + 1]).map((item) => item ?? 'null').join(',')}]`;
    }
    case Type.Map:
      return mapText(data);
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

function float32Text(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let digits = 1; digits < 9; digits++) {
    const short = Number(v.toPrecision(digits));
    if (Math.fround(short) === v) return String(short);
  }
  return String(v);
}

/** A map as a JSON object; keys as their text (a JSON object's keys are strings); a later duplicate key wins. */
function mapText(data: Data): (i: number) => string {
  const offsets = data.valueOffsets as Int32Array;
  const entries = data.children[0];
  const entryFields = entries.type.children as Field[];
  const keys = columnText(entries.children[0], false, entryFields[0]);
  const values = columnText(entries.children[1], true, entryFields[1]);
  return (i) => {
    let text = '{';
    for (let k = offsets[i]; k < offsets[i + 1]; k++) text += `${k > offsets[i] ? ',' : ''}${JSON.stringify(keys[k] ?? 'null')}:${values[k] ?? 'null'}`;
    return `${text}}`;
  };
}

/** Time of day as HH:MM:SS, with 3, 6 or 9 fraction digits for ms, µs and ns units (none for seconds). */
function timeText(data: Data): (i: number) => string {
  const unit = (data.type as Time).unit;
  const values = data.values as Int32Array | BigInt64Array;
  const per = [1, 1e3, 1e6, 1e9][unit];
  const digits = [0, 3, 6, 9][unit];
  return (i) => {
    const v = Number(values[i]);
    const seconds = Math.floor(v / per);
    const fraction = v - seconds * per;
    const hms = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((part) => String(part).padStart(2, '0')).join(':');
    return digits ? `${hms}.${String(fraction).padStart(digits, '0')}` : hms;
  };
}

function binaryText(data: Data): (i: number) => string {
  const offsets = data.valueOffsets as Int32Array | BigInt64Array;
  const bytes = data.values as Uint8Array;
  return (i) => Buffer.from(bytes.buffer, bytes.byteOffset + Number(offsets[i]), Number(offsets[i + 1]) - Number(offsets[i])).toString('base64');
}

function fixedBinaryText(data: Data): (i: number) => string {
  const width = (data.type as FixedSizeBinary).byteWidth;
  const bytes = data.values as Uint8Array;
  return (i) => Buffer.from(bytes.buffer, bytes.byteOffset + i * width, width).toString('base64');
}

function uuidText(data: Data): (i: number) => string {
  const bytes = data.values as Uint8Array;
  return (i) => {
    const hex = Buffer.from(bytes.buffer, bytes.byteOffset + i * 16, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
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
