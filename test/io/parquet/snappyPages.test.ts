import { join } from 'node:path';
import { Float64, Int32, Int64, TimestampMillisecond, Utf8 } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { parquetReader } from '../../../src/io/formats/parquet/parquetReader.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import type { ParquetCompression } from '../../../src/io/formats/parquet/parquetWriter.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { batchOf, column, random, rawColumn, rowsOf, streamOf } from '../helpers.js';

/**
 * Parquet pages through sluice's own snappy codec: pages that compress and pages it gives up on
 * (stored as one literal) read back identically by DuckDB, parquet-wasm and sluice's decoder, and
 * pages DuckDB compressed (its C++ snappy) read back by sluice's decoder.
 */

const ROWS = 150_000;

function table(): RecordBatch {
  const r = random(5);
  const words = ['pending', 'paid', 'shipped', 'Lyon', 'ünïcode', '日本語'];
  return batchOf({
    row: column(Array.from({ length: ROWS }, (_, k) => k), new Int32()),
    id: rawColumn(Array.from({ length: ROWS }, (_, k) => BigInt(k) * 7919n), new Int64()),
    noise: column(Array.from({ length: ROWS }, () => r.next() * 1e6), new Float64()),
    zeros: column(Array.from({ length: ROWS }, (_, k) => (k % 97 === 0 ? null : 0)), new Int32()),
    ts: rawColumn(Array.from({ length: ROWS }, (_, k) => 1_700_000_000_000n + BigInt(k * 1000 + r.int(0, 999))), new TimestampMillisecond()),
    note: column(Array.from({ length: ROWS }, (_, k) => (k % 5 === 0 ? null : `${r.pick(words)} ${r.int(0, 1e9)}`)), new Utf8()),
  });
}

function write(path: string, batch: RecordBatch, compression: ParquetCompression) {
  return parquetWriter.write(streamOf(batch), path, { schema: batch.schema, compression, rowGroupSize: 100_000 });
}

async function read(path: string, env: Record<string, string> = {}) {
  Object.assign(process.env, env);
  try {
    const schema = await parquetReader.inferSchema(path, {});
    const batches: RecordBatch[] = [];
    for await (const chunk of parquetReader.read(path, {}, { schema })) batches.push(chunk.batch);
    return rowsOf(batches);
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
  }
}

describe('Parquet pages through sluice\'s snappy codec', () => {
  it('reads back identically in DuckDB, parquet-wasm and sluice, compressed pages and given-up ones alike', { timeout: 60_000 }, async () => {
    const dir = await tempDir('sluice-snappy-');
    const batch = table();
    const [snappy, none, duckdb] = ['snappy', 'none', 'duckdb'].map((name) => join(dir, `${name}.parquet`));
    await write(snappy, batch, 'snappy');
    await write(none, batch, 'none');
    await duck(`copy (select * from read_parquet('${none}')) to '${duckdb}' (format parquet, compression snappy, row_group_size 100000)`);

    // Both paths are in the file: the noise column stored (nearly) as it is, zeros and ids compressed.
    const sizes = await duck(`select path_in_schema as name, sum(total_compressed_size)::int as packed, sum(total_uncompressed_size)::int as plain
      from parquet_metadata('${snappy}') group by 1 order by 1`);
    const size = Object.fromEntries(sizes.map((s) => [s.name, s]));
    expect(size.noise.packed).toBeGreaterThan(0.99 * size.noise.plain);
    expect(size.zeros.packed).toBeLessThan(0.2 * size.zeros.plain);
    expect(size.ts.packed).toBeLessThan(0.95 * size.ts.plain);
    expect((await duck(`select distinct compression from parquet_metadata('${snappy}')`))).toEqual([{ compression: 'SNAPPY' }]);

    // DuckDB decodes our snappy pages to exactly the uncompressed file's rows.
    const columns = 'row, id, noise, zeros, ts, note';
    const [diff] = await duck(`select
      (select count(*) from read_parquet('${snappy}'))::int as rows,
      (select count(*) from (select ${columns} from read_parquet('${snappy}') except all select ${columns} from read_parquet('${none}')))::int as differ`);
    expect(diff).toEqual({ rows: ROWS, differ: 0 });

    // sluice's decoder and parquet-wasm read the same rows; sluice's decoder reads DuckDB's snappy pages.
    const expected = rowsOf([batch]);
    expect(await read(snappy)).toEqual(expected);
    expect(await read(snappy, { SLUICE_PARQUET_DECODER: 'wasm' })).toEqual(expected);
    expect((await duck(`select distinct compression from parquet_metadata('${duckdb}')`))).toEqual([{ compression: 'SNAPPY' }]);
    expect((await read(duckdb)).map((row) => ({ ...row, ts: Number(row.ts) }))).toEqual(expected.map((row) => ({ ...row, ts: Number(row.ts) })));
  });
});
