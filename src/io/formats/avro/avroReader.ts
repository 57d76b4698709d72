import { createReadStream } from 'node:fs';
import { Schema } from 'apache-arrow';
import avro from 'avsc';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { RecordBatcher, type ParseMode } from '../RecordBatcher.js';
import { avroRecordFields, type AvroConvert, type AvroSchema } from './avroTypes.js';
import { avroCodecs, unknownCodecError } from './avroCodecs.js';

export interface AvroOptions {
  /** permissive (default): records that do not fit the schema become error records; dropMalformed: dropped; failFast: throw. */
  mode?: ParseMode;
}

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
    codecs: avroCodecs(path),
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

/** avsc wraps a codec's error ("snappy codec decompression error"); ours (a failed checksum) is the message. */
const unwrapCause = (error: unknown) => (error instanceof Error && error.cause instanceof SluiceError ? error.cause : error);

const fileError = (path: string, thrown: unknown, error = unwrapCause(thrown)) =>
  error instanceof SluiceError ? error : unknownCodecError(path, error) ?? new SluiceError(`${path}: not a readable Avro file (corrupt or truncated?): ${error instanceof Error ? error.message : String(error)}`, { file: path });

/**
 * avsc ends quietly when a file stops inside a block: the partial block stays in its buffer.
 * Bytes left there at the end mean the file was cut short.
 */
function leftoverBytes(decoder: Opened['decoder']): number {
  const tap = (decoder as unknown as { _tap?: { buf: Buffer; pos: number } })._tap;
  return tap ? tap.buf.length - tap.pos : 0;
}

async function* readAvro(path: string, options: AvroOptions, read: ReadOptions): AsyncGenerator<ReadChunk> {
  const batcher = new RecordBatcher(path, read, options.mode);
  const { fields } = batcher;
  const { decoder, schema: writerSchema } = open(path);
  let converts: (AvroConvert | undefined)[] = [];
  let index = 0;

  try {
    const fileFields = avroRecordFields(await writerSchema, path).converts;
    converts = fields.map((field) => fileFields.get(field.name));
    const values: unknown[] = new Array(fields.length);
    for await (const record of decoder as AsyncIterable<Record<string, unknown>>) {
      index++;
      for (let i = 0; i < fields.length; i++) {
        const convert = converts[i];
        values[i] = convert ? convert(record) : null;
      }
      const why = batcher.misfit(values);
      if (why) {
        const raw = JSON.stringify(Object.fromEntries(fields.map((f, i) => [f.name, values[i]])));
        batcher.reject({ message: `${path} record ${index}: ${why}`, file: path, line: index, raw });
        continue;
      }
      const full = batcher.append(values);
      if (full) yield full;
    }
    const left = leftoverBytes(decoder);
    if (left > 0) throw new SluiceError(`${path}: truncated Avro file: ${left} bytes after record ${index} do not form a whole block`, { file: path, line: index });
  } catch (error) {
    throw fileError(path, error);
  } finally {
    decoder.destroy();
  }
  const last = batcher.finish();
  if (last) yield last;
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
 * Reads Avro object container files (codecs null, deflate, snappy and zstandard: avroCodecs.ts)
 * record by record, `batchSize` rows at a time, with the column builders of the JSON
 * reader. Types map as `avroColumn` says; records whose values do not fit the given schema are
 * handled per `mode`, with the 1-based record index as their `line`.
 */
export const avroReader: FormatReader<AvroOptions> = { inferSchema, read: readAvro };
