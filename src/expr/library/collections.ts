import { Field, Int32, List, Struct, Type, makeData, type Data, type DataType, type Map_ } from 'apache-arrow';
import type { ExprNode } from '../ast.js';
import { asColumn, column, type Operand, scalar } from '../operand.js';
import { describeType, isNullType, isNumericType, mergeType, sameType } from '../typeRules.js';
import { castOperand } from '../kernels/castOperand.js';
import { bitIsSet, validityOf } from '../vectors.js';
import { columnFromValues } from '../../columns/fromValues.js';
import { columnValues } from '../../columns/toValues.js';
import { BOOL, define, type FunctionDef, INT32, literalArg, UTF8, VARIADIC } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * Arrays, maps and structs with Spark's semantics. Lengths and map entries are read straight
 * from Arrow offsets (size, map_keys, map_values, struct); the functions that look at elements
 * (sort, distinct, contains, join) convert one batch's elements to JS values once and build the
 * result column from them.
 */

const isList = (t: DataType) => t.typeId === Type.List;
const isMap = (t: DataType) => t.typeId === Type.Map;
const elementType = (t: DataType): DataType => (t as List).valueType;

function expectList(fn: string, position: number, t: DataType): void {
  if (!isList(t) && !isNullType(t)) throw new SluiceError(`${fn}: argument ${position} must be an array, got ${describeType(t)}`);
}

const listOf = (t: DataType) => new List(new Field('element', t, true));

/** The values of each argument for one batch (JS values: null, numbers, strings, Dates, arrays, objects). */
const valuesOf = (args: Operand[], length: number): unknown[][] => args.map((a) => columnValues(asColumn(a, length)));

/** Equality and order keys for JS element values: Dates by time, the rest as they are. */
const keyOf = (v: unknown): unknown => (v instanceof Date ? v.getTime() : typeof v === 'object' && v !== null ? JSON.stringify(v, bigintJson) : v);
const bigintJson = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** Spark's element order: numbers numerically, strings by UTF-8 bytes (code points), booleans false < true. */
function compareValues(a: unknown, b: unknown): number {
  const x = keyOf(a);
  const y = keyOf(b);
  if (typeof x === 'string' && typeof y === 'string') return Buffer.compare(Buffer.from(x), Buffer.from(y));
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  if (typeof x === 'number' && typeof y === 'number' && (Number.isNaN(x) || Number.isNaN(y))) return Number(Number.isNaN(x)) - Number(Number.isNaN(y)); // NaN is largest
  return x! < y! ? -1 : x! > y! ? 1 : 0;
}

/** size(x): elements of an array or entries of a map, from the offsets; NULL → -1 (Spark's default, non-ANSI). */
const size = define({
  name: 'size', aliases: ['cardinality'], category: 'collection', signature: 'size(x: array | map) → int',
  description: 'The number of elements of an array or entries of a map; -1 for NULL (Spark\'s legacy default).',
  args: ['any'], result: (types) => {
    if (!isList(types[0]) && !isMap(types[0]) && !isNullType(types[0])) throw new SluiceError(`size: argument 1 must be an array or a map, got ${describeType(types[0])}`);
    return INT32;
  },
  evaluate([x], length) {
    if (x.kind === 'scalar') return scalar(INT32, -1);
    const data = x.data;
    const offsets = data.valueOffsets as Int32Array;
    const validity = validityOf(data);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) out[i] = validity && !bitIsSet(validity, i) ? -1 : offsets[i + 1] - offsets[i];
    return column(makeData({ type: new Int32(), length, data: out }) as Data);
  },
});

const array = define({
  name: 'array', category: 'collection', signature: 'array(a, b, ...) → array',
  description: 'An array of the arguments (nulls kept), of their common type; array() is an empty array of strings.',
  args: ['any'], min: 0, max: VARIADIC,
  result: (types) => listOf(commonType('array', types) ?? UTF8),
  evaluate(args, length, type) {
    const t = elementType(type);
    const values = valuesOf(args.map((a) => castTo(a, t, length)), length);
    const out = new Array<unknown[]>(length);
    for (let i = 0; i < length; i++) out[i] = values.map((v) => v[i]);
    return column(columnFromValues(type, out));
  },
});

function commonType(fn: string, types: DataType[]): DataType | undefined {
  let acc: DataType | undefined;
  for (const t of types) {
    if (isNullType(t)) continue;
    const merged = !acc || sameType(acc, t) ? (acc ?? t) : mergeType(acc, t);
    if (!merged) throw new SluiceError(`${fn}: the arguments have no common type (${describeType(acc!)} and ${describeType(t)})`);
    acc = merged;
  }
  return acc;
}

function castTo(op: Operand, type: DataType, length: number): Operand {
  const from = op.kind === 'column' ? op.data.type : op.type;
  if (from.typeId === type.typeId && !isNumericType(from)) return op;
  return castOperand(op, type, length);
}

/** A per-row function over whole JS values of the arguments; a null first argument gives null. */
function rowValues(args: Operand[], length: number, type: DataType, fn: (row: unknown[], i: number) => unknown): Operand {
  const values = valuesOf(args, length);
  const out = new Array<unknown>(length);
  const row = new Array<unknown>(args.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < values.length; k++) row[k] = values[k][i];
    out[i] = row[0] === null ? null : fn(row, i);
  }
  return column(columnFromValues(type, out));
}

const arrayContains = define({
  name: 'array_contains', category: 'collection', signature: 'array_contains(a: array, v) → boolean',
  description: 'True when the array holds v; NULL when it does not but holds a NULL, or when a or v is NULL.',
  args: ['any', 'any'], result: (types) => (expectList('array_contains', 1, types[0]), BOOL),
  evaluate([a, v], length, type) {
    return rowValues([a, v], length, type, ([items, value]) => {
      if (value === null) return null;
      const key = keyOf(value);
      let sawNull = false;
      for (const item of items as unknown[]) {
        if (item === null) sawNull = true;
        else if (keyOf(item) === key || (typeof item === 'number' && typeof value === 'bigint' && BigInt(item) === value)) return true;
      }
      return sawNull ? null : false;
    });
  },
});

const elementAt = define({
  name: 'element_at', category: 'collection', signature: 'element_at(a: array, i: int) | element_at(m: map, key) → element',
  description: 'The i-th element (1-based; negative counts from the end; NULL when out of range), or the value of a map key.',
  args: ['any', 'any'],
  result(types) {
    if (isMap(types[0])) return mapEntry(types[0]).children[1].type;
    expectList('element_at', 1, types[0]);
    return isNullType(types[0]) ? UTF8 : elementType(types[0]);
  },
  evaluate([a, i], length, type) {
    if (a.kind === 'column' && isMap(a.data.type)) return mapLookup(a.data, i, length, type);
    return rowValues([a, i], length, type, ([items, index]) => {
      if (index === null) return null;
      const list = items as unknown[];
      const n = Number(index);
      if (n === 0) throw new SluiceError('element_at: SQL array indices start at 1');
      const at = n > 0 ? n - 1 : list.length + n;
      return at >= 0 && at < list.length ? list[at] : null;
    });
  },
});

const mapEntry = (t: DataType): Struct => (t as Map_).children[0].type as Struct;

function mapLookup(data: Data, key: Operand, length: number, type: DataType): Operand {
  const entries = data.children[0];
  const keys = columnValues(entries.children[0]);
  const values = columnValues(entries.children[1]);
  const wanted = columnValues(asColumn(key, length));
  const offsets = data.valueOffsets as Int32Array;
  const validity = validityOf(data);
  const out = new Array<unknown>(length).fill(null);
  for (let i = 0; i < length; i++) {
    if ((validity && !bitIsSet(validity, i)) || wanted[i] === null) continue;
    const k = keyOf(wanted[i]);
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      if (keyOf(keys[e]) === k) { out[i] = values[e]; break; }
    }
  }
  return column(columnFromValues(type, out));
}

const sortArray = define({
  name: 'sort_array', category: 'collection', signature: 'sort_array(a: array, ascending: boolean = true) → array',
  description: 'The array sorted; NULL elements first ascending, last descending.',
  args: ['any', 'bool'], min: 1, result: (types) => (expectList('sort_array', 1, types[0]), types[0]),
  evaluate([a, asc], length, type) {
    const ascending = literalArg(asc, 'sort_array', 'the order') ?? true;
    return rowValues([a], length, type, ([items]) => {
      const sorted = [...(items as unknown[])].sort((x, y) => (x === null ? (y === null ? 0 : -1) : y === null ? 1 : compareValues(x, y)));
      return ascending ? sorted : sorted.reverse();
    });
  },
});

const arrayDistinct = define({
  name: 'array_distinct', category: 'collection', signature: 'array_distinct(a: array) → array',
  description: 'The distinct elements, in order of first appearance (one NULL kept).',
  args: ['any'], result: (types) => (expectList('array_distinct', 1, types[0]), types[0]),
  evaluate([a], length, type) {
    return rowValues([a], length, type, ([items]) => {
      const seen = new Set<unknown>();
      return (items as unknown[]).filter((v) => {
        const k = keyOf(v);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    });
  },
});

const flatten = define({
  name: 'flatten', category: 'collection', signature: 'flatten(a: array<array>) → array',
  description: 'The inner arrays concatenated; NULL when any inner array is NULL.',
  args: ['any'],
  result(types) {
    expectList('flatten', 1, types[0]);
    if (isNullType(types[0])) return listOf(UTF8);
    const inner = elementType(types[0]);
    if (!isList(inner)) throw new SluiceError(`flatten: argument 1 must be an array of arrays, got ${describeType(types[0])}`);
    return inner;
  },
  evaluate([a], length, type) {
    return rowValues([a], length, type, ([items]) => {
      const inner = items as (unknown[] | null)[];
      return inner.some((x) => x === null) ? null : inner.flat();
    });
  },
});

const slice = define({
  name: 'slice', category: 'collection', signature: 'slice(a: array, start: int, length: int) → array',
  description: 'length elements from start (1-based; negative counts from the end).',
  args: ['any', 'number', 'number'], result: (types) => (expectList('slice', 1, types[0]), types[0]),
  evaluate([a, start, len], length, type) {
    return rowValues([a, start, len], length, type, ([items, s, n]) => {
      if (s === null || n === null) return null;
      const list = items as unknown[];
      const from = Number(s);
      const count = Number(n);
      if (from === 0) throw new SluiceError('slice: SQL array indices start at 1, or from the end when negative; got 0');
      if (count < 0) throw new SluiceError(`slice: the length must be >= 0, got ${count}`);
      const begin = from > 0 ? from - 1 : list.length + from;
      return begin < 0 ? [] : list.slice(begin, begin + count);
    });
  },
});

const arrayJoin = define({
  name: 'array_join', category: 'collection', signature: 'array_join(a: array, delimiter: string, nullReplacement?: string) → string',
  description: 'The elements as text joined by delimiter; NULL elements skipped unless nullReplacement is given.',
  args: ['any', 'string', 'string'], min: 2, result: (types) => (expectList('array_join', 1, types[0]), UTF8),
  evaluate(args, length, type) {
    const listType = args[0].kind === 'column' ? args[0].data.type : undefined;
    const text = elementText(listType && isList(listType) ? elementType(listType) : UTF8);
    return rowValues(args, length, type, ([items, delimiter, replacement]) => {
      if (delimiter === null) return null;
      const parts: string[] = [];
      for (const item of items as unknown[]) {
        if (item !== null) parts.push(text(item));
        else if (args.length > 2) {
          if (replacement === null) return null;
          parts.push(String(replacement));
        }
      }
      return parts.join(String(delimiter));
    });
  },
});

/** An element as Spark's CAST(... AS STRING) writes it. */
function elementText(type: DataType): (v: unknown) => string {
  if (type.typeId === Type.Date) return (v) => (v as Date).toISOString().slice(0, 10);
  if (type.typeId === Type.Timestamp) return (v) => (v as Date).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  return (v) => String(v);
}

/** Spark's name of a struct field built from an argument: a column's name, else `col<n>`. */
function fieldName(node: ExprNode | undefined, index: number): string {
  if (node?.kind === 'col' || node?.kind === 'field') return node.name;
  return `col${index + 1}`;
}

const struct = define({
  name: 'struct', category: 'collection', signature: 'struct(a, b, ...) → struct',
  description: 'A struct of the arguments; a column keeps its name as the field name, other expressions are col1, col2, ….',
  args: ['any'], min: 1, max: VARIADIC,
  result: (types, nodes) => new Struct(types.map((t, i) => new Field(fieldName(nodes?.[i], i), isNullType(t) ? UTF8 : t, true))),
  evaluate: (args, length, type) => structOf(args, length, type as Struct),
});

const namedStruct = define({
  name: 'named_struct', category: 'collection', signature: "named_struct('name1', v1, 'name2', v2, ...) → struct",
  description: 'A struct with the given field names and values.',
  args: ['string', 'any'], min: 2, max: VARIADIC,
  result(types, nodes) {
    if (types.length % 2 !== 0) throw new SluiceError(`named_struct takes name, value pairs; got ${types.length} arguments`);
    const fields: Field[] = [];
    for (let k = 0; k < types.length; k += 2) {
      const name = nodes?.[k];
      if (!name || name.kind !== 'lit' || typeof name.value !== 'string') throw new SluiceError(`named_struct: argument ${k + 1} must be a string literal (a field name)`);
      fields.push(new Field(name.value, isNullType(types[k + 1]) ? UTF8 : types[k + 1], true));
    }
    return new Struct(fields);
  },
  evaluate: (args, length, type) => structOf(args.filter((_a, k) => k % 2 === 1), length, type as Struct),
});

/** A struct column whose children are the argument columns as they are (no copy). */
function structOf(args: Operand[], length: number, type: Struct): Operand {
  const children = args.map((a, k) => {
    const data = asColumn(castTo(a, type.children[k].type, length), length);
    return data.type.typeId === type.children[k].type.typeId ? data : columnFromValues(type.children[k].type, columnValues(data));
  });
  const fields = type.children.map((f, k) => new Field(f.name, children[k].type, true));
  return column(makeData({ type: new Struct(fields), length, nullCount: 0, children }) as Data);
}

function mapPart(name: 'map_keys' | 'map_values', part: 0 | 1): FunctionDef {
  return define({
    name, category: 'collection', signature: `${name}(m: map) → array`,
    description: part === 0 ? 'The keys of a map, as an array in entry order.' : 'The values of a map, as an array in entry order.',
    args: ['any'],
    result(types) {
      if (!isMap(types[0])) throw new SluiceError(`${name}: argument 1 must be a map, got ${describeType(types[0])}`);
      return listOf(mapEntry(types[0]).children[part].type);
    },
    evaluate([m], length, type) {
      if (m.kind === 'scalar') return scalar(type, null);
      // The map's offsets and the entries' key or value column make the array: no copy.
      const data = m.data;
      const child = data.children[0].children[part];
      return column(makeData({
        type: new List(new Field('element', child.type, true)), offset: data.offset, length, nullCount: data.nullCount,
        nullBitmap: data.nullBitmap, valueOffsets: data.valueOffsets, child,
      }) as Data);
    },
  });
}

export const COLLECTIONS: FunctionDef[] = [
  size, array, arrayContains, elementAt, sortArray, arrayDistinct, flatten, slice, arrayJoin, struct, namedStruct,
  mapPart('map_keys', 0), mapPart('map_values', 1),
];
