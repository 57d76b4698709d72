import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import avro from 'avsc';
import snappy from 'snappy';
import { compress as zstdCompress } from '@mongodb-js/zstd';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { tempDir } from '../support/files.js';

type Codec = (block: Buffer, done: (error: Error | null, data?: Buffer) => void) => void;

/** Avro's snappy framing: raw snappy data, then the big-endian CRC32 of the uncompressed block. */
const snappyCodec: Codec = (block, done) => {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(block) >>> 0);
  done(null, Buffer.concat([snappy.compressSync(block), crc]));
};
const zstdCodec: Codec = (block, done) => {
  zstdCompress(block, 3).then((out) => done(null, out), done);
};
/** Stores blocks as they are, under any codec name the header should carry. */
const renamed = (_name: string): Codec => (block, done) => done(null, block);

async function writeAvro(path: string, schema: avro.Schema, records: unknown[], codec: string, codecs: Record<string, Codec> = {}): Promise<void> {
  const encoder = new avro.streams.BlockEncoder(schema, { codec, codecs: { null: renamed('null'), ...codecs }, blockSize: 64 });
  const out = encoder.pipe(createWriteStream(path));
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('error', reject);
    out.on('close', resolve).on('error', reject);
  });
  for (const record of records) encoder.write(record);
  encoder.end();
  await done;
}

const SCHEMA: avro.Schema = { type: 'record', name: 'r', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] };
const RECORDS = Array.from({ length: 40 }, (_, i) => ({ id: BigInt(i) * 1_000_000_007n, name: `name ${i} ${'x'.repeat(i)}` }));
const EXPECTED = RECORDS.map((r) => ({ id: Number(r.id), name: r.name }));

describe('Avro files as Spark and Hive write them', () => {
  it('reads snappy blocks (checking their CRC32) and zstandard blocks', async () => {
    const dir = await tempDir('sluice-avro-');
    const longType = avro.types.LongType.__with({
      fromBuffer: (b: Buffer) => b.readBigInt64LE(), toBuffer: (n: bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(n); return b; },
      fromJSON: BigInt, toJSON: Number, isValid: (n: unknown) => typeof n === 'bigint', compare: () => 0,
    });
    const type = avro.Type.forSchema(SCHEMA, { registry: { long: longType } });
    for (const [codec, codecs] of [['snappy', { snappy: snappyCodec }], ['zstandard', { zstandard: zstdCodec }]] as const) {
      const file = join(dir, `${codec}.avro`);
      await writeAvro(file, type as unknown as avro.Schema, RECORDS, codec, codecs);
      const rows = await read.avro(file).toRows();
      expect(rows.map((r) => ({ id: Number(r.id), name: r.name }))).toEqual(EXPECTED);
    }
    // A flipped byte in the last block's checksum is a named error, not wrong rows.
    const file = join(dir, 'snappy.avro');
    const bytes = await readFile(file);
    bytes[bytes.length - 17] ^= 0xff; // the last CRC byte sits before the 16-byte sync marker
    const bad = join(dir, 'bad.avro');
    await writeFile(bad, bytes);
    await expect(read.avro(bad).toRows()).rejects.toThrow(/bad\.avro: Avro snappy block fails its CRC32 check/);
  });

  it('a snappy block that does not uncompress is a named error (a stream announcing a byte more than it holds)', async () => {
    const dir = await tempDir('sluice-avro-');
    const file = join(dir, 'short.avro');
    const announcesMore: Codec = (block, done) => {
      const stream = snappy.compressSync(block);
      stream[0] += 1; // blocks of 64 bytes: the length is one varint byte
      const crc = Buffer.alloc(4);
      crc.writeUInt32BE(crc32(block) >>> 0);
      done(null, Buffer.concat([stream, crc]));
    };
    await writeAvro(file, SCHEMA, [{ id: 1, name: 'a' }], 'snappy', { snappy: announcesMore });
    await expect(read.avro(file).toRows()).rejects.toThrow(/short\.avro: an Avro snappy block does not uncompress \(the file is corrupt\): snappy: the stream ends after \d+ of its \d+ bytes/);
  });

  it('names a codec it does not read', async () => {
    const dir = await tempDir('sluice-avro-');
    const file = join(dir, 'bz.avro');
    await writeAvro(file, SCHEMA, [{ id: 1, name: 'a' }], 'bzip2', { bzip2: renamed('bzip2') });
    await expect(read.avro(file).toRows()).rejects.toThrow(/bz\.avro: Avro codec 'bzip2' is not supported \(sluice reads null, deflate, snappy, zstandard\)/);
  });

  it('a file whose schema is not a record reads as one column, value', async () => {
    const dir = await tempDir('sluice-avro-');
    const strings = join(dir, 'strings.avro');
    await writeAvro(strings, 'string', ['a', 'b', 'c'], 'null');
    expect(await read.avro(strings).toRows()).toEqual([{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    const arrays = join(dir, 'arrays.avro');
    await writeAvro(arrays, { type: 'array', items: 'int' }, [[1, 2], [], [3]], 'null');
    const frame = read.avro(arrays);
    expect((await frame.schema()).fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(['value:List<Int32>']);
    expect((await frame.toRows()).map((r) => [...(r.value as Iterable<number>)])).toEqual([[1, 2], [], [3]]);
  });
});
