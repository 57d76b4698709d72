import { createReadStream } from 'node:fs';
import { RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import type { Field } from 'apache-arrow';
import avro from 'avsc';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { ErrorRecord } from '../../../types/ErrorRecord.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { recordBuilders } from '../json/jsonColumns.js';
import type { ParseMode } from '../json/jsonReader.js';
import { avroRecordFields, type AvroConvert, type AvroSchema } from './avroTypes.js';

export interface AvroOptions {
  /** permissive (default): records that do not fit the schema become error records; dropMalformed: dropped; failFast: throw. */
  mode?: ParseMode;
}

const DEFAULT_BATCH_SIZE = 65_536;

/** Longs as BigInt, so no long stops the read (avsc's own long type throws past 2^53). */
const BigIntLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

interface Opened {
  decoder: ReturnType<typeof avro.createFileDecoder>;
  schema: Promise<AvroSchema>;
}

/** Streams a container file's records: unions wrapped (values name their branch), logical types as their underlying values. */
function open(path: string): Opened {
  const decoder = new avro.streams.BlockDecoder({
    parseHook: (schema: avro.Schema) => avro.Type.forSchema(schema, { wrapUnions: true, registry: { long: BigIntLong } }),
  });
  const input = createReadStream(path);
  input.on('error', (error) => decoder.destroy(error));
  input.pipe(decoder);
  const schema = new Promise<AvroSchema>((resolve, reject) => {
    decoder.once('metadata', (_type: unknown, _codec: string, header: { meta: Record<string, Buffer> }) => resolve(JSON.parse(header.meta['avro.schema'].toString()) as AvroSchema));
    decoder.once('error', reject);
    decoder.once('end', () => reject(new Error('no Avro header')));
  });
  schema.catch(() => undefined); // observed by whoever awaits it
  return { decoder, schema };
}

const fileError = (path: string, error: unknown) =>
  error instanceof SluiceError ? error : new SluiceError(`${path}: not a readable Avro file (corrupt or truncated?): ${error instanceof Error ? error.message : String(error)}`, { file: path });

/**
 * avsc ends quietly when a file stops inside a block: the partial block stays in its buffer.
 * Bytes left there at the end mean the file was cut short.
 */
function leftoverBytes(decoder: Opened['decoder']): number {
  const tap = (decoder as unknown as { _tap?: { buf: Buffer; pos: number } })._tap;
  return tap ? tap.buf.length - tap.pos : 0;
}

function wantedFields(path: string, read: ReadOptions): Field[] {
  if (!read.columns) return read.schema.fields;
  const missing = read.columns.filter((name) => !read.schema.names.includes(name));
  if (missing.length) throw new SluiceError(`Column(s) ${missing.join(', ')} asked of ${path} are not in the schema`, { file: path });
  return read.schema.fields.filter((field) => read.columns!.includes(field.name));
}

async function* readAvro(path: string, options: AvroOptions, read: ReadOptions): AsyncGenerator<ReadChunk> {
  const mode = options.mode ?? 'permissive';
  const batchSize = read.batchSize ?? DEFAULT_BATCH_SIZE;
  const fields = wantedFields(path, read);
  const schema = new Schema(fields);
  const builders = recordBuilders(fields);
  const { decoder, schema: writerSchema } = open(path);
  let converts: (AvroConvert | undefined)[] = [];
  let rows = 0;
  let index = 0;
  let errors: ErrorRecord[] = [];
  let emitted = false;

  const flush = (): ReadChunk => {
    const children = builders.map((builder) => builder.finish());
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children }));
    const chunk = { batch, errors };
    rows = 0;
    errors = [];
    emitted = true;
    return chunk;
  };

  try {
    const fileFields = avroRecordFields(await writerSchema, path).converts;
    converts = fields.map((field) => fileFields.get(field.name));
    const values: unknown[] = new Array(fields.length);
    for await (const record of decoder as AsyncIterable<Record<string, unknown>>) {
      index++;
      for (let i = 0; i < fields.length; i++) {
        const convert = converts[i];
        values[i] = convert ? convert(record[fields[i].name]) : null;
      }
      const why = firstMisfit(builders, values);
      if (why) {
        if (mode === 'dropMalformed') continue;
        const raw = JSON.stringify(Object.fromEntries(fields.map((f, i) => [f.name, values[i]])));
        const error: ErrorRecord = { message: `${path} record ${index}: ${why}`, file: path, line: index, raw };
        if (mode === 'failFast') throw new SluiceError(`${error.message} (mode failFast)`, error);
        errors.push(error);
        continue;
      }
      for (let i = 0; i < fields.length; i++) builders[i].append(values[i]);
      if (++rows === batchSize) yield flush();
    }
    const left = leftoverBytes(decoder);
    if (left > 0) throw new SluiceError(`${path}: truncated Avro file: ${left} bytes after record ${index} do not form a whole block`, { file: path, line: index });
  } catch (error) {
    throw fileError(path, error);
  } finally {
    decoder.destroy();
  }
  if (rows > 0 || errors.length > 0 || !emitted) yield flush();
}

function firstMisfit(builders: ReturnType<typeof recordBuilders>, values: unknown[]) {
  for (let i = 0; i < builders.length; i++) {
    const why = builders[i].check(values[i]);
    if (why) return why;
  }
  return undefined;
}

async function inferSchema(path: string): Promise<Schema> {
  const { decoder, schema } = open(path);
  try {
    return new Schema(avroRecordFields(await schema, path).fields);
  } catch (error) {
    throw fileError(path, error);
  } finally {
    decoder.destroy();
  }
}

/**
 * Reads Avro object container files (codecs null and deflate; avsc needs an extra library for
 * snappy) record by record, `batchSize` rows at a time, with the column builders of the JSON
 * reader. Types map as `avroColumn` says; records whose values do not fit the given schema are
 * handled per `mode`, with the 1-based record index as their `line`.
 */
export const avroReader: FormatReader<AvroOptions> = { inferSchema, read: readAvro };
