import { Type, type Data, type DataType, type Decimal, type List, type Struct, type Timestamp, TimeUnit } from 'apache-arrow';
import type { ExprNode } from '../ast.js';
import { asColumn, column, scalar } from '../operand.js';
import { castOperand } from '../kernels/castOperand.js';
import { bitIsSet, boolBitsOf, int32PairsOf, stringReader, Utf8Builder, validityOf } from '../vectors.js';
import { formatDate } from '../kernels/calendar.js';
import { columnFromValues } from '../../columns/fromValues.js';
import { decimalBigInt } from '../../columns/toValues.js';
import { parseType, typeName } from '../../types/typeNames.js';
import { describeType } from '../typeRules.js';
import { define, type FunctionDef, literalArg, UTF8 } from './define.js';
import { SluiceError } from '../../types/ErrorRecord.js';

/**
 * to_json, from_json and schema_of_json with Spark's defaults: null struct fields left out,
 * dates as yyyy-MM-dd and timestamps as yyyy-MM-dd'T'HH:mm:ss.SSSXXX (UTC), and PERMISSIVE
 * parsing — malformed JSON gives a struct of nulls, a value of the wrong type a null field.
 */

// ---- to_json ------------------------------------------------------------------------------

/** (row) → the JSON text of one value of a column; the caller handles null rows. */
function jsonWriter(data: Data): (i: number) => string {
  const valid = validityOf(data);
  const isNull = (i: number) => valid !== null && !bitIsSet(valid, i);
  const orNull = (write: (i: number) => string) => (i: number) => (isNull(i) ? 'null' : write(i));
  switch (data.typeId) {
    case Type.Null: return () => 'null';
    case Type.Bool: {
      const bits = boolBitsOf(data);
      return orNull((i) => String(bitIsSet(bits, i)));
    }
    case Type.Int: case Type.Date: case Type.Float: case Type.Timestamp: case Type.Decimal: case Type.Utf8: case Type.Dictionary:
      return orNull(scalarWriter(data));
    case Type.List: {
      const offsets = data.valueOffsets as Int32Array;
      const element = jsonWriter(data.children[0]);
      return orNull((i) => {
        const parts: string[] = [];
        for (let e = offsets[i]; e < offsets[i + 1]; e++) parts.push(element(e));
        return `[${parts.join(',')}]`;
      });
    }
    case Type.Struct: {
      const fields = (data.type as Struct).children.map((f, k) => ({ name: JSON.stringify(f.name), write: jsonWriter(data.children[k]), valid: validityOf(data.children[k]) }));
      return orNull((i) => `{${fields.filter((f) => !f.valid || bitIsSet(f.valid, i)).map((f) => `${f.name}:${f.write(i)}`).join(',')}}`);
    }
    case Type.Map: {
      const offsets = data.valueOffsets as Int32Array;
      const entries = data.children[0];
      const key = scalarWriter(entries.children[0]);
      const value = jsonWriter(entries.children[1]);
      return orNull((i) => {
        const parts: string[] = [];
        for (let e = offsets[i]; e < offsets[i + 1]; e++) {
          const k = key(e);
          parts.push(`${k.startsWith('"') ? k : JSON.stringify(k)}:${value(e)}`);
        }
        return `{${parts.join(',')}}`;
      });
    }
    default:
      throw new SluiceError(`to_json: cannot write a value of type ${typeName(data.type)}`);
  }
}

function scalarWriter(data: Data): (i: number) => string {
  const values = data.values as ArrayLike<number>;
  switch (data.typeId) {
    case Type.Int: {
      const big = data.values as unknown;
      if (big instanceof BigInt64Array || big instanceof BigUint64Array) return (i) => big[i].toString();
      return (i) => String(values[i]);
    }
    case Type.Float: return (i) => (Number.isFinite(values[i]) ? String(values[i]) : `"${values[i]}"`);
    case Type.Date: return (i) => `"${formatDate(values[i])}"`;
    case Type.Timestamp: {
      const pairs = int32PairsOf(data.values as BigInt64Array);
      const unit = (data.type as Timestamp).unit;
      const perMs = unit === TimeUnit.MICROSECOND ? 1000 : unit === TimeUnit.NANOSECOND ? 1e6 : unit === TimeUnit.SECOND ? 1e-3 : 1;
      return (i) => `"${new Date(Math.floor((pairs[2 * i + 1] * 4294967296 + (pairs[2 * i] >>> 0)) / perMs)).toISOString()}"`;
    }
    case Type.Decimal: {
      const scale = (data.type as Decimal).scale;
      const words = data.values as unknown as Uint32Array;
      return (i) => {
        const v = decimalBigInt(words, i);
        const digits = (v < 0n ? -v : v).toString().padStart(scale + 1, '0');
        const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
        return v < 0n ? `-${text}` : text;
      };
    }
    default: {
      const read = stringReader(asColumn(castOperand(column(data), UTF8, data.length), data.length));
      return (i) => JSON.stringify(read(i) ?? '');
    }
  }
}

const toJson = define({
  name: 'to_json', category: 'json', signature: 'to_json(x: struct | array | map) → string',
  description: 'x as JSON text: null struct fields left out, dates yyyy-MM-dd, timestamps ISO-8601 in UTC.',
  args: ['any'],
  result(types) {
    if (![Type.Struct, Type.List, Type.Map, Type.Null].includes(types[0].typeId)) throw new SluiceError(`to_json: argument 1 must be a struct, an array or a map, got ${describeType(types[0])}`);
    return UTF8;
  },
  evaluate([x], n) {
    if (x.kind === 'scalar') return scalar(UTF8, null);
    const write = jsonWriter(x.data);
    const valid = validityOf(x.data);
    const out = new Utf8Builder(n);
    for (let i = 0; i < n; i++) out.append(valid && !bitIsSet(valid, i) ? null : write(i));
    return column(out.finish());
  },
});

// ---- from_json ----------------------------------------------------------------------------

/** A Spark DDL schema ('a INT, b ARRAY<STRING>', 'STRUCT<a: INT>', 'array<int>') as a type. */
export function parseDdl(ddl: string): DataType {
  const text = ddl.trim().replace(/\b(array|struct|decimal)\s*([<(])/gi, (_m, w: string, b: string) => `${w.toLowerCase()}${b}`);
  if (/^(struct|array)</.test(text)) return parseType(text);
  const fields = splitTopLevel(text).map((part) => {
    const m = /^\s*(`(?:[^`]|``)+`|[^\s:]+)\s*:?\s+(.+?)\s*$/.exec(part);
    if (!m) throw new SluiceError(`from_json: cannot read the schema field '${part.trim()}'; write 'name TYPE, ...'`);
    const name = m[1].startsWith('`') ? m[1].slice(1, -1).replace(/``/g, '`') : m[1];
    return `${name}:${m[2]}`;
  });
  return parseType(`struct<${fields.join(',')}>`);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(') depth++;
    else if (c === '>' || c === ')') depth--;
    else if (c === ',' && depth === 0) (parts.push(text.slice(start, i)), (start = i + 1));
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

/** A parsed JSON value as a value of `type` for columnFromValues, or null when it does not fit. */
function fit(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Struct: {
      if (typeof value !== 'object' || Array.isArray(value)) return null;
      const out: Record<string, unknown> = {};
      for (const f of (type as Struct).children) out[f.name] = fit((value as Record<string, unknown>)[f.name], f.type);
      return out;
    }
    case Type.List: return Array.isArray(value) ? value.map((v) => fit(v, (type as List).valueType)) : null;
    case Type.Utf8: return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    case Type.Bool: return typeof value === 'boolean' ? value : null;
    case Type.Int: {
      if (typeof value !== 'number' || !Number.isInteger(value)) return null;
      const bits = (type as unknown as { bitWidth: number }).bitWidth;
      return bits === 64 || Math.abs(value) < 2 ** (bits - 1) ? value : null;
    }
    case Type.Float: case Type.Decimal: return typeof value === 'number' ? value : null;
    case Type.Date: case Type.Timestamp: return typeof value === 'string' && !Number.isNaN(Date.parse(value.replace(' ', 'T'))) ? value : null;
    default: return null;
  }
}

/** from_json's schema argument: a DDL string literal, or schema_of_json of a literal. */
function schemaOf(node: ExprNode | undefined): DataType {
  if (node?.kind === 'lit' && typeof node.value === 'string') return parseDdl(node.value);
  if (node?.kind === 'call' && node.fn.toLowerCase() === 'schema_of_json' && node.args[0]?.kind === 'lit' && typeof node.args[0].value === 'string') {
    return parseDdl(schemaOfJson(node.args[0].value));
  }
  throw new SluiceError("from_json: the schema must be a string literal such as 'a INT, b STRING' (or schema_of_json of a literal)");
}

const fromJson = define({
  name: 'from_json', category: 'json', signature: 'from_json(json: string, schema: string) → struct',
  description: "The JSON text parsed into the schema given as DDL ('a INT, b ARRAY<STRING>'); malformed text gives a struct of nulls, a value of the wrong type a null field (PERMISSIVE).",
  args: ['string', 'any'], result: (_types, nodes) => schemaOf(nodes?.[1]),
  evaluate([json], n, type) {
    const texts = asColumn(castOperand(json, UTF8, n), n);
    const read = texts.typeId === Type.Null ? () => null : stringReader(texts);
    const malformed = type.typeId === Type.Struct ? fit({}, type) : null;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const text = read(i);
      if (text === null) { out[i] = null; continue; }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        out[i] = malformed;
        continue;
      }
      out[i] = fit(parsed, type) ?? malformed;
    }
    return column(columnFromValues(type, out));
  },
});

// ---- schema_of_json -----------------------------------------------------------------------

/** Spark's inferred DDL of a JSON value: BIGINT, DOUBLE, STRING, BOOLEAN, ARRAY<…>, STRUCT<…> with fields by name. */
export function schemaOfJson(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SluiceError(`schema_of_json: the argument is not JSON (${(e as Error).message})`);
  }
  return ddlOf(inferJson(value));
}

type Inferred = 'BIGINT' | 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'NULL' | { array: Inferred } | { struct: Map<string, Inferred> };

function inferJson(v: unknown): Inferred {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (typeof v === 'number') return Number.isInteger(v) ? 'BIGINT' : 'DOUBLE';
  if (typeof v === 'string') return 'STRING';
  if (Array.isArray(v)) return { array: v.map(inferJson).reduce(mergeInferred, 'NULL') };
  const fields = new Map<string, Inferred>();
  for (const [k, x] of Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) fields.set(k, inferJson(x));
  return { struct: fields };
}

function mergeInferred(a: Inferred, b: Inferred): Inferred {
  if (a === 'NULL') return b;
  if (b === 'NULL') return a;
  if (a === b) return a;
  if ((a === 'BIGINT' && b === 'DOUBLE') || (a === 'DOUBLE' && b === 'BIGINT')) return 'DOUBLE';
  if (typeof a === 'object' && typeof b === 'object') {
    if ('array' in a && 'array' in b) return { array: mergeInferred(a.array, b.array) };
    if ('struct' in a && 'struct' in b) {
      const fields = new Map(a.struct);
      for (const [k, t] of b.struct) fields.set(k, fields.has(k) ? mergeInferred(fields.get(k)!, t) : t);
      return { struct: new Map([...fields].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) };
    }
  }
  return 'STRING';
}

function ddlOf(t: Inferred): string {
  if (t === 'NULL') return 'STRING';
  if (typeof t === 'string') return t;
  if ('array' in t) return `ARRAY<${ddlOf(t.array)}>`;
  return `STRUCT<${[...t.struct].map(([k, f]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `\`${k.replace(/`/g, '``')}\``}: ${ddlOf(f)}`).join(', ')}>`;
}

const schemaOfJsonDef = define({
  name: 'schema_of_json', category: 'json', signature: 'schema_of_json(json: string literal) → string',
  description: "The schema Spark infers for a JSON value, as DDL: 'STRUCT<a: BIGINT, b: ARRAY<STRING>>' (fields by name; integers BIGINT, fractions DOUBLE).",
  args: ['string'], result: UTF8,
  evaluate([json]) {
    const text = literalArg(json, 'schema_of_json', 'the JSON');
    return scalar(UTF8, text === null ? null : schemaOfJson(String(text)));
  },
});

export const JSON_CONVERT: FunctionDef[] = [toJson, fromJson, schemaOfJsonDef];
