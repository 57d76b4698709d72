// W4's scan (country = 'DE' AND amount > 100, count) over a copy of sluice's W1 output that DuckDB
// rewrote as a "v2" Parquet file (PARQUET_VERSION v2: DELTA_BINARY_PACKED ints and timestamps,
// BYTE_STREAM_SPLIT doubles, dictionary strings), the files Spark/parquet-mr, DuckDB, arrow-rs and
// Polars write with their v2 options. Run it against two builds to compare decoders:
//   node benchmarks/parquetV2Scan.mjs prepare [CODEC=snappy]   writes bench-out/v2/w1-<codec>.parquet
//   node benchmarks/parquetV2Scan.mjs [CODEC=snappy] [wide]    scans it with this repo's dist/
// `wide` filters on order_id and customer_id too (the DELTA_BINARY_PACKED columns). SLUICE_DIST=<dir>
// scans with another build (e.g. /work/main/dist, whose decoder sends these files to parquet-wasm).
import fs from 'node:fs';
import path from 'node:path';
import { OUT, outputOf } from './lib/paths.mjs';

const prepare = process.argv[2] === 'prepare';
const args = process.argv.slice(prepare ? 3 : 2);
const CODEC = args[0] ?? 'snappy';
const FILE = path.join(OUT, 'v2', `w1-${CODEC}.parquet`);

if (prepare) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  fs.mkdirSync(path.dirname(FILE), { recursive: true });
  const connection = await (await DuckDBInstance.create()).connect();
  await connection.run(`COPY (SELECT * FROM '${outputOf('sluice', 'w1')}/*.parquet') TO '${FILE}' (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION ${CODEC})`);
  console.log(FILE);
} else {
  const dist = process.env.SLUICE_DIST ? path.resolve(process.env.SLUICE_DIST) : new URL('../dist', import.meta.url).pathname;
  const sluice = await import(path.join(dist, 'lib/index.js'));
  const filter = args[1] === 'wide' ? "order_id > 1000000 AND customer_id < 5000 AND amount > 100" : "country = 'DE' AND amount > 100";
  console.log(JSON.stringify({ file: FILE, count: await sluice.read.parquet(FILE).filter(filter).count() }));
}
