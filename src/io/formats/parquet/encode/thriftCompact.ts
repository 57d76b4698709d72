import { ByteSink } from './byteSink.js';

/** Thrift compact-protocol element types (the 4-bit codes of field headers and list headers). */
export const TType = {
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  STRUCT: 12,
} as const;

const utf8 = new TextEncoder();

/**
 * Writes Thrift compact-protocol structs, enough for the Parquet footer and page headers:
 * field headers carry the id as a delta from the previous field of the same struct when it fits
 * in 4 bits, integers are zigzag varints, and a struct ends with a 0 byte.
 */
export class ThriftWriter {
  readonly sink = new ByteSink(256);
  private lastId = 0;
  private readonly stack: number[] = [];

  private header(id: number, type: number): void {
    const delta = id - this.lastId;
    if (delta > 0 && delta <= 15) this.sink.byte((delta << 4) | type);
    else {
      this.sink.byte(type);
      this.zigzag(id);
    }
    this.lastId = id;
  }

  private zigzag(n: number): void {
    // 2n or -2n-1 in arithmetic, not bit operations, so that 64-bit sizes up to 2^52 stay exact.
    this.sink.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  i32(id: number, value: number): this {
    this.header(id, TType.I32);
    this.zigzag(value);
    return this;
  }

  i64(id: number, value: number): this {
    this.header(id, TType.I64);
    this.zigzag(value);
    return this;
  }

  byte(id: number, value: number): this {
    this.header(id, TType.BYTE);
    this.sink.byte(value & 0xff);
    return this;
  }

  bool(id: number, value: boolean): this {
    this.header(id, value ? TType.TRUE : TType.FALSE);
    return this;
  }

  binary(id: number, value: Uint8Array): this {
    this.header(id, TType.BINARY);
    this.sink.varint(value.length);
    this.sink.append(value);
    return this;
  }

  string(id: number, value: string): this {
    return this.binary(id, utf8.encode(value));
  }

  /** Opens a struct-valued field; close it with `end()`. */
  struct(id: number): this {
    this.header(id, TType.STRUCT);
    return this.begin();
  }

  /** Starts a struct's fields (after a struct field header, or a list element of struct type). */
  begin(): this {
    this.stack.push(this.lastId);
    this.lastId = 0;
    return this;
  }

  /** Ends the innermost struct. */
  end(): this {
    this.sink.byte(0);
    this.lastId = this.stack.pop() ?? 0;
    return this;
  }

  /** Opens a list-valued field of `size` elements of `elementType`; write the elements next. */
  list(id: number, elementType: number, size: number): this {
    this.header(id, TType.LIST);
    if (size < 15) this.sink.byte((size << 4) | elementType);
    else {
      this.sink.byte(0xf0 | elementType);
      this.sink.varint(size);
    }
    return this;
  }

  /** A list element of type I32 (zigzag varint, no header). */
  elementI32(value: number): this {
    this.zigzag(value);
    return this;
  }

  /** A list element of type I64 (zigzag varint, no header). */
  elementI64(value: number): this {
    this.zigzag(value);
    return this;
  }

  /** A list element of type BOOL (list element type TRUE): one byte, 1 true, 2 false. */
  elementBool(value: boolean): this {
    this.sink.byte(value ? TType.TRUE : TType.FALSE);
    return this;
  }

  /** A list element of type BINARY, raw bytes. */
  elementBinary(value: Uint8Array): this {
    this.sink.varint(value.length);
    this.sink.append(value);
    return this;
  }

  /** A list element of type BINARY. */
  elementString(value: string): this {
    const bytes = utf8.encode(value);
    this.sink.varint(bytes.length);
    this.sink.append(bytes);
    return this;
  }

  /** The encoded bytes, copied out of the sink. */
  bytes(): Uint8Array {
    return this.sink.view().slice();
  }
}
