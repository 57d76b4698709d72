import { Dictionary, Field, Int32, Schema, Utf8, makeData, makeVector, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { packBits } from '../../src/columns/bitmap.js';
import { columnFromValues } from '../../src/columns/fromValues.js';
import { makeBatch } from '../../src/columns/take.js';
import { columnValues } from '../../src/columns/toValues.js';
import { utf8FromStrings } from '../../src/columns/utf8.js';
import type { Chunk, TransformKernel } from '../../src/exec/Kernel.js';
import type { ErrorRecord } from '../../src/types/ErrorRecord.js';

/** A batch from typed column values: `{ name: [type, values] }` or ready-made Data. */
export function batchOf(columns: Record<string, [DataType, unknown[]] | Data>): RecordBatch {
  const entries = Object.entries(columns).map(([name, c]) => [name, Array.isArray(c) ? columnFromValues(c[0], c[1]) : c] as const);
  const schema = new Schema(entries.map(([name, data]) => new Field(name, data.type, true)));
  return makeBatch(schema, entries.map(([, data]) => data), entries[0]?.[1].length ?? 0);
}

/** A Dictionary<Utf8, Int32> column; `entries` fixes the dictionary (and its order) when given. */
export function dictionaryColumn(values: (string | null)[], entries?: string[]): Data {
  const dictionary = entries ?? [...new Set(values.filter((v): v is string => v !== null))];
  const indices = new Int32Array(values.map((v) => (v === null ? 0 : dictionary.indexOf(v))));
  const { bits, unset } = packBits(Uint8Array.from(values.map((v) => (v === null ? 0 : 1))), values.length);
  return makeData({
    type: new Dictionary(new Utf8(), new Int32()), length: values.length, nullCount: unset, nullBitmap: unset ? bits : undefined,
    data: indices, dictionary: makeVector(utf8FromStrings(dictionary)),
  });
}

export async function* streamOf(chunks: Chunk[]): AsyncIterable<Chunk> {
  for (const chunk of chunks) yield chunk;
}

/** Runs a kernel directly over batches (errors attached per batch index) and gathers its output. */
export async function runKernel<P>(kernel: TransformKernel<P>, params: P, batches: RecordBatch[], errors: Record<number, ErrorRecord[]> = {}) {
  const prepared = kernel.prepare([batches[0].schema], params);
  const out: RecordBatch[] = [];
  const outErrors: ErrorRecord[] = [];
  const chunks = batches.map((batch, i) => ({ batch, errors: errors[i] ?? [] }));
  for await (const chunk of prepared.run([streamOf(chunks)], { label: kernel.name })) {
    out.push(chunk.batch);
    outErrors.push(...chunk.errors);
  }
  return { schema: prepared.schema, batches: out, errors: outErrors, columns: valuesOf(out, prepared.schema) };
}

/** `{ column: [values] }` over several batches. */
export function valuesOf(batches: RecordBatch[], schema: Schema = batches[0].schema): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  schema.fields.forEach((f, k) => (out[f.name] = batches.flatMap((b) => columnValues(b.data.children[k] as Data))));
  return out;
}

/** Cuts a batch into consecutive slices at the given row numbers. */
export function splitAt(batch: RecordBatch, cuts: number[]): RecordBatch[] {
  const bounds = [0, ...cuts, batch.numRows];
  return bounds.slice(1).map((end, i) => batch.slice(bounds[i], end));
}

/** A small seeded PRNG (mulberry32), so random tests repeat. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int32 = new Int32();
