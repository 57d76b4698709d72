import { writeFile } from 'node:fs/promises';
import { ThriftWriter, TType } from '../../src/io/formats/parquet/encode/thriftCompact.js';

const JULIAN_EPOCH_DAY = 2_440_588; // 1970-01-01
const NS_PER_DAY = 86_400_000_000_000n;

/** One INT96 value as Spark and Hive write it: nanoseconds of the day (int64 LE), Julian day (int32 LE). */
function int96(epochMicros: bigint): Uint8Array {
  const ns = epochMicros * 1000n;
  let day = ns / NS_PER_DAY;
  let nanos = ns % NS_PER_DAY;
  if (nanos < 0n) {
    nanos += NS_PER_DAY;
    day -= 1n;
  }
  const out = new Uint8Array(12);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, nanos, true);
  view.setInt32(8, Number(day) + JULIAN_EPOCH_DAY, true);
  return out;
}

/**
 * A Parquet file of one REQUIRED INT96 column `ts` (one uncompressed PLAIN page), which DuckDB
 * cannot write: the shape of Spark's and Hive's legacy timestamps, made small.
 */
export async function writeInt96Parquet(path: string, epochMicros: bigint[]): Promise<void> {
  const n = epochMicros.length;
  const values = new Uint8Array(n * 12);
  epochMicros.forEach((us, i) => values.set(int96(us), i * 12));
  const header = new ThriftWriter()
    .i32(1, 0) // DATA_PAGE
    .i32(2, values.length)
    .i32(3, values.length)
    .struct(5).i32(1, n).i32(2, 0).i32(3, 3).i32(4, 3).end()
    .end()
    .bytes();
  const chunkSize = header.length + values.length;
  const footer = new ThriftWriter().i32(1, 1);
  footer.list(2, TType.STRUCT, 2);
  footer.begin().string(4, 'schema').i32(5, 1).end();
  footer.begin().i32(1, 3).i32(3, 0).string(4, 'ts').end();
  footer.i64(3, n);
  footer.list(4, TType.STRUCT, 1).begin();
  footer.list(1, TType.STRUCT, 1).begin().i64(2, 4);
  footer.struct(3).i32(1, 3);
  footer.list(2, TType.I32, 1).elementI32(0);
  footer.list(3, TType.BINARY, 1).elementString('ts');
  footer.i32(4, 0).i64(5, n).i64(6, chunkSize).i64(7, chunkSize).i64(9, 4).end();
  footer.end(); // column chunk
  footer.i64(2, chunkSize).i64(3, n).end(); // row group
  footer.string(6, 'sluice test (INT96)').end();
  const meta = footer.bytes();
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, meta.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  const magic = new TextEncoder().encode('PAR1');
  await writeFile(path, Buffer.concat([magic, header, values, meta, tail]));
}

/** Levels of bit width 1 in the RLE/bit-packed hybrid encoding (one bit-packed run), 4-byte length first, as data page v1 stores them. */
function levels(values: number[]): Uint8Array {
  const groups = Math.ceil(values.length / 8);
  const run = new Uint8Array(1 + groups);
  run[0] = (groups << 1) | 1; // groups < 64: the varint header is one byte
  values.forEach((v, i) => (run[1 + (i >> 3)] |= v << (i & 7)));
  const out = new Uint8Array(4 + run.length);
  new DataView(out.buffer).setUint32(0, run.length, true);
  out.set(run, 4);
  return out;
}

/**
 * A Parquet file with INT96 timestamps nested as Spark writes them: `s` a required struct of one
 * required INT96 field `ts` (one value per row), or `l` a required 3-level LIST of required INT96
 * elements (each row a non-empty list, at most 500 values in all). One uncompressed PLAIN page.
 */
export async function writeNestedInt96Parquet(path: string, shape: 'struct' | 'list', rows: bigint[][]): Promise<void> {
  const flat = rows.flat();
  const values = new Uint8Array(flat.length * 12);
  flat.forEach((us, i) => values.set(int96(us), i * 12));
  const body = shape === 'list'
    ? Buffer.concat([levels(rows.flatMap((row) => row.map((_, i) => (i === 0 ? 0 : 1)))), levels(flat.map(() => 1)), values])
    : Buffer.from(values);
  const header = new ThriftWriter()
    .i32(1, 0) // DATA_PAGE
    .i32(2, body.length)
    .i32(3, body.length)
    .struct(5).i32(1, flat.length).i32(2, 0).i32(3, 3).i32(4, 3).end()
    .end()
    .bytes();
  const chunkSize = header.length + body.length;
  const path_ = shape === 'list' ? ['l', 'list', 'element'] : ['s', 'ts'];
  const footer = new ThriftWriter().i32(1, 1);
  footer.list(2, TType.STRUCT, shape === 'list' ? 4 : 3);
  footer.begin().string(4, 'schema').i32(5, 1).end();
  if (shape === 'list') {
    footer.begin().i32(3, 0).string(4, 'l').i32(5, 1).i32(6, 3).end(); // required group (LIST)
    footer.begin().i32(3, 2).string(4, 'list').i32(5, 1).end(); // repeated group
    footer.begin().i32(1, 3).i32(3, 0).string(4, 'element').end();
  } else {
    footer.begin().i32(3, 0).string(4, 's').i32(5, 1).end();
    footer.begin().i32(1, 3).i32(3, 0).string(4, 'ts').end();
  }
  footer.i64(3, rows.length);
  footer.list(4, TType.STRUCT, 1).begin();
  footer.list(1, TType.STRUCT, 1).begin().i64(2, 4);
  footer.struct(3).i32(1, 3);
  footer.list(2, TType.I32, 1).elementI32(0);
  footer.list(3, TType.BINARY, path_.length);
  for (const name of path_) footer.elementString(name);
  footer.i32(4, 0).i64(5, flat.length).i64(6, chunkSize).i64(7, chunkSize).i64(9, 4).end();
  footer.end(); // column chunk
  footer.i64(2, chunkSize).i64(3, rows.length).end(); // row group
  footer.string(6, 'sluice test (nested INT96)').end();
  const meta = footer.bytes();
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, meta.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  const magic = new TextEncoder().encode('PAR1');
  await writeFile(path, Buffer.concat([magic, header, body, meta, tail]));
}
