import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, FixedSizeBinary, Float16, LargeBinary, List, RecordBatch, Schema, Struct, Table, makeData, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { loadParquetWasm } from '../../src/io/formats/parquet/wasm.js';
import { duck } from '../support/duck.js';
import { runSluice } from '../support/cli.js';
import { tempDir } from '../support/files.js';
import { writeInt96Parquet, writeNestedInt96Parquet } from '../support/int96Parquet.js';

/** Six rows in one uncompressed row group, written by DuckDB. */
async function sixRows(dir: string): Promise<string> {
  const file = join(dir, 'six.parquet');
  await duck(`COPY (SELECT i::INT AS i, 'x' || i AS s FROM range(6) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION uncompressed)`);
  return file;
}

/** Rewrites the footer's bytes (FileMetaData, Thrift compact) with `edit`, keeping their length. */
async function editFooter(from: string, to: string, edit: (footer: Buffer) => void): Promise<void> {
  const bytes = await readFile(from);
  const length = bytes.readUInt32LE(bytes.length - 8);
  edit(bytes.subarray(bytes.length - 8 - length, bytes.length - 8));
  await writeFile(to, bytes);
}

/** A file of the given Arrow columns, written by parquet-wasm (DuckDB writes no float16). */
async function wasmParquet(file: string, fields: Field[], children: ReturnType<typeof makeData>[]): Promise<void> {
  const wasm = await loadParquetWasm();
  const schema = new Schema(fields);
  const length = children[0].length;
  const table = new Table([new RecordBatch(schema, makeData({ type: new Struct(fields), length, nullCount: 0, children }))]);
  await writeFile(file, wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream'))));
}

const SIX = [0, 1, 2, 3, 4, 5].map((i) => ({ i, s: `x${i}` }));

describe('Parquet files as they come', () => {
  it('a corrupt page is a SluiceError naming file and row group, and the reader works afterwards', async () => {
    const dir = await tempDir('sluice-pq-');
    const good = await sixRows(dir);
    const bytes = await readFile(good);
    bytes[4] ^= 0xff; // the first page header: parquet-wasm panics (RuntimeError: unreachable)
    const bad = join(dir, 'bad.parquet');
    await writeFile(bad, bytes);
    const error = await read.parquet(bad).toRows().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as Error).message).toMatch(/bad\.parquet row group 0: corrupt Parquet data/);
    expect(await read.parquet(good).toRows()).toEqual(SIX);

    const cli = await runSluice(['convert', bad, join(dir, 'out'), '--to', 'json']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/bad\.parquet row group 0: corrupt Parquet data/);
    expect(cli.stderr).not.toMatch(/^\s+at /m);
  });

  it('INT96 timestamps past 2262 and before 1677 read exactly, as microseconds', async () => {
    const dir = await tempDir('sluice-pq-');
    const file = join(dir, 'int96.parquet');
    // 9999-12-31T23:59:59.999999, the epoch, just before it, 2024-01-02T03:04:05.123456, 0001-01-01.
    const micros = [253_402_300_799_999_999n, 0n, -1n, 1_704_164_645_123_456n, -62_135_596_800_000_000n];
    await writeInt96Parquet(file, micros);
    const oracle = await duck(`SELECT epoch_us(ts)::VARCHAR AS us, ts::VARCHAR AS text FROM '${file}'`);
    expect(oracle.map((r) => r.us)).toEqual(micros.map(String));
    expect(oracle[0].text).toBe('9999-12-31 23:59:59.999999');
    const frame = read.parquet(file);
    expect((await frame.schema()).fields.map((f) => String(f.type))).toEqual(['Timestamp<MICROSECOND>']);
    const { table } = await frame.collect();
    expect([...table.getChild('ts')!.data[0].values as BigInt64Array]).toEqual(micros);
    expect((await frame.toRows()).map((r) => (r.ts as Date).toISOString())).toEqual([
      '9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-01-02T03:04:05.123Z', '0001-01-01T00:00:00.000Z',
    ]);
  });

  it('float16 columns read as numbers, not their bits', async () => {
    const dir = await tempDir('sluice-pq-');
    const file = join(dir, 'half.parquet');
    const bits = new Uint16Array([0x3c00, 0x4000, 0xbc00, 0x3555, 0x7c00]); // 1, 2, -1, ~0.333, Infinity
    await wasmParquet(file, [new Field('h', new Float16(), true)], [makeData({ type: new Float16(), length: 5, nullCount: 0, data: bits })]);
    const frame = read.parquet(file);
    expect((await frame.schema()).fields.map((f) => String(f.type))).toEqual(['Float32']);
    const expected = (await duck(`SELECT h::DOUBLE AS h FROM '${file}'`)).map((r) => r.h);
    expect(expected.slice(0, 3)).toEqual([1, 2, -1]);
    expect((await frame.toRows()).map((r) => r.h)).toEqual([1, 2, -1, 0.333251953125, Infinity]);
  });

  it('INT96 timestamps inside a struct or a list are exact microseconds too, past 2262 included', async () => {
    const dir = await tempDir('sluice-pq-');
    const micros = [253_402_300_799_999_999n, 0n, -1n, 1_704_164_645_123_456n, -62_135_596_800_000_000n];
    const iso = ['9999-12-31T23:59:59.999Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-01-02T03:04:05.123Z', '0001-01-01T00:00:00.000Z'];

    const inStruct = join(dir, 'struct.parquet');
    await writeNestedInt96Parquet(inStruct, 'struct', micros.map((us) => [us]));
    expect((await duck(`SELECT epoch_us(s.ts)::VARCHAR AS us FROM '${inStruct}'`)).map((r) => r.us)).toEqual(micros.map(String));
    const structs = read.parquet(inStruct);
    expect((await structs.schema()).fields.map((f) => String(f.type))).toEqual(['Struct<{ts:Timestamp<MICROSECOND>}>']);
    const { table } = await structs.collect();
    expect([...table.getChild('s')!.data[0].children[0].values as BigInt64Array]).toEqual(micros);
    expect((await structs.toRows()).map((r) => ((r.s as { ts: Date }).ts).toISOString())).toEqual(iso);

    const inList = join(dir, 'list.parquet');
    await writeNestedInt96Parquet(inList, 'list', [[micros[0], micros[1]], [micros[2]], [micros[3], micros[4]]]);
    expect((await duck(`SELECT list_transform(l, x -> epoch_us(x)::VARCHAR) AS us FROM '${inList}'`)).map((r) => r.us)).toEqual([[micros[0], micros[1]], [micros[2]], [micros[3], micros[4]]].map((row) => row.map(String)));
    const lists = read.parquet(inList);
    expect((await lists.schema()).fields.map((f) => String(f.type))).toEqual(['List<Timestamp<MICROSECOND>>']);
    const listed = await lists.collect();
    expect([...listed.table.getChild('l')!.data[0].children[0].values as BigInt64Array]).toEqual(micros);
    expect((await lists.toRows()).map((r) => (r.l as Date[]).map((d) => d.toISOString()))).toEqual([[iso[0], iso[1]], [iso[2]], [iso[3], iso[4]]]);
  });

  it('float16 values inside a struct or a list read as float32 numbers, not their bits', async () => {
    const dir = await tempDir('sluice-pq-');
    const file = join(dir, 'nested-half.parquet');
    const half = (bits: number[]) => makeData({ type: new Float16(), length: bits.length, nullCount: 0, data: Uint16Array.from(bits) });
    const inStruct = new Struct([new Field('h', new Float16(), true)]);
    const inList = new List(new Field('item', new Float16(), true));
    await wasmParquet(file, [new Field('s', inStruct, true), new Field('l', inList, true)], [
      makeData({ type: inStruct, length: 3, nullCount: 0, children: [half([0x3c00, 0xbc00, 0x3555])] }), // 1, -1, ~0.333
      makeData({ type: inList, length: 3, nullCount: 0, valueOffsets: Int32Array.from([0, 2, 2, 4]), child: half([0x4000, 0x7c00, 0x3800, 0xc000]) }), // [2, Inf], [], [0.5, -2]
    ]);
    const frame = read.parquet(file);
    expect((await frame.schema()).fields.map((f) => String(f.type))).toEqual(['Struct<{h:Float32}>', 'List<Float32>']);
    expect(await frame.toRows()).toEqual([
      { s: { h: 1 }, l: [2, Infinity] },
      { s: { h: -1 }, l: [] },
      { s: { h: 0.333251953125 }, l: [0.5, -2] },
    ]);
    const { table } = await frame.collect();
    expect(String(table.getChild('s')!.data[0].children[0].type)).toBe('Float32');
  });

  it('a footer claiming num_rows = 0 still reads the rows its row group holds', async () => {
    const dir = await tempDir('sluice-pq-');
    const file = join(dir, 'zero.parquet');
    await editFooter(await sixRows(dir), file, (footer) => {
      // FileMetaData field 3 (num_rows, i64 6 = zigzag 0x0c) right before field 4 (the row groups list).
      const at = footer.indexOf(Buffer.from([0x16, 0x0c, 0x19]));
      expect(at).toBeGreaterThan(0);
      footer[at + 1] = 0;
    });
    expect(await duck(`SELECT count(*)::INT AS n FROM '${file}'`)).toEqual([{ n: 6 }]);
    expect(await read.parquet(file).toRows()).toEqual(SIX);
    expect(await read.parquet(file, { batchSize: 4 }).count()).toBe(6);
  });

  it('an encrypted file (magic PARE) says so', async () => {
    const dir = await tempDir('sluice-pq-');
    const bytes = await readFile(await sixRows(dir));
    bytes.write('PARE', 0, 'latin1');
    bytes.write('PARE', bytes.length - 4, 'latin1');
    const file = join(dir, 'secret.parquet');
    await writeFile(file, bytes);
    await expect(read.parquet(file).toRows()).rejects.toThrow(/secret\.parquet: encrypted Parquet is not supported/);
  });

  // Passes before this change too (another branch made them writable): kept as a guard.
  it('binary, fixed-size binary and map columns convert to JSON', async () => {
    const dir = await tempDir('sluice-pq-');
    const file = join(dir, 'bytes.parquet');
    await wasmParquet(file, [new Field('f', new FixedSizeBinary(4), true), new Field('lb', new LargeBinary(), true)], [
      makeData({ type: new FixedSizeBinary(4), length: 2, nullCount: 0, data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }),
      makeData({ type: new LargeBinary(), length: 2, nullCount: 0, valueOffsets: new BigInt64Array([0n, 2n, 3n]), data: new Uint8Array([9, 8, 7]) }),
    ]);
    const map = join(dir, 'map.parquet');
    await duck(`COPY (SELECT 'abc'::BLOB AS b, MAP {'k': 1} AS m) TO '${map}' (FORMAT parquet)`);
    for (const [input, expected] of [[file, '{"f":"AQIDBA==","lb":"CQg="}\n{"f":"BQYHCA==","lb":"Bw=="}\n'], [map, '{"b":"YWJj","m":{"k":1}}\n']]) {
      const out = join(dir, `out-${input.endsWith('map.parquet') ? 'map' : 'bytes'}`);
      const cli = await runSluice(['convert', input, out, '--to', 'json']);
      expect(cli.stderr).not.toMatch(/Error/);
      expect(cli.code).toBe(0);
      const rows = await duck(`SELECT * FROM read_json_objects('${out}/*.json', format='newline_delimited')`);
      expect(rows.map((r) => `${String(r.json)}\n`).join('')).toBe(expected);
    }
  });
});
