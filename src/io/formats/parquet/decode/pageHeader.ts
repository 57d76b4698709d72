import { corrupt } from './corrupt.js';

/** PageType of parquet.thrift. */
export const PageType = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;

/** What the decoder needs of one page header (parquet.thrift `PageHeader`). */
export interface PageHeader {
  type: number;
  uncompressedSize: number;
  compressedSize: number;
  /** Values in the page (nulls included); for a dictionary page, its entries. */
  numValues: number;
  /** Encoding of the values. */
  encoding: number;
  /** Data page v1: encoding of the definition levels (RLE, or the deprecated BIT_PACKED). */
  definitionEncoding: number;
  /** Data page v2: levels lie uncompressed before the values; their byte lengths, and whether the values are compressed. */
  definitionBytes: number;
  repetitionBytes: number;
  valuesCompressed: boolean;
  numNulls: number | undefined;
  /** Bytes the header takes. */
  headerSize: number;
}

type Struct = Map<number, unknown>;

/**
 * Reads the page header at `at`. A Thrift compact reader that checks every length against the
 * bytes it has (a corrupt header fails, it never runs past the chunk or loops on a huge count).
 */
export function readPageHeader(bytes: Uint8Array, at: number, end: number): PageHeader {
  const reader = new StrictCompactReader(bytes, at, end);
  const fields = reader.struct(0);
  const type = int(fields, 1, 'type');
  const header: PageHeader = {
    type,
    uncompressedSize: int(fields, 2, 'uncompressed_page_size'),
    compressedSize: int(fields, 3, 'compressed_page_size'),
    numValues: 0,
    encoding: 0,
    definitionEncoding: 3,
    definitionBytes: 0,
    repetitionBytes: 0,
    valuesCompressed: true,
    numNulls: undefined,
    headerSize: reader.at - at,
  };
  if (header.uncompressedSize < 0 || header.compressedSize < 0) corrupt(`page sizes ${header.compressedSize}/${header.uncompressedSize} are negative`);
  if (type === PageType.DATA_PAGE) {
    const page = struct(fields, 5, 'data_page_header');
    header.numValues = int(page, 1, 'num_values');
    header.encoding = int(page, 2, 'encoding');
    header.definitionEncoding = int(page, 3, 'definition_level_encoding');
  } else if (type === PageType.DATA_PAGE_V2) {
    const page = struct(fields, 8, 'data_page_header_v2');
    header.numValues = int(page, 1, 'num_values');
    header.numNulls = int(page, 2, 'num_nulls');
    header.encoding = int(page, 4, 'encoding');
    header.definitionBytes = int(page, 5, 'definition_levels_byte_length');
    header.repetitionBytes = int(page, 6, 'repetition_levels_byte_length');
    header.valuesCompressed = page.get(7) !== false;
    if (header.definitionBytes < 0 || header.repetitionBytes < 0) corrupt('negative level lengths in a data page v2');
  } else if (type === PageType.DICTIONARY_PAGE) {
    const page = struct(fields, 7, 'dictionary_page_header');
    header.numValues = int(page, 1, 'num_values');
    header.encoding = int(page, 2, 'encoding');
  }
  if (header.numValues < 0) corrupt(`page of ${header.numValues} values`);
  return header;
}

function int(fields: Struct, id: number, name: string): number {
  const value = fields.get(id);
  if (typeof value !== 'number') corrupt(`page header without ${name}`);
  return value;
}

function struct(fields: Struct, id: number, name: string): Struct {
  const value = fields.get(id);
  if (!(value instanceof Map)) corrupt(`page header without ${name}`);
  return value as Struct;
}

/** Thrift compact protocol, bounded: integers and structs kept, binaries and lists skipped. */
class StrictCompactReader {
  constructor(private readonly bytes: Uint8Array, public at: number, private readonly end: number) {}

  struct(depth: number): Struct {
    if (depth > 8) corrupt('page header nested too deep');
    const fields: Struct = new Map();
    let id = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      id = delta ? id + delta : this.zigzag();
      fields.set(id, this.value(type, depth));
    }
  }

  private value(type: number, depth: number): unknown {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: return this.byte();
      case 4: case 5: case 6: return this.zigzag();
      case 7: this.skip(8); return 0;
      case 8: this.skip(this.varint()); return undefined;
      case 9: case 10: {
        const header = this.byte();
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        if (size > this.end - this.at) corrupt('page header list past the chunk');
        for (let k = 0; k < size; k++) {
          if ((header & 0x0f) === 1 || (header & 0x0f) === 2) this.byte();
          else this.value(header & 0x0f, depth + 1);
        }
        return undefined;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return undefined;
        if (size > this.end - this.at) corrupt('page header map past the chunk');
        const types = this.byte();
        for (let k = 0; k < size; k++) {
          this.value(types >> 4, depth + 1);
          this.value(types & 0x0f, depth + 1);
        }
        return undefined;
      }
      case 12: return this.struct(depth + 1);
      default: return corrupt(`unreadable page header (Thrift type ${type})`);
    }
  }

  private byte(): number {
    if (this.at >= this.end) corrupt('page header past the end of the column chunk');
    return this.bytes[this.at++];
  }

  private skip(n: number): void {
    if (n > this.end - this.at) corrupt('page header past the end of the column chunk');
    this.at += n;
  }

  private varint(): number {
    let result = 0;
    let shift = 1;
    for (let k = 0; k < 10; k++) {
      const byte = this.byte();
      result += (byte & 0x7f) * shift;
      if (!(byte & 0x80)) return result;
      shift *= 128;
    }
    return corrupt('page header varint too long');
  }

  private zigzag(): number {
    const n = this.varint();
    return n % 2 ? -(n + 1) / 2 : n / 2;
  }
}
