import { SluiceError } from '../../../types/ErrorRecord.js';

/** Parquet's physical types (parquet.thrift `Type`). */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;

/** One leaf column of the footer's schema, by dotted path ("id", "who.id"). */
export interface FooterColumn {
  path: string;
  physicalType: number | undefined;
  /** The footer annotates it with the UUID logical type. */
  uuid: boolean;
  /** REQUIRED (0), OPTIONAL (1), REPEATED (2) of the element and its ancestors, outermost first. */
  repetitions: number[];
  /** The unit of a TIMESTAMP column (logical or converted type); undefined for other columns. */
  timeUnit?: 'ms' | 'us' | 'ns';
  /** An unsigned integer column (its statistics compare unsigned). */
  unsigned: boolean;
  /** The element's own name (the last part of `path`). */
  name: string;
  /** What the schema element says of its type, for the Arrow schema (decode/footerSchema.ts). */
  typeLength?: number;
  convertedType?: number;
  scale?: number;
  precision?: number;
  fieldId?: number;
  /** The LogicalType union as read (field id → member struct). */
  logicalType?: Map<number, unknown>;
}

/** A column chunk's statistics, as written (plain-encoded values); what the writer left out is undefined. */
export interface FooterStatistics {
  /** min_value/max_value, or for columns whose sort order is signed the deprecated min/max. */
  min?: Uint8Array;
  max?: Uint8Array;
  nullCount?: number;
}

/** Where one column's chunk lies in one row group. */
export interface FooterChunk {
  path: string;
  codec: number;
  numValues: number;
  dataPageOffset: number;
  dictionaryPageOffset: number | undefined;
  totalCompressedSize: number;
  /** Encodings the chunk's pages use (parquet.thrift `Encoding`). */
  encodings: number[];
  statistics?: FooterStatistics;
  /** Where the chunk's page index lies (ColumnChunk offset_index_* and column_index_*), when the writer left one. */
  offsetIndex?: FileSpan;
  columnIndex?: FileSpan;
}

/** A byte range of the file: where it starts and how many bytes it takes. */
export interface FileSpan {
  offset: number;
  length: number;
}

export interface FooterRowGroup {
  numRows: number;
  /** total_byte_size: the row group's uncompressed bytes. */
  totalByteSize: number;
  chunks: FooterChunk[];
}

/**
 * What sluice needs from a Parquet footer that parquet-wasm does not give: annotations it drops
 * (UUID), physical types it converts lossily (INT96), the file's own row count against its row
 * groups', and where each column chunk lies.
 */
export interface ParquetFooter {
  columns: FooterColumn[];
  /** num_rows of FileMetaData, as the writer claimed it. */
  numRows: number;
  rowGroups: FooterRowGroup[];
  /** key_value_metadata, in file order (ARROW:schema among them when the writer left one); a key without value has none. */
  keyValues: [string, string | undefined][];
  /** Top-level fields of the schema, each a leaf column (its index in `columns`) or a group (-1). */
  topLevel: { name: string; column: number }[];
  /** The footer's bytes (Thrift FileMetaData) and where they start in the file. */
  bytes: Uint8Array;
  offset: number;
}

const PAR1 = 0x31524150; // "PAR1" little-endian
const PARE = 0x45524150; // "PARE": a file with an encrypted footer

/** Reads the footer of a Parquet file: magic, length, Thrift compact FileMetaData. Errors name `file`. */
export async function readParquetFooter(blob: Blob, file: string): Promise<ParquetFooter> {
  const size = blob.size;
  if (size < 12) throw new SluiceError(`${file}: not a Parquet file (${size} bytes)`, { file });
  const tail = new Uint8Array(await blob.slice(size - 8).arrayBuffer());
  const view = new DataView(tail.buffer);
  const magic = view.getUint32(4, true);
  if (magic === PARE) throw new SluiceError(`${file}: encrypted Parquet is not supported (the file's footer is encrypted: magic PARE)`, { file });
  if (magic !== PAR1) throw new SluiceError(`${file}: not a Parquet file (it does not end with PAR1)`, { file });
  const footerLength = view.getUint32(0, true);
  if (footerLength + 8 > size) throw new SluiceError(`${file}: corrupt Parquet footer (length ${footerLength} past the file's ${size} bytes)`, { file });
  const footer = new Uint8Array(await blob.slice(size - 8 - footerLength, size - 8).arrayBuffer());
  let metadata: Map<number, unknown>;
  try {
    metadata = new CompactReader(footer).struct();
  } catch (error) {
    throw new SluiceError(`${file}: corrupt Parquet footer: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  const { columns, topLevel } = footerColumns(metadata);
  return {
    columns,
    numRows: Number(metadata.get(3) ?? 0),
    rowGroups: footerRowGroups(metadata),
    keyValues: keyValuesOf(metadata),
    topLevel,
    bytes: footer,
    offset: size - 8 - footerLength,
  };
}

type Struct = Map<number, unknown>;
const text = (bytes: unknown) => new TextDecoder().decode(bytes as Uint8Array);

function keyValuesOf(metadata: Struct): [string, string | undefined][] {
  const pairs = (metadata.get(5) as Struct[] | undefined) ?? [];
  return pairs.filter((kv) => kv.has(1)).map((kv) => [text(kv.get(1)), kv.has(2) ? text(kv.get(2)) : undefined]);
}

const numberOrUndefined = (value: unknown) => (value === undefined ? undefined : Number(value));

function footerColumns(metadata: Struct): { columns: FooterColumn[]; topLevel: { name: string; column: number }[] } {
  const elements = (metadata.get(2) as Struct[] | undefined) ?? [];
  const out: FooterColumn[] = [];
  const topLevel: { name: string; column: number }[] = [];
  // The schema is a depth-first list: each group element says how many children follow it.
  let next = 1;
  const walk = (prefix: string, repetitions: number[], count: number) => {
    for (let c = 0; c < count && next < elements.length; c++) {
      const element = elements[next++];
      const path = prefix ? `${prefix}.${text(element.get(4))}` : text(element.get(4));
      const own = [...repetitions, Number(element.get(3) ?? 0)];
      const children = Number(element.get(5) ?? 0);
      const logical = element.get(10) as Struct | undefined;
      const converted = element.get(6) as number | undefined;
      if (repetitions.length === 0) topLevel.push({ name: text(element.get(4)), column: children === 0 && element.has(1) ? out.length : -1 });
      if (children === 0) {
        out.push({
          path, physicalType: element.get(1) as number | undefined, uuid: logical?.has(14) ?? false, repetitions: own,
          timeUnit: timeUnitOf(logical, converted), unsigned: isUnsigned(logical, converted),
          name: text(element.get(4)), typeLength: numberOrUndefined(element.get(2)), convertedType: converted,
          scale: numberOrUndefined(element.get(7)), precision: numberOrUndefined(element.get(8)), fieldId: numberOrUndefined(element.get(9)), logicalType: logical,
        });
      }
      walk(path, own, children);
    }
  };
  walk('', [], Number(elements[0]?.get(5) ?? 0));
  return { columns: out, topLevel };
}

function footerRowGroups(metadata: Struct): FooterRowGroup[] {
  const groups = (metadata.get(4) as Struct[] | undefined) ?? [];
  return groups.map((group) => ({
    numRows: Number(group.get(3) ?? 0),
    totalByteSize: Number(group.get(2) ?? 0),
    chunks: ((group.get(1) as Struct[] | undefined) ?? []).map((chunk) => {
      const meta = (chunk.get(3) as Struct | undefined) ?? new Map();
      return {
        path: ((meta.get(3) as Uint8Array[] | undefined) ?? []).map(text).join('.'),
        codec: Number(meta.get(4) ?? 0),
        numValues: Number(meta.get(5) ?? 0),
        dataPageOffset: Number(meta.get(9) ?? 0),
        dictionaryPageOffset: meta.has(11) ? Number(meta.get(11)) : undefined,
        totalCompressedSize: Number(meta.get(7) ?? 0),
        encodings: ((meta.get(2) as unknown[] | undefined) ?? []).map(Number),
        statistics: statisticsOf(meta.get(12) as Struct | undefined, meta.get(1) as number | undefined),
        offsetIndex: spanOf(chunk, 4, 5),
        columnIndex: spanOf(chunk, 6, 7),
      };
    }),
  }));
}

/** A span the footer gives as an offset field and a length field; undefined when either is missing or negative. */
function spanOf(struct: Struct, offsetField: number, lengthField: number): FileSpan | undefined {
  const offset = struct.get(offsetField);
  const length = struct.get(lengthField);
  if (typeof offset !== 'number' || typeof length !== 'number' || offset < 0 || length <= 0) return undefined;
  return { offset, length };
}

/** TIMESTAMP's unit: logical type field 8 (unit union: 1 MILLIS, 2 MICROS, 3 NANOS), else converted types 9/10. */
function timeUnitOf(logical: Struct | undefined, converted: number | undefined): FooterColumn['timeUnit'] {
  const timestamp = logical?.get(8) as Struct | undefined;
  const unit = timestamp?.get(2) as Struct | undefined;
  if (unit) return unit.has(1) ? 'ms' : unit.has(2) ? 'us' : unit.has(3) ? 'ns' : undefined;
  return converted === 9 ? 'ms' : converted === 10 ? 'us' : undefined;
}

/** INTEGER(isSigned = false) logical type (field 10: bitWidth 1, isSigned 2), or converted UINT_8…UINT_64 (11–14). */
function isUnsigned(logical: Struct | undefined, converted: number | undefined): boolean {
  const integer = logical?.get(10) as Struct | undefined;
  if (integer) return integer.get(2) === false;
  return converted !== undefined && converted >= 11 && converted <= 14;
}

/**
 * Statistics (ColumnMetaData field 12): min_value/max_value (6/5) when present; the deprecated
 * min/max (2/1) only for numeric physical types, whose old signed order was right.
 */
function statisticsOf(stats: Struct | undefined, physicalType: number | undefined): FooterStatistics | undefined {
  if (!stats) return undefined;
  const numeric = physicalType === PhysicalType.INT32 || physicalType === PhysicalType.INT64 || physicalType === PhysicalType.FLOAT || physicalType === PhysicalType.DOUBLE;
  const min = (stats.get(6) ?? (numeric ? stats.get(2) : undefined)) as Uint8Array | undefined;
  const max = (stats.get(5) ?? (numeric ? stats.get(1) : undefined)) as Uint8Array | undefined;
  const nullCount = stats.has(3) ? Number(stats.get(3)) : undefined;
  return { min, max, nullCount };
}

/** Dotted paths of the columns the footer annotates as UUID (parquet-wasm reads them as plain FixedSizeBinary(16)). */
export const uuidColumns = (footer: ParquetFooter): Set<string> => new Set(footer.columns.filter((c) => c.uuid).map((c) => c.path));

/** Row groups hold more rows than the footer's num_rows claims (a writer's bug): trust the row groups. */
export const undercountsRows = (footer: ParquetFooter): boolean => footer.rowGroups.reduce((sum, g) => sum + g.numRows, 0) > footer.numRows;

/** A minimal Thrift compact-protocol reader: structs as Maps of field id → value. */
export class CompactReader {
  at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** The fields of the struct at the start, each with the byte span of its value (after its header). */
  fieldSpans(): { id: number; type: number; start: number; end: number }[] {
    const spans: { id: number; type: number; start: number; end: number }[] = [];
    let id = 0;
    for (;;) {
      const header = this.bytes[this.at++];
      const type = header & 0x0f;
      if (type === 0) return spans;
      const delta = header >> 4;
      id = delta ? id + delta : this.zigzag();
      const start = this.at;
      this.value(type);
      spans.push({ id, type, start, end: this.at });
    }
  }

  struct(): Map<number, unknown> {
    const fields = new Map<number, unknown>();
    let id = 0;
    for (;;) {
      const header = this.bytes[this.at++];
      const type = header & 0x0f;
      if (type === 0) return fields;
      const delta = header >> 4;
      id = delta ? id + delta : this.zigzag();
      fields.set(id, this.value(type));
    }
  }

  private value(type: number): unknown {
    switch (type) {
      case 1: return true;
      case 2: return false;
      case 3: return this.bytes[this.at++];
      case 4: case 5: case 6: return this.zigzag();
      case 7: this.at += 8; return 0;
      case 8: {
        const length = this.varint();
        if (length > this.bytes.length - this.at) throw new Error(`binary of ${length} bytes past the footer's end`);
        const out = this.bytes.subarray(this.at, this.at + length);
        this.at += length;
        return out;
      }
      case 9: case 10: {
        const header = this.bytes[this.at++];
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        if (size > this.bytes.length - this.at) throw new Error(`list of ${size} items past the footer's end`);
        const items: unknown[] = [];
        // Booleans in a list are one byte each, not folded into a header.
        for (let k = 0; k < size; k++) items.push((header & 0x0f) === 1 || (header & 0x0f) === 2 ? this.bytes[this.at++] === 1 : this.value(header & 0x0f));
        return items;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return new Map();
        if (size > this.bytes.length - this.at) throw new Error(`map of ${size} entries past the footer's end`);
        const types = this.bytes[this.at++];
        const out = new Map<unknown, unknown>();
        for (let k = 0; k < size; k++) out.set(this.value(types >> 4), this.value(types & 0x0f));
        return out;
      }
      case 12: return this.struct();
      default: throw new Error(`unreadable Parquet footer (Thrift type ${type})`);
    }
  }

  private varint(): number {
    let result = 0;
    let shift = 1;
    for (;;) {
      const byte = this.bytes[this.at++];
      result += (byte & 0x7f) * shift;
      if (!(byte & 0x80)) return result;
      shift *= 128;
    }
  }

  private zigzag(): number {
    const n = this.varint();
    // i64s past 2^53 would lose precision; row counts and offsets stay far below.
    return n % 2 ? -(n + 1) / 2 : n / 2;
  }
}
