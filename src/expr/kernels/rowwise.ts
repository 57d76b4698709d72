import { Data, DataType, Dictionary, Int32, Type, Utf8 } from 'apache-arrow';
import { column, type Operand, rowReader, type Scalar, scalar } from '../operand.js';
import { bitIsSet, bitmapBytes, dictionaryIndicesOf, makeResult, Utf8Builder, validityOf } from '../vectors.js';
import { ColumnWriter } from './columnWriter.js';

/**
 * Runs a per-value function over rows, for functions with no typed-array formulation (string
 * functions, parsing with a format). When the first argument is a dictionary column and the
 * others are literals, the function runs once per distinct value and a string result keeps the
 * row indices: lower(country) over 2M rows does a handful of calls.
 */
export function mapRows(args: Operand[], length: number, outType: DataType, fn: (values: Scalar[]) => Scalar): Operand {
  if (args.every((a) => a.kind === 'scalar')) {
    return scalar(outType, fn(args.map((a) => (a as { value: Scalar }).value)));
  }
  const first = args[0];
  if (first.kind === 'column' && first.data.typeId === Type.Dictionary && args.slice(1).every((a) => a.kind === 'scalar')) {
    return column(mapDictionary(first.data, args, outType, fn));
  }
  const readers = args.map(rowReader);
  const values: Scalar[] = new Array(args.length);
  const out = new ColumnWriter(outType, length);
  for (let i = 0; i < length; i++) {
    for (let a = 0; a < readers.length; a++) values[a] = readers[a](i);
    out.write(i, fn(values));
  }
  return column(out.finish());
}

function mapDictionary(data: Data, args: Operand[], outType: DataType, fn: (values: Scalar[]) => Scalar): Data {
  const dictionary = data.dictionary!.data[0];
  const rest = args.slice(1).map((a) => (a as { value: Scalar }).value);
  const read = rowReader(column(dictionary));
  const entries: Scalar[] = new Array(dictionary.length);
  for (let k = 0; k < dictionary.length; k++) {
    const v = read(k);
    entries[k] = fn([v, ...rest]);
  }
  const indices = dictionaryIndicesOf(data);
  const validity = validityOf(data);
  const n = data.length;
  if (outType.typeId === Type.Utf8) {
    const outValid = new Uint8Array(bitmapBytes(n));
    for (let i = 0; i < n; i++) {
      if ((!validity || bitIsSet(validity, i)) && entries[indices[i]] !== null) outValid[i >> 3] |= 1 << (i & 7);
    }
    const builder = new Utf8Builder(entries.length);
    for (const e of entries) builder.append(e === null ? '' : String(e));
    const newIndices = new Int32Array(n);
    for (let i = 0; i < n; i++) newIndices[i] = indices[i];
    return makeResult(new Dictionary(new Utf8(), new Int32()), n, outValid, { data: newIndices, dictionary: builder.finish() });
  }
  const out = new ColumnWriter(outType, n);
  for (let i = 0; i < n; i++) out.write(i, validity && !bitIsSet(validity, i) ? null : entries[indices[i]]);
  return out.finish();
}
