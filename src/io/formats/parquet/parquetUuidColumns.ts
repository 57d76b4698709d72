/**
 * The columns a Parquet footer annotates with the UUID logical type. parquet-wasm reads them as
 * plain FixedSizeBinary(16) and drops the annotation, so the text writers could not tell a UUID
 * from 16 opaque bytes; this reads the footer's Thrift schema (compact protocol) for it.
 * Returns dotted paths of top-level and struct-member columns ("id", "who.id").
 */
export async function parquetUuidColumns(blob: Blob): Promise<Set<string>> {
  const size = blob.size;
  if (size < 12) return new Set();
  const tail = new Uint8Array(await blob.slice(size - 8).arrayBuffer());
  const footerLength = new DataView(tail.buffer).getUint32(0, true);
  if (footerLength + 8 > size) return new Set();
  const footer = new Uint8Array(await blob.slice(size - 8 - footerLength, size - 8).arrayBuffer());
  const metadata = new CompactReader(footer).struct();
  const elements = (metadata.get(2) as Map<number, unknown>[] | undefined) ?? [];
  const out = new Set<string>();
  // The schema is a depth-first list: each group element says how many children follow it.
  let next = 1;
  const walk = (prefix: string, count: number) => {
    for (let c = 0; c < count && next < elements.length; c++) {
      const element = elements[next++];
      const name = new TextDecoder().decode(element.get(4) as Uint8Array);
      const path = prefix ? `${prefix}.${name}` : name;
      const logical = element.get(10) as Map<number, unknown> | undefined;
      if (logical?.has(14)) out.add(path);
      walk(path, Number(element.get(5) ?? 0));
    }
  };
  walk('', Number(elements[0]?.get(5) ?? 0));
  return out;
}

/** A minimal Thrift compact-protocol reader: structs as Maps of field id → value. */
class CompactReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

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
        const out = this.bytes.subarray(this.at, this.at + length);
        this.at += length;
        return out;
      }
      case 9: case 10: {
        const header = this.bytes[this.at++];
        const size = header >> 4 === 15 ? this.varint() : header >> 4;
        const items: unknown[] = [];
        // Booleans in a list are one byte each, not folded into a header.
        for (let k = 0; k < size; k++) items.push((header & 0x0f) === 1 || (header & 0x0f) === 2 ? this.bytes[this.at++] === 1 : this.value(header & 0x0f));
        return items;
      }
      case 11: {
        const size = this.varint();
        if (size === 0) return new Map();
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
    // Large i64s (row counts, offsets) lose precision here; only names and types are used.
    return n % 2 ? -(n + 1) / 2 : n / 2;
  }
}
