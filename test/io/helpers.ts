import { Decimal, Field, RecordBatch, Table, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';

/** A batch from columns built with `vectorFromArray` (fine in tests; production code builds Data directly). */
export function batchOf(columns: Record<string, Vector>): RecordBatch {
  const table = new Table(columns);
  return table.batches.length === 1 ? table.batches[0] : new RecordBatch(table.schema, table.batches[0].data);
}

export const column = (values: unknown[], type: DataType) => vectorFromArray(values, type);

/** A Decimal128 column from unscaled bigints (null = null). */
export function decimalColumn(unscaled: (bigint | null)[], precision: number, scale: number): Vector {
  const type = new Decimal(scale, precision, 128);
  const words = new Uint32Array(unscaled.length * 4);
  const valid = new Uint8Array(((unscaled.length + 63) >> 6) << 3);
  let nulls = 0;
  unscaled.forEach((value, i) => {
    if (value === null) return void nulls++;
    valid[i >> 3] |= 1 << (i & 7);
    let rest = BigInt.asUintN(128, value);
    for (let w = 0; w < 4; w++, rest >>= 32n) words[i * 4 + w] = Number(rest & 0xffffffffn);
  });
  const data = makeData({ type, length: unscaled.length, nullCount: nulls, nullBitmap: valid, data: words });
  return makeVector(data);
}

/** A column of raw epoch counts in the type's own unit (vectorFromArray would take milliseconds). */
export function rawColumn(values: (bigint | null)[], type: DataType): Vector {
  const valid = new Uint8Array(((values.length + 63) >> 6) << 3);
  values.forEach((value, i) => value !== null && (valid[i >> 3] |= 1 << (i & 7)));
  const nullCount = values.filter((value) => value === null).length;
  const data = BigInt64Array.from(values, (value) => value ?? 0n);
  return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: valid, data } as never));
}

export async function* streamOf(...batches: RecordBatch[]): AsyncGenerator<RecordBatch> {
  for (const batch of batches) yield batch;
}

/** Plain rows of batches, with bigints as strings so that toEqual can compare them. */
export function rowsOf(batches: RecordBatch[]): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const batch of batches) {
    for (const row of batch) rows.push(plain(row?.toJSON()) as Record<string, unknown>);
  }
  return rows;
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint32Array) return Array.from(value);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Date)) return plain((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) return value.map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}


/** mulberry32: a small seeded generator, so a failure names its seed (the Parquet differential tests). */
export function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const big = (bits: number) => {
    let v = 0n;
    for (let b = 0; b < bits; b += 16) v = (v << 16n) | BigInt(int(0, 0xffff));
    return BigInt.asIntN(bits, v);
  };
  return { next, int, pick, big };
}
export type Random = ReturnType<typeof random>;
