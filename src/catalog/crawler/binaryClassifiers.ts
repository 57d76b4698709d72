import { openAsBlob } from 'node:fs';
import { avroRecordFields, type AvroSchema } from '../../io/formats/avro/avroTypes.js';
import { parquetFormat } from '../../io/formats/parquet/parquetFormat.js';
import { readParquetFooter } from '../../io/formats/parquet/parquetFooter.js';
import { openRangedBlob } from '../../io/store/rangedBlob.js';
import { isS3Path } from '../../io/store/s3Path.js';
import type { Classification } from './Classification.js';
import type { FileSample } from './sampleFile.js';

const startsWith = (bytes: Uint8Array, ...magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * Glue's Avro classifier: an Avro container ("Obj\x01") gives its writer schema's fields. Records
 * are counted from the data blocks inside the sample (each block states its count), and the
 * count for the whole file is estimated from their bytes.
 */
export function classifyAvro(sample: FileSample): Classification | undefined {
  const bytes = sample.raw;
  if (sample.compression !== 'none' || !startsWith(bytes, 0x4f, 0x62, 0x6a, 0x01)) return undefined;
  const reader = new AvroBytes(bytes, 4);
  const meta = new Map<string, Uint8Array>();
  for (let count = reader.long(); count !== 0; count = reader.long()) {
    if (count < 0) {
      count = -count;
      reader.long(); // the block's byte size
    }
    for (let i = 0; i < count; i++) meta.set(new TextDecoder().decode(reader.bytes()), reader.bytes());
  }
  const schemaBytes = meta.get('avro.schema');
  if (!schemaBytes) return undefined;
  const schema = JSON.parse(new TextDecoder().decode(schemaBytes)) as AvroSchema;
  reader.at += 16; // sync marker
  const dataStart = reader.at;
  let records = 0;
  let end = dataStart;
  while (reader.at < bytes.length) {
    try {
      const count = reader.long();
      const size = reader.long();
      if (reader.at + size + 16 > bytes.length) break;
      reader.at += size + 16;
      records += count;
      end = reader.at;
    } catch {
      break; // a block cut by the sample's end
    }
  }
  const whole = bytes.length === sample.file.size;
  return {
    classification: 'avro',
    fields: avroRecordFields(schema, sample.file.path).fields,
    sampleRecords: records,
    sampleBytes: end - dataStart,
    exactRecords: whole ? records : undefined,
    parameters: { 'avro.schema.literal': JSON.stringify(schema) },
    conflicts: 'conflict',
  };
}

/** Avro's zig-zag varints and length-prefixed bytes over a buffer; reading past its end throws. */
class AvroBytes {
  constructor(private readonly buf: Uint8Array, public at: number) {}

  long(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.buf.length) throw new RangeError('end of sample');
      const b = this.buf[this.at++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  }

  bytes(): Uint8Array {
    const length = this.long();
    if (this.at + length > this.buf.length) throw new RangeError('end of sample');
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

/**
 * Glue's Parquet classifier: "PAR1" at the start; the schema and the record count come from the
 * footer alone (a ranged read at the file's end), never from the data.
 */
export async function classifyParquet(sample: FileSample): Promise<Classification | undefined> {
  if (sample.compression !== 'none' || !startsWith(sample.raw, 0x50, 0x41, 0x52, 0x31)) return undefined;
  const path = sample.file.path;
  const blob = isS3Path(path) ? await openRangedBlob(path) : await openAsBlob(path);
  const footer = await readParquetFooter(blob, path);
  const schema = await parquetFormat.read.reader.inferSchema(path, {} as never);
  return {
    classification: 'parquet',
    fields: schema.fields,
    sampleRecords: footer.numRows,
    sampleBytes: sample.file.size,
    exactRecords: footer.numRows,
    parameters: {},
    conflicts: 'conflict',
  };
}
