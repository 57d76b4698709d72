import type { Data, DataType } from 'apache-arrow';
import { Utf8Keys, bitsAsBytes } from '../aggregate/KeyDictionary.js';
import { nullsOf, numbersOf, physicalOf, validBit, wordsOf } from '../aggregate/physical.js';

export interface SortKey {
  column: string;
  descending?: boolean;
  /** Defaults to Spark's: nulls first when ascending, last when descending. */
  nullsFirst?: boolean;
}

/** True when a column of `type` can be a sort key. */
export const isSortable = (type: DataType): boolean => physicalOf(type).kind !== 'unsupported';

/**
 * A sort key column as unsigned 32-bit digits, most significant first, such that comparing rows
 * digit by digit as unsigned integers gives the key's order: a null digit (when the column has
 * nulls) then the value's digits, inverted for descending. Signed integers flip their sign
 * bit, floats use IEEE bits (negatives inverted; -0 is 0; NaN is largest, as in Spark), text is
 * the rank of its value in UTF-8 byte (code point) order, computed once per distinct value.
 */
export function sortDigits(data: Data, key: SortKey): Uint32Array[] {
  const values = valueDigits(data);
  const nulls = nullsOf(data);
  const descending = key.descending === true;
  if (descending) for (const digit of values) for (let i = 0; i < digit.length; i++) digit[i] = ~digit[i];
  if (!nulls) return values;
  const nullsFirst = key.nullsFirst ?? !descending;
  const nullDigit = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const isNull = !validBit(nulls, data.offset, i);
    nullDigit[i] = isNull === nullsFirst ? 0 : 1;
    // Equal digits for every null keeps nulls in input order (the sort is stable).
    if (isNull) for (const digit of values) digit[i] = 0;
  }
  return [nullDigit, ...values];
}

function valueDigits(data: Data): Uint32Array[] {
  const n = data.length;
  const physical = physicalOf(data.type);
  switch (physical.kind) {
    case 'bool':
      return [Uint32Array.from(bitsAsBytes(data))];
    case 'number': {
      const values = numbersOf(data);
      if (physical.integer) {
        const signed = values instanceof Int8Array || values instanceof Int16Array || values instanceof Int32Array;
        const digit = new Uint32Array(n);
        for (let i = 0; i < n; i++) digit[i] = signed ? values[i] + 2147483648 : values[i];
        return [digit];
      }
      return floatDigits(values, n);
    }
    case 'words': {
      const width = physical.words;
      const words = wordsOf(data, width);
      const digits: Uint32Array[] = [];
      for (let k = width - 1; k >= 0; k--) {
        const digit = new Uint32Array(n);
        const flip = k === width - 1 && physical.signed ? 0x80000000 : 0;
        for (let i = 0; i < n; i++) digit[i] = words[i * width + k] ^ flip;
        digits.push(digit);
      }
      return digits;
    }
    case 'utf8':
      return [textRanks(data, physical.dictionary)];
    default:
      throw new Error(`cannot sort by type ${data.type}`);
  }
}

/** Two digits (high, low word) per float, ordered as the numbers are. */
function floatDigits(values: ArrayLike<number>, n: number): Uint32Array[] {
  const floats = Float64Array.from(values);
  for (let i = 0; i < n; i++) {
    const v = floats[i];
    if (v !== v) floats[i] = NaN; // one NaN, the positive quiet one
    else if (v === 0) floats[i] = 0;
  }
  const words = new Uint32Array(floats.buffer);
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1];
    const lo = words[2 * i];
    if (hi & 0x80000000) {
      high[i] = ~hi;
      low[i] = ~lo;
    } else {
      high[i] = hi | 0x80000000;
      low[i] = lo;
    }
  }
  return [high, low];
}

/** Each row's rank among the column's distinct values; only distinct values are compared. */
function textRanks(data: Data, dictionary: boolean): Uint32Array {
  const keys = new Utf8Keys(data.type, dictionary);
  const codes = new Int32Array(data.length);
  keys.encode(data, codes);
  const order = Int32Array.from({ length: keys.size }, (_, i) => i).sort((a, b) => keys.table.compare(a, b));
  const rank = new Uint32Array(keys.size);
  for (let r = 0; r < order.length; r++) rank[order[r]] = r;
  const digit = new Uint32Array(data.length);
  for (let i = 0; i < data.length; i++) digit[i] = rank[codes[i]];
  return digit;
}

