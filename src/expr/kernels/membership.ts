import { Bool, DataType, Type } from 'apache-arrow';
import { column, type Operand, type Scalar, scalar, typeOf } from '../operand.js';
import { comparisonType, describeType, isNullType, isStringType } from '../typeRules.js';
import { bitmapBytes, dictionaryIndicesOf, makeBool, numbersOf, stringReader, validityOf } from '../vectors.js';
import { castOperand } from './castOperand.js';
import { setBitsFromIndices } from './compare.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * `x [NOT] IN (literal, ...)` as one hash lookup per row (per dictionary entry for dictionary
 * columns). SQL semantics: null when x is null, or when x matches nothing and the list holds a
 * null; NOT IN negates only the definite answers.
 */
export function isIn(value: Operand, list: Operand[], negated: boolean, length: number): Operand {
  let type: DataType | undefined = typeOf(value);
  for (const item of list) {
    type = type && comparisonType(type, typeOf(item));
    if (!type) throw new SluiceError(`IN: cannot compare ${describeType(typeOf(value))} with ${describeType(typeOf(item))}`);
  }
  const items = list.map((item) => castOperand(item, type!, 1) as { kind: 'scalar'; value: Scalar });
  const listHasNull = items.some((item) => item.value === null);
  const keys = new Set<string | number>();
  for (const item of items) if (item.value !== null) keys.add(keyOf(item.value));
  const x = isNullType(type!) ? value : castOperand(value, type!, length);
  if (x.kind === 'scalar') {
    if (x.value === null) return scalar(new Bool(), null);
    if (keys.has(keyOf(x.value))) return scalar(new Bool(), !negated);
    return scalar(new Bool(), listHasNull ? null : negated);
  }
  const data = x.data;
  if (data.typeId === Type.Null) return scalar(new Bool(), null);
  const found = new Uint8Array(bitmapBytes(length));
  if (isStringType(data.type)) {
    if (data.typeId === Type.Dictionary) {
      const dictionary = data.dictionary!.data[0];
      const read = stringReader(dictionary);
      const matches = new Uint8Array(dictionary.length);
      for (let k = 0; k < dictionary.length; k++) {
        const s = read(k);
        matches[k] = s !== null && keys.has(s) ? 1 : 0;
      }
      setBitsFromIndices(dictionaryIndicesOf(data), matches, found, length);
    } else {
      const read = stringReader(data);
      for (let i = 0; i < length; i++) {
        const s = read(i);
        if (s !== null && keys.has(s)) found[i >> 3] |= 1 << (i & 7);
      }
    }
  } else {
    const numbers = numbersOf(data);
    for (let i = 0; i < length; i++) if (keys.has(numbers[i])) found[i >> 3] |= 1 << (i & 7);
  }
  // Definite rows: x valid and (found, or no null in the list).
  const validity = validityOf(data) ?? new Uint8Array(bitmapBytes(length)).fill(0xff);
  const bits = new Uint8Array(found.length);
  const valid = new Uint8Array(found.length);
  for (let k = 0; k < found.length; k++) {
    valid[k] = validity[k] & (listHasNull ? found[k] : 0xff);
    bits[k] = negated ? ~found[k] : found[k];
  }
  return column(makeBool(length, bits, valid));
}

/** Set keys: strings as themselves, everything else (bool, numbers, bigint, dates) as a number. */
const keyOf = (v: Exclude<Scalar, null>): string | number =>
  typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
