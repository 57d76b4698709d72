import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Float64, Int64, RecordBatch, Schema, Struct, Table, Utf8, makeData, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parquetReader } from '../../../src/io/formats/parquet/parquetReader.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import { loadParquetWasm } from '../../../src/io/formats/parquet/wasm.js';
import { SluiceError } from '../../../src/types/ErrorRecord.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { column, streamOf } from '../helpers.js';

/**
 * The flat decoder on broken files: truncated data, bit flips in the pages and in the footer.
 * Every read ends (no hang), and either fails with a SluiceError naming the file or gives the
 * file's row count (a flipped value bit cannot be seen without checksums; a lost row can).
 */

function random(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

async function countRows(path: string): Promise<number> {
  const schema = await parquetReader.inferSchema(path, {});
  let rows = 0;
  for await (const chunk of parquetReader.read(path, {}, { schema, batchSize: 500 })) rows += chunk.batch.numRows;
  return rows;
}

/** Reads `path`: its row count, or the SluiceError it fails with (anything else fails the test). */
async function outcome(path: string): Promise<number | SluiceError> {
  try {
    return await countRows(path);
  } catch (error) {
    if (!(error instanceof SluiceError)) throw new Error(`${path}: not a SluiceError: ${String(error)}`, { cause: error });
    expect(error.message).toContain(path);
    return error;
  }
}

async function sources(dir: string): Promise<{ path: string; rows: number }[]> {
  const rows = 3000;
  const fields = [new Field('id', new Int64(), false), new Field('s', new Utf8(), true), new Field('k', new Utf8(), true), new Field('x', new Float64(), true)];
  const schema = new Schema(fields);
  const vectors = [
    column(Array.from({ length: rows }, (_, i) => BigInt(i * 7)), new Int64()),
    column(Array.from({ length: rows }, (_, i) => (i % 11 === 0 ? null : `value ${i} ü`)), new Utf8()),
    column(Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? null : ['DE', 'FR', 'IT'][i % 3])), new Utf8()),
    column(Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? null : i / 4)), new Float64()),
  ];
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: vectors.map((v) => v.data[0]) }));
  const out: { path: string; rows: number }[] = [];
  for (const compression of ['snappy', 'none', 'gzip'] as const) {
    const path = join(dir, `sluice-${compression}.parquet`);
    await parquetWriter.write(streamOf(batch), path, { schema, compression, rowGroupSize: 1100 });
    out.push({ path, rows });
  }
  const duckFile = join(dir, 'duck.parquet');
  await duck(`COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END AS s, ['a','b','c'][(i % 3)::INT + 1] AS k FROM range(${rows}) t(i)) TO '${duckFile}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000)`);
  out.push({ path: duckFile, rows });
  // DuckDB's v2 files: DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, BYTE_STREAM_SPLIT; uncompressed (the bits reach the decoders) and LZ4_RAW.
  for (const compression of ['uncompressed', 'lz4']) {
    const v2 = join(dir, `duck-v2-${compression}.parquet`);
    await duck(`COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v' || i END AS s, (i * 7919 % 1000)::INT AS n, CASE WHEN i % 3 = 0 THEN NULL ELSE i / 4 END::DOUBLE AS x
      FROM range(${rows}) t(i)) TO '${v2}' (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION ${compression}, ROW_GROUP_SIZE 1000)`);
    out.push({ path: v2, rows });
  }
  // arrow-rs: DELTA_BYTE_ARRAY strings, data pages v2, the deprecated (Hadoop-framed) LZ4.
  const wasm = await loadParquetWasm();
  const frontCoded = join(dir, 'arrow-rs-delta-lz4.parquet');
  const properties = new wasm.WriterPropertiesBuilder().setWriterVersion(wasm.WriterVersion.V2).setCompression(wasm.Compression.LZ4)
    .setMaxRowGroupSize(1100).setDataPageSizeLimit(4000).setWriteBatchSize(200).setDictionaryEnabled(false)
    .setColumnEncoding('s', wasm.Encoding.DELTA_BYTE_ARRAY).setColumnEncoding('id', wasm.Encoding.DELTA_BINARY_PACKED).setColumnEncoding('x', wasm.Encoding.BYTE_STREAM_SPLIT).build();
  await writeFile(frontCoded, wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(new Table([batch]), 'stream')), properties));
  out.push({ path: frontCoded, rows });
  return out;
}

describe('own flat Parquet decoder on broken files', () => {
  it('truncated data and flipped bits: a SluiceError naming the file, or every row; never a crash or a hang', async () => {
    const dir = await tempDir('sluice-pq-fuzz-');
    let failures = 0;
    let reads = 0;
    for (const [s, source] of (await sources(dir)).entries()) {
      const good = await readFile(source.path);
      expect(await outcome(source.path)).toBe(source.rows);
      const footerLength = good.readUInt32LE(good.length - 8);
      const dataEnd = good.length - 8 - footerLength;
      const footer = good.subarray(dataEnd);
      for (let k = 0; k < 40; k++) {
        const pick = random(s * 1000 + k);
        const bad = join(dir, `bad-${s}-${k}.parquet`);
        let bytes: Buffer;
        let footerIntact = true;
        const kind = k % 4;
        if (kind === 0) {
          // Data cut short, the footer kept: chunks past the cut, or pages cut mid-way.
          bytes = Buffer.concat([good.subarray(0, 4 + pick(dataEnd - 4)), footer]);
        } else if (kind === 1 || kind === 2) {
          bytes = Buffer.from(good);
          for (let f = 0; f <= pick(kind === 1 ? 1 : 8); f++) bytes[4 + pick(dataEnd - 4)] ^= 1 << pick(8);
        } else {
          // The whole file, footer included; or cut anywhere.
          footerIntact = false;
          bytes = Buffer.from(good);
          if (pick(2)) bytes = bytes.subarray(0, pick(bytes.length));
          else for (let f = 0; f <= pick(4); f++) bytes[pick(bytes.length)] ^= 1 << pick(8);
        }
        await writeFile(bad, bytes);
        const result = await outcome(bad);
        reads++;
        if (result instanceof SluiceError) {
          failures++;
          // Data broken under an intact footer: the flat decoder names the row group and the column.
          if (footerIntact) expect(result.message, `${bad}: kind ${kind}`).toMatch(/ row group \d+: corrupt Parquet data in column \w+: /);
        }
        else if (footerIntact) expect(result, `${bad}: kind ${kind}`).toBe(source.rows);
      }
    }
    // Most broken files are noticed (a flipped bit in a value is not, without checksums).
    expect(failures).toBeGreaterThan(reads / 4);
  }, 300_000);
});
