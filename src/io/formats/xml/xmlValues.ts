import { Bool, DataType, Field, Float64, Int32, Int64, List, Null, Struct, Type, Utf8 } from 'apache-arrow';
import { XMLParser } from 'fast-xml-parser';
import { mergeTypes } from '../json/inferJsonSchema.js';
import { isObject } from '../json/jsonPath.js';

/** How attributes and element text are named, as Glue's (spark-xml's) options name them. */
export interface XmlNaming {
  rowTag: string;
  /** Prefix of attribute fields (default `_`). */
  attributePrefix: string;
  /** The field holding an element's text when it also has attributes (default `_VALUE`). */
  valueTag: string;
}

/** A parser that keeps every value as text: sluice types the texts itself (see `typeOfXmlValue`). */
export function rowParser(naming: XmlNaming): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: naming.attributePrefix,
    textNodeName: naming.valueTag,
    parseTagValue: false,
    parseAttributeValue: false,
  });
}

/**
 * Parses one row element's text into a record: attributes become `_name` fields, child elements
 * fields (repeated ones arrays), text beside attributes `_VALUE`. Throws on malformed XML.
 */
export function parseRow(parser: XMLParser, naming: XmlNaming, text: string): Record<string, unknown> {
  const document: unknown = parser.parse(text, true);
  const row = isObject(document) ? document[naming.rowTag] : undefined;
  if (isObject(row)) return row;
  if (typeof row === 'string' && row !== '') return { [naming.valueTag]: row };
  return {};
}

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Element paths (`items.item`) that hold more than one element in some record. */
export function repeatedPaths(records: Iterable<unknown>): Set<string> {
  const paths = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      paths.add(path);
      for (const item of value) walk(item, path);
    } else if (isObject(value)) for (const key of Object.keys(value)) walk(value[key], path ? `${path}.${key}` : key);
  };
  for (const record of records) walk(record, '');
  return paths;
}

/**
 * The type a text suggests: integers int32 (int64 when larger), other numbers float64, `true` /
 * `false` bool, anything else utf8; an empty element is null. Paths in `repeated` are lists even
 * where a record has one element, so one and many merge to a list. Fields come attributes first,
 * then the text (`_VALUE`), then child elements, each in document order.
 */
export function typeOfXmlValue(value: unknown, repeated: Set<string>, naming: XmlNaming, path = ''): DataType {
  if (repeated.has(path) && path !== '') {
    const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
    let element: DataType = new Null();
    for (const item of items) element = mergeTypes(element, typeOfXmlValue(item, repeated, naming, `${path}[]`));
    return new List(new Field('item', element, true));
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort((a, b) => fieldRank(a, naming) - fieldRank(b, naming)); // stable: document order within a rank
    return new Struct(keys.map((key) => new Field(key, typeOfXmlValue(value[key], repeated, naming, childPath(path, key)), true)));
  }
  if (typeof value !== 'string' || value === '') return new Null();
  if (INT_TEXT.test(value)) {
    const n = BigInt(value);
    if (n >= INT32_MIN && n <= INT32_MAX) return new Int32();
    return n >= INT64_MIN && n <= INT64_MAX ? new Int64() : new Float64();
  }
  if (FLOAT_TEXT.test(value)) return new Float64();
  if (value === 'true' || value === 'false') return new Bool();
  return new Utf8();
}

/** Attributes sort first, then the element's text, then its children. */
const fieldRank = (key: string, naming: XmlNaming) => (key === naming.valueTag ? 1 : key.startsWith(naming.attributePrefix) ? 0 : 2);

/** Items of a list share their list's path (`[]` marks the step into the items). */
const childPath = (path: string, key: string) => (path === '' ? key : `${path.replace(/\[\]$/, '')}.${key}`);

/** Types seen only as null have nothing to go on: utf8, as Spark does. */
export function settleType(type: DataType): DataType {
  if (type.typeId === Type.Null) return new Utf8();
  if (type instanceof Struct) return new Struct(type.children.map((field) => new Field(field.name, settleType(field.type), true)));
  if (type instanceof List) return new List(new Field('item', settleType(type.children[0].type), true));
  return type;
}

/**
 * Converts a parsed record's texts to the JS values the JSON column builders take for `type`:
 * numbers, booleans, lists for one-or-many elements, `{_VALUE}` for a text where a struct is
 * expected. A text that does not fit is left as is, so the builder rejects the row with a reason.
 */
export function toSchemaValue(value: unknown, type: DataType, naming: XmlNaming): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (type instanceof List) {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => toSchemaValue(item, type.children[0].type, naming));
  }
  if (type instanceof Struct) {
    const record = typeof value === 'string' ? { [naming.valueTag]: value } : value;
    if (!isObject(record)) return value;
    const out: Record<string, unknown> = {};
    for (const field of type.children) out[field.name] = toSchemaValue(record[field.name], field.type, naming);
    return out;
  }
  if (typeof value !== 'string') return value;
  if (DataType.isInt(type)) return INT_TEXT.test(value) ? Number(value) : value;
  if (DataType.isFloat(type)) return FLOAT_TEXT.test(value) ? Number(value) : value;
  if (DataType.isBool(type)) return value === 'true' ? true : value === 'false' ? false : value;
  return value; // utf8, dates, timestamps and decimals: the builders parse the text
}
