import { mkdir, readFile, truncate, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { avroReader } from '../../src/io/formats/avro/avroReader.js';
import { formatOfPath } from '../../src/io/formats/registry.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import type { ReadChunk } from '../../src/io/formats/Format.js';
import { tempDir as makeTempDir } from '../support/files.js';

const tempDir = () => makeTempDir('sluice-avro-');

/** Writes records with avsc's encoder (codec 'null' or 'deflate'); the header keeps the schema as given. */
async function writeAvro(path: string, schema: avro.Schema, records: unknown[], codec = 'null', blockSize?: number): Promise<void> {
  const encoder = new avro.streams.BlockEncoder(schema, { codec, ...(blockSize ? { blockSize } : {}) });
  const out = encoder.pipe(createWriteStream(path));
  const done = new Promise<void>((resolve, reject) => {
    encoder.on('typeError', (error: Error) => reject(error));
    out.on('close', resolve).on('error', reject);
  });
  for (const record of records) encoder.write(record);
  encoder.end();
  await done;
}

const typesOf = (schema: { fields: { name: string; type: unknown; nullable: boolean }[] }) =>
  Object.fromEntries(schema.fields.map((f) => [f.name, `${String(f.type)}${f.nullable ? '?' : ''}`]));

const decimalBytes = (unscaled: bigint, size = 8) => {
  const buf = Buffer.alloc(size);
  let rest = BigInt.asUintN(size * 8, unscaled);
  for (let i = size - 1; i >= 0; i--, rest >>= 8n) buf[i] = Number(rest & 0xffn);
  return buf;
};

const ALL_TYPES: avro.Schema = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'b', type: 'boolean' },
    { name: 's', type: 'string' },
    { name: 'e', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
    { name: 'raw', type: 'bytes' },
    { name: 'ns', type: ['null', 'string'] },
    { name: 'nl', type: ['long', 'null'] },
    { name: 'either', type: ['null', 'int', 'string'] },
    { name: 'addr', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }, { name: 'zip', type: ['null', 'int'] }] } },
    { name: 'home', type: ['null', 'Address'] },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'lines', type: { type: 'array', items: { type: 'record', name: 'Line', fields: [{ name: 'qty', type: 'int' }] } } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'ms', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'us', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }] },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
  ],
};

const ROWS_IN = [
  {
    i: 1, l: 9_007_199_254_740_000, f: 1.5, d: 2.25, b: true, s: 'héllo', e: 'RED', raw: Buffer.from([0, 255, 1]),
    ns: null, nl: 7, either: null, addr: { city: 'Oslo', zip: 150 }, home: null, tags: ['a', 'b'], lines: [{ qty: 2 }, { qty: 3 }],
    day: 19_782, ms: 1_715_934_615_123, us: 1_715_934_615_123_456, price: decimalBytes(-1234n),
  },
  {
    i: -2, l: -5, f: -0.5, d: 1e300, b: false, s: '', e: 'GREEN', raw: Buffer.from('hi'),
    ns: 'x', nl: null, either: 'two', addr: { city: 'Rome', zip: null }, home: { city: 'Bari', zip: 70121 }, tags: [], lines: [],
    day: -1, ms: 0, us: null, price: decimalBytes(5n),
  },
  {
    i: 3, l: 0, f: 0, d: 0, b: true, s: 's3', e: 'RED', raw: Buffer.alloc(0),
    ns: null, nl: null, either: 42, addr: { city: 'Pisa', zip: 1 }, home: null, tags: ['z'], lines: [{ qty: 1 }],
    day: 0, ms: -1, us: 0, price: decimalBytes(100n),
  },
];

const ROWS_OUT = [
  {
    i: 1, l: 9_007_199_254_740_000, f: 1.5, d: 2.25, b: true, s: 'héllo', e: 'RED', raw: 'AP8B',
    ns: null, nl: 7, either: null, addr: { city: 'Oslo', zip: 150 }, home: null, tags: ['a', 'b'], lines: [{ qty: 2 }, { qty: 3 }],
    day: new Date('2024-02-29T00:00:00Z'), ms: new Date('2024-05-17T08:30:15.123Z'), us: new Date('2024-05-17T08:30:15.123Z'), price: -12.34,
  },
  {
    i: -2, l: -5, f: -0.5, d: 1e300, b: false, s: '', e: 'GREEN', raw: 'aGk=',
    ns: 'x', nl: null, either: '{"string":"two"}', addr: { city: 'Rome', zip: null }, home: { city: 'Bari', zip: 70121 }, tags: [], lines: [],
    day: new Date('1969-12-31T00:00:00Z'), ms: new Date(0), us: null, price: 0.05,
  },
  {
    i: 3, l: 0, f: 0, d: 0, b: true, s: 's3', e: 'RED', raw: '',
    ns: null, nl: null, either: '{"int":42}', addr: { city: 'Pisa', zip: 1 }, home: null, tags: ['z'], lines: [{ qty: 1 }],
    day: new Date(0), ms: new Date(-1), us: new Date(0), price: 1,
  },
];

async function chunksOf(path: string, options: Parameters<typeof avroReader.read>[1], read: Partial<Parameters<typeof avroReader.read>[2]> = {}) {
  const schema = read.schema ?? (await avroReader.inferSchema(path, options));
  const chunks: ReadChunk[] = [];
  for await (const chunk of avroReader.read(path, options, { schema, ...read })) chunks.push(chunk);
  return chunks;
}

describe('avro reader', () => {
  it('maps every Avro type to its Arrow type', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.avro');
    await writeAvro(path, ALL_TYPES, ROWS_IN);
    const schema = await avroReader.inferSchema(path, {});
    expect(typesOf(schema)).toEqual({
      i: 'Int32', l: 'Int64', f: 'Float64', d: 'Float64', b: 'Bool', s: 'Utf8', e: 'Utf8', raw: 'Utf8',
      ns: 'Utf8?', nl: 'Int64?', either: 'Utf8?',
      addr: 'Struct<{city:Utf8, zip:Int32}>', home: 'Struct<{city:Utf8, zip:Int32}>?',
      tags: 'List<Utf8>', lines: 'List<Struct<{qty:Int32}>>',
      day: 'Date32<DAY>', ms: 'Timestamp<MILLISECOND, UTC>', us: 'Timestamp<MICROSECOND, UTC>?', price: 'Decimal[10e+2]',
    });
    expect(formatOfPath(path)).toBe('avro');
  });

  it('reads rows of every type, nulls, nested records and arrays, logical types', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.avro');
    await writeAvro(path, ALL_TYPES, ROWS_IN);
    const rows = await read.avro(path).toRows();
    expect(rows).toEqual(ROWS_OUT);
    // toRows shows Dates; the column keeps the microseconds and the exact decimal.
    const table = await read.avro(path).toArrow();
    expect(Array.from(table.getChild('us')!.data[0].values as BigInt64Array)).toEqual([1_715_934_615_123_456n, 0n, 0n]);
    expect(Array.from((table.getChild('price')!.data[0].values as Uint32Array).subarray(0, 4))).toEqual([2 ** 32 - 1234, 2 ** 32 - 1, 2 ** 32 - 1, 2 ** 32 - 1]);
  });

  it('projects columns and streams batches of batchSize rows', async () => {
    const dir = await tempDir();
    const path = join(dir, 'orders.avro');
    await writeAvro(path, ALL_TYPES, ROWS_IN);
    expect(await read.avro(path).selectFields(['s', 'i']).toRows()).toEqual([{ i: 1, s: 'héllo' }, { i: -2, s: '' }, { i: 3, s: 's3' }]);
    const schema = await avroReader.inferSchema(path, {});
    const chunks = await chunksOf(path, {}, { schema, batchSize: 2, columns: ['home', 'i'] });
    expect(chunks.map((c) => c.batch.numRows)).toEqual([2, 1]);
    expect(chunks[0].batch.schema.names).toEqual(['i', 'home']);
    expect(JSON.parse(JSON.stringify(chunks.flatMap((c) => c.batch.toArray())))).toEqual([
      { i: 1, home: null }, { i: -2, home: { city: 'Bari', zip: 70121 } }, { i: 3, home: null },
    ]);
  });

  it('reads deflate files of many blocks, batch by batch', async () => {
    const dir = await tempDir();
    const path = join(dir, 'big.avro');
    const schema: avro.Schema = { type: 'record', name: 'R', fields: [{ name: 'n', type: 'int' }, { name: 'text', type: 'string' }] };
    const records = Array.from({ length: 5000 }, (_, n) => ({ n, text: `é${'x'.repeat(n % 300)}` }));
    await writeAvro(path, schema, records, 'deflate', 4096);
    const header = await readFile(path);
    expect(header.includes(Buffer.from('deflate'))).toBe(true);
    const chunks = await chunksOf(path, {}, { batchSize: 2048 });
    expect(chunks.map((c) => c.batch.numRows)).toEqual([2048, 2048, 904]);
    const rows = await read.avro(path).toRows();
    expect(rows.length).toBe(5000);
    expect(rows[4999]).toEqual({ n: 4999, text: `é${'x'.repeat(4999 % 300)}` });
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('turns records that do not fit the given schema into error records, per mode', async () => {
    const dir = await tempDir();
    const path = join(dir, 'mixed.avro');
    const schema: avro.Schema = { type: 'record', name: 'R', fields: [{ name: 'id', type: 'long' }, { name: 'code', type: 'double' }] };
    await writeAvro(path, schema, [{ id: 1, code: 10 }, { id: 2, code: 2.5 }, { id: 3, code: 30 }]);
    const given = { id: 'int64', code: 'int32' };
    const frame = read.avro(path, { schema: given });
    const { table, errors } = await frame.collect();
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ id: 1n, code: 10 }, { id: 3n, code: 30 }]);
    expect(errors.map((e) => [e.file, e.line, e.message])).toEqual([[path, 2, `${path} record 2: code: 2.5 is not a valid Int32`]]);
    expect(await read.avro(path, { schema: given, mode: 'dropMalformed' }).errorsCount()).toBe(0);
    await expect(read.avro(path, { schema: given, mode: 'failFast' }).toRows()).rejects.toThrow(`${path} record 2: code: 2.5 is not a valid Int32 (mode failFast)`);
  });

  it('stops with an error naming the file when it is truncated or not Avro', async () => {
    const dir = await tempDir();
    const path = join(dir, 'cut.avro');
    const schema: avro.Schema = { type: 'record', name: 'R', fields: [{ name: 'n', type: 'int' }] };
    await writeAvro(path, schema, Array.from({ length: 1000 }, (_, n) => ({ n })), 'null', 1024);
    await truncate(path, (await stat(path)).size - 10);
    await expect(read.avro(path).toRows()).rejects.toThrow(`${path}: truncated Avro file`);
    const text = join(dir, 'text.avro');
    await writeFile(text, 'id,name\n1,a\n');
    await expect(read.avro(text).toRows()).rejects.toThrow(`${text}: not a readable Avro file (corrupt or truncated?): invalid magic bytes`);
  });

  it('reads longs past 2^53, long min and long max exactly as Int64 (issue 8: they were error records)', async () => {
    const dir = await tempDir();
    const path = join(dir, 'longs.avro');
    const schema: avro.Schema = { type: 'record', name: 'R', fields: [{ name: 'n', type: 'long' }] };
    // avsc's default long type writes only safe numbers; write the big one through a BigInt long type.
    const bigLong = avro.types.LongType.__with({
      fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
      toBuffer: (n: bigint) => { const buf = Buffer.alloc(8); buf.writeBigInt64LE(n); return buf; },
      fromJSON: BigInt, toJSON: Number, isValid: (n: unknown) => typeof n === 'bigint',
      compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
    });
    const type = avro.Type.forSchema(schema, { registry: { long: bigLong } });
    const encoder = new avro.streams.BlockEncoder(type);
    const out = encoder.pipe(createWriteStream(path));
    encoder.write({ n: 5n });
    encoder.write({ n: 2n ** 60n });
    encoder.write({ n: -(2n ** 63n) });
    encoder.write({ n: 2n ** 63n - 1n });
    encoder.end();
    await new Promise<void>((resolve) => out.on('close', () => resolve()));
    const { table, errors } = await read.avro(path).collect();
    expect(Array.from(table.getChild('n')!.toArray() as BigInt64Array)).toEqual([5n, 2n ** 60n, -(2n ** 63n), 2n ** 63n - 1n]);
    expect(errors).toEqual([]);
    expect(await read.avro(path).toRows()).toEqual([{ n: 5 }, { n: 2n ** 60n }, { n: -(2n ** 63n) }, { n: 2n ** 63n - 1n }]);
  });

  it('reads only the new .avro file of a folder on a bookmarked rerun', async () => {
    const dir = await tempDir();
    const schema: avro.Schema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'long' }, { name: 'grp', type: 'string' }] };
    const orders = (ids: number[]) => ids.map((id) => ({ id, grp: id % 2 === 0 ? 'even' : 'odd' }));
    await mkdir(join(dir, 'in'));
    await writeAvro(join(dir, 'in', 'a.avro'), schema, orders([1, 2, 3]));
    await writeAvro(join(dir, 'in', 'b.avro'), schema, orders([4, 5]));
    const spec = {
      name: 'avro-orders',
      nodes: [
        { id: 'orders', type: 'read', format: 'avro', paths: [join(dir, 'in')] },
        { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: join(dir, 'lake') },
      ],
    };
    const run = async () => {
      const summary = await runJobSpec(spec, {}, { bookmarks: { option: 'enable', stateDir: join(dir, 'state') } });
      return { files: summary.bookmark!.files, rows: summary.sinks[0].rows };
    };
    expect(await run()).toEqual({ files: 2, rows: 5 });
    await writeAvro(join(dir, 'in', 'c.avro'), schema, orders([6, 7]));
    expect(await run()).toEqual({ files: 1, rows: 2 });
    expect(await run()).toEqual({ files: 0, rows: 0 });
    const ids = (await read.parquet(join(dir, 'lake')).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
