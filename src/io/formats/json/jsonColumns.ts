import { DataType, DateUnit, Field, List, Struct, TimeUnit, Type, makeData } from 'apache-arrow';
import type { Data, Decimal, Int, Timestamp } from 'apache-arrow';
import { packBits } from '../../../columns/bitmap.js';
import { utf8FromStrings } from '../../../columns/utf8.js';
import { SluiceError } from '../../../types/ErrorRecord.js';
import { isObject } from './jsonPath.js';
import { parseDecimal, parseIsoDate, parseIsoTimestamp } from './jsonValues.js';
import { INT64_LIMIT } from './inferJsonSchema.js';
import { isChoice } from '../../../types/choice.js';

/**
 * Appends parsed JSON values to one Arrow column. `check` says why a value does not fit (or
 * undefined), so a row can be rejected whole before any column is touched; `append` then trusts it.
 */
export interface JsonColumnBuilder {
  check(value: unknown): string | undefined;
  append(value: unknown): void;
  /** The column built so far; the builder starts over empty. */
  finish(): Data;
}

/** Typed-array storage that doubles as rows arrive. */
class Growing<A extends Int32Array | Float64Array | BigInt64Array | Uint8Array | Uint32Array> {
  length = 0;
  constructor(
    private array: A,
    private readonly make: (size: number) => A,
  ) {}
  reserve(extra: number): A {
    if (this.length + extra > this.array.length) {
      const bigger = this.make(Math.max(this.array.length * 2, this.length + extra));
      (bigger as Uint8Array).set(this.array as Uint8Array);
      this.array = bigger;
    }
    return this.array;
  }
  take(): A {
    const out = this.array.slice(0, this.length) as A;
    this.array = this.make(Math.max(16, this.array.length >> 2));
    this.length = 0;
    return out;
  }
}

/** One validity byte per row until `finish`, then packed into a bitmap. */
class Validity {
  private readonly bytes = new Growing(new Uint8Array(64), (n) => new Uint8Array(n));
  nulls = 0;
  get length() {
    return this.bytes.length;
  }
  push(valid: boolean) {
    this.bytes.reserve(1)[this.bytes.length++] = valid ? 1 : 0;
    if (!valid) this.nulls++;
  }
  take(): { length: number; nullCount: number; nullBitmap?: Uint8Array } {
    const length = this.bytes.length;
    const nullCount = this.nulls;
    const bytes = this.bytes.take();
    this.nulls = 0;
    return { length, nullCount, nullBitmap: nullCount > 0 ? packBits(bytes, length).bits : undefined };
  }
}

const describe = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));
const misfit = (path: string, type: DataType, value: unknown) => `${path}: ${describe(value)} is not a valid ${String(type)}`;
const isNull = (value: unknown) => value === null || value === undefined;

/** Fixed-width columns: one typed-array slot (or `stride` words) per row, parsed by `parse`. */
class FixedBuilder<A extends Int32Array | Float64Array | BigInt64Array | Uint8Array | Uint32Array> implements JsonColumnBuilder {
  private readonly validity = new Validity();
  private readonly values: Growing<A>;
  constructor(
    private readonly type: DataType,
    private readonly path: string,
    make: (size: number) => A,
    private readonly stride: number,
    /** Writes the value at `at` and returns true, or returns false when it does not fit. */
    private readonly parse: (value: unknown, into: A, at: number) => boolean,
    private readonly scratch: A = make(stride),
  ) {
    this.values = new Growing(make(64 * stride), make);
  }
  check(value: unknown) {
    return isNull(value) || this.parse(value, this.scratch, 0) ? undefined : misfit(this.path, this.type, value);
  }
  append(value: unknown) {
    const into = this.values.reserve(this.stride);
    const valid = !isNull(value) && this.parse(value, into, this.values.length);
    if (!valid) into.fill((into instanceof BigInt64Array ? 0n : 0) as never, this.values.length, this.values.length + this.stride);
    this.values.length += this.stride;
    this.validity.push(valid);
  }
  finish(): Data {
    const data = this.values.take();
    return makeData({ type: this.type, ...this.validity.take(), data } as never) as Data;
  }
}

class BoolBuilder implements JsonColumnBuilder {
  private readonly validity = new Validity();
  private readonly values = new Growing(new Uint8Array(64), (n) => new Uint8Array(n));
  constructor(private readonly type: DataType, private readonly path: string) {}
  check(value: unknown) {
    return isNull(value) || typeof value === 'boolean' ? undefined : misfit(this.path, this.type, value);
  }
  append(value: unknown) {
    this.values.reserve(1)[this.values.length++] = value === true ? 1 : 0;
    this.validity.push(!isNull(value));
  }
  finish(): Data {
    const validity = this.validity.take();
    const data = packBits(this.values.take(), validity.length).bits;
    return makeData({ type: this.type, ...validity, data } as never) as Data;
  }
}

/** Strings as they are; any other value as its JSON text (how conflicting inferred types are kept). */
class Utf8Builder implements JsonColumnBuilder {
  private strings: (string | null)[] = [];
  check() {
    return undefined;
  }
  append(value: unknown) {
    this.strings.push(isNull(value) ? null : typeof value === 'string' ? value : JSON.stringify(value));
  }
  finish(): Data {
    const data = utf8FromStrings(this.strings);
    this.strings = [];
    return data;
  }
}

class StructBuilder implements JsonColumnBuilder {
  private readonly validity = new Validity();
  private readonly children: JsonColumnBuilder[];
  constructor(private readonly type: Struct, private readonly path: string) {
    this.children = type.children.map((field) => jsonColumnBuilder(field.type, `${path}.${field.name}`));
  }
  check(value: unknown) {
    if (isNull(value)) return undefined;
    if (!isObject(value)) return misfit(this.path, this.type, value);
    const fields = this.type.children;
    for (let i = 0; i < fields.length; i++) {
      const why = this.children[i].check(value[fields[i].name]);
      if (why) return why;
    }
    return undefined;
  }
  append(value: unknown) {
    const record = isObject(value) ? value : undefined;
    const fields = this.type.children;
    for (let i = 0; i < fields.length; i++) this.children[i].append(record?.[fields[i].name]);
    this.validity.push(record !== undefined);
  }
  finish(): Data {
    const children = this.children.map((child) => child.finish());
    return makeData({ type: this.type, ...this.validity.take(), children } as never) as Data;
  }
}

class ListBuilder implements JsonColumnBuilder {
  private readonly validity = new Validity();
  private readonly offsets = new Growing(new Int32Array(65), (n) => new Int32Array(n));
  private readonly child: JsonColumnBuilder;
  private end = 0;
  constructor(private readonly type: List, private readonly path: string) {
    this.child = jsonColumnBuilder(type.children[0].type, `${path}[]`);
    this.offsets.length = 1;
  }
  check(value: unknown) {
    if (isNull(value)) return undefined;
    if (!Array.isArray(value)) return misfit(this.path, this.type, value);
    for (const item of value) {
      const why = this.child.check(item);
      if (why) return why;
    }
    return undefined;
  }
  append(value: unknown) {
    if (Array.isArray(value)) {
      for (const item of value) this.child.append(item);
      this.end += value.length;
    }
    this.offsets.reserve(1)[this.offsets.length++] = this.end;
    this.validity.push(Array.isArray(value));
  }
  finish(): Data {
    const valueOffsets = this.offsets.take();
    this.offsets.reserve(1)[0] = 0;
    this.offsets.length = 1;
    this.end = 0;
    const child = this.child.finish();
    return makeData({ type: this.type, ...this.validity.take(), valueOffsets, child } as never) as Data;
  }
}

const NUMERIC = new Set(['byte', 'short', 'int', 'long', 'float', 'double', 'decimal']);

/**
 * A choice column (types/choice.ts): each value goes to the alternative of its own JSON kind
 * (a number to the numeric one, a string to `string`, an object to `struct`…), the others get a
 * null; a value of a kind the choice lacks misfits.
 */
class ChoiceBuilder implements JsonColumnBuilder {
  private readonly validity = new Validity();
  private readonly children: JsonColumnBuilder[];
  private readonly names: string[];
  constructor(private readonly type: Struct, private readonly path: string) {
    this.names = type.children.map((field) => field.name);
    this.children = type.children.map((field) => jsonColumnBuilder(field.type, path));
  }
  private alternative(value: unknown): number {
    const kind = typeof value === 'number' || typeof value === 'bigint' ? 'number'
      : typeof value === 'boolean' ? 'boolean' : typeof value === 'string' ? 'string'
      : Array.isArray(value) ? 'array' : isObject(value) ? 'struct' : 'string';
    if (kind === 'number') return this.names.findIndex((name) => NUMERIC.has(name));
    const exact = this.names.indexOf(kind);
    // A string may also be a date or timestamp alternative's text.
    return exact >= 0 || kind !== 'string' ? exact : this.names.findIndex((name) => name === 'timestamp' || name === 'date');
  }
  check(value: unknown) {
    if (isNull(value)) return undefined;
    const i = this.alternative(value);
    return i < 0 ? misfit(this.path, this.type, value) : this.children[i].check(value);
  }
  append(value: unknown) {
    const i = isNull(value) ? -1 : this.alternative(value);
    for (let k = 0; k < this.children.length; k++) this.children[k].append(k === i ? value : null);
    this.validity.push(i >= 0);
  }
  finish(): Data {
    const children = this.children.map((child) => child.finish());
    return makeData({ type: this.type, ...this.validity.take(), children } as never) as Data;
  }
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/** A builder for `type`; `path` names the column in error messages (e.g. `address.city`). */
export function jsonColumnBuilder(type: DataType, path: string): JsonColumnBuilder {
  if (DataType.isInt(type) && (type as Int).bitWidth === 32 && (type as Int).isSigned) {
    return new FixedBuilder(type, path, (n) => new Int32Array(n), 1, (v, into, at) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) return false;
      into[at] = v;
      return true;
    });
  }
  if (DataType.isInt(type) && (type as Int).bitWidth === 64 && (type as Int).isSigned) {
    return new FixedBuilder(type, path, (n) => new BigInt64Array(n), 1, (v, into, at) => {
      // JSON.parse has already rounded integers past 2^53; they are kept as parsed.
      if (typeof v === 'bigint') return (into[at] = BigInt.asIntN(64, v)) === v; // Avro longs past 2^53
      // Past ±2^63 BigInt64Array would wrap the value: it misfits instead.
      if (typeof v !== 'number' || !Number.isInteger(v) || v < -INT64_LIMIT || v >= INT64_LIMIT) return false;
      into[at] = BigInt(v);
      return true;
    });
  }
  if (DataType.isFloat(type) && type.typeId === Type.Float && (type as unknown as { precision: number }).precision === 2) {
    return new FixedBuilder(type, path, (n) => new Float64Array(n), 1, (v, into, at) => {
      if (typeof v !== 'number') return false;
      into[at] = v;
      return true;
    });
  }
  if (DataType.isBool(type)) return new BoolBuilder(type, path);
  if (DataType.isUtf8(type)) return new Utf8Builder();
  if (DataType.isDate(type) && (type as unknown as { unit: DateUnit }).unit === DateUnit.DAY) {
    return new FixedBuilder(type, path, (n) => new Int32Array(n), 1, (v, into, at) => {
      const days = typeof v === 'string' ? parseIsoDate(v) : undefined;
      if (days === undefined) return false;
      into[at] = days;
      return true;
    });
  }
  if (DataType.isTimestamp(type)) {
    const unit = (type as Timestamp).unit;
    if (unit === TimeUnit.MILLISECOND || unit === TimeUnit.MICROSECOND) {
      const perMs = unit === TimeUnit.MILLISECOND ? 1n : 1000n;
      return new FixedBuilder(type, path, (n) => new BigInt64Array(n), 1, (v, into, at) => {
        // Numbers are epoch values in the column's unit; strings are ISO-8601 (UTC unless an offset is given).
        const value = typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : typeof v === 'string' ? parseIsoTimestamp(v, perMs) : undefined;
        if (value === undefined) return false;
        into[at] = value;
        return true;
      });
    }
  }
  if (DataType.isDecimal(type) && (type as Decimal).bitWidth === 128) {
    const { scale, precision } = type as Decimal;
    return new FixedBuilder(type, path, (n) => new Uint32Array(n), 4, (v, into, at) => {
      const unscaled = typeof v === 'number' || typeof v === 'string' ? parseDecimal(String(v), scale, precision) : undefined;
      if (unscaled === undefined) return false;
      let rest = BigInt.asUintN(128, unscaled);
      for (let word = 0; word < 4; word++, rest >>= 32n) into[at + word] = Number(rest & 0xffffffffn);
      return true;
    });
  }
  if (isChoice(type)) return new ChoiceBuilder(type, path);
  if (type instanceof Struct) return new StructBuilder(type, path);
  if (type instanceof List) return new ListBuilder(type, path);
  throw new SluiceError(
    `The JSON reader cannot build ${String(type)} (column ${path}); use Bool, Int32, Int64, Float64, Utf8, ` +
      'DateDay, Timestamp ms/us, Decimal128, Struct or List',
  );
}

/** Builders for a record's top-level fields. */
export function recordBuilders(fields: Field[]): JsonColumnBuilder[] {
  return fields.map((field) => jsonColumnBuilder(field.type, field.name));
}
