import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Field, Schema, Utf8, type RecordBatch } from 'apache-arrow';
import type { ErrorRecord } from '../../src/types/ErrorRecord.js';
import type { ReadChunk } from '../../src/io/formats/Format.js';

/** Writes `text` (UTF-8; gzipped when the name ends in .gz) into `dir` and returns its path. */
export async function writeCsv(dir: string, name: string, text: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  await writeFile(path, name.endsWith('.gz') ? gzipSync(bytes) : bytes);
  return path;
}

/** The bytes of `text` in chunks of `size` bytes (the last may be shorter). */
export async function* chunked(text: string | Uint8Array, size: number | (() => number)): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  for (let i = 0; i < bytes.length;) {
    const n = Math.max(1, typeof size === 'number' ? size : size());
    yield bytes.slice(i, i + n);
    i += n;
  }
}

/** A schema of utf8 columns with the given names. */
export const utf8Schema = (names: string[]): Schema => new Schema(names.map((n) => new Field(n, new Utf8(), true)));

/** Glue's positional names col0..col(n-1), as utf8. */
export const positionalUtf8 = (count: number): Schema =>
  utf8Schema(Array.from({ length: count }, (_, i) => `col${i}`));

/** A batch's rows as plain objects (timestamps as ms numbers, int64 as bigint, as Arrow gives them). */
export function rowsOf(batch: RecordBatch): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    batch.schema.fields.forEach((field, c) => {
      row[field.name] = batch.getChildAt(c)!.get(i);
    });
    rows.push(row);
  }
  return rows;
}

export interface Collected {
  rows: Record<string, unknown>[];
  errors: ErrorRecord[];
  dropped: number;
  batchSizes: number[];
  schema?: Schema;
}

/**
 * Reads every chunk of a CSV read (parseCsvBytes, or csvReader.read, typed as any format's
 * ReadChunk) into rows, errors and counts. Each chunk must say how many malformed lines it
 * dropped: a reader that stopped saying so fails here rather than counting 0.
 */
export async function collect(chunks: AsyncIterable<ReadChunk>): Promise<Collected> {
  const out: Collected = { rows: [], errors: [], dropped: 0, batchSizes: [] };
  for await (const chunk of chunks) {
    out.schema = chunk.batch.schema;
    out.rows.push(...rowsOf(chunk.batch));
    out.errors.push(...chunk.errors);
    if (!('droppedMalformed' in chunk && typeof chunk.droppedMalformed === 'number')) throw new Error('a CSV chunk without a droppedMalformed count');
    out.dropped += chunk.droppedMalformed;
    out.batchSizes.push(chunk.batch.numRows);
    for (const child of chunk.batch.data.children) {
      if (child.length !== chunk.batch.numRows) throw new Error('a column length differs from the batch length');
    }
  }
  return out;
}

/** mulberry32: a small seeded PRNG, so every random test is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
