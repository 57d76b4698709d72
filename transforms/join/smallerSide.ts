import type { Data, RecordBatch } from 'apache-arrow';
import type { Chunk, ChunkStream } from '../../src/exec/Kernel.js';
import { batchBytes } from '../../src/columns/arrowBytes.js';
import { concatData } from '../../src/columns/concat.js';
import { makeBatch, takeData } from '../../src/columns/take.js';
import type { ErrorRecord } from '../../src/types/ErrorRecord.js';
import { nestedColumn } from '../paths/nestedColumn.js';
import { IndexBuffer } from './indexBuffer.js';
import { buildSideOf, emptyBatch, type JoinShape } from './probeJoin.js';

/**
 * An inner join reads its two inputs side by side, always the one read less so far, until one
 * ends: that one is the smaller (within a batch), and the hash index is built on it. Memory
 * holds at most about twice the smaller side until then. frame2 ending first (or both past the
 * memory bound) is the usual path: frame2 is the build side, and frame1's batches read so far are
 * replayed ahead of the rest of frame1.
 */
export interface SideBySide {
  /** frame1 ended first, smaller than frame2 so far: its batches, all of them. */
  frame1?: { batches: RecordBatch[]; errors: ErrorRecord[] };
  /** frame1's chunks read so far, in order, to replay ahead of `probeRest`. */
  probeRead: Chunk[];
  probeRest: AsyncIterator<Chunk> | undefined;
  /** frame2's chunks read so far, in order, and the rest of frame2 (undefined when it ended). */
  buildRead: Chunk[];
  buildRest: AsyncIterator<Chunk> | undefined;
}

export async function readSideBySide(probe: ChunkStream, build: ChunkStream, memoryBytes: number): Promise<SideBySide> {
  const p = probe[Symbol.asyncIterator]();
  const b = build[Symbol.asyncIterator]();
  const probeRead: Chunk[] = [];
  const buildRead: Chunk[] = [];
  let probeBytes = 0;
  let buildBytes = 0;
  try {
    for (;;) {
      // Past the bound, frame1 is not the small side worth indexing: frame2 is read as before.
      if (probeBytes <= buildBytes && probeBytes <= memoryBytes) {
        const step = await p.next();
        if (step.done) {
          const errors = probeRead.flatMap((c) => c.errors);
          return { frame1: { batches: probeRead.map((c) => c.batch), errors }, probeRead: [], probeRest: undefined, buildRead, buildRest: b };
        }
        probeRead.push(step.value);
        probeBytes += batchBytes(step.value.batch);
      } else {
        const step = await b.next();
        if (step.done) return { probeRead, probeRest: p, buildRead, buildRest: undefined };
        buildRead.push(step.value);
        buildBytes += batchBytes(step.value.batch);
        if (buildBytes > memoryBytes) return { probeRead, probeRest: p, buildRead, buildRest: b };
      }
    }
  } catch (error) {
    await p.return?.();
    await b.return?.();
    throw error;
  }
}

/** Chunks already read, then the rest of their stream. */
export async function* replay(read: Chunk[], rest: AsyncIterator<Chunk> | undefined): ChunkStream {
  try {
    yield* read.splice(0);
    if (rest) for (let step = await rest.next(); !step.done; step = await rest.next()) yield step.value;
  } finally {
    await rest?.return?.();
  }
}

/** Output rows per batch when the joined rows are put back into frame1's order. */
const OUTPUT_BATCH_ROWS = 64 * 1024;

/**
 * An inner join with the hash index on frame1 (the smaller side) and frame2 streamed through it,
 * with the output in the documented order all the same: frame1's order, the matches of one
 * frame1 row in frame2's order. Each frame2 batch keeps only its matched rows (taken at once, so
 * memory holds frame1 and the matched part of frame2: the output's own columns); at the end a
 * counting sort by frame1 row, stable in frame2's order, puts the pairs in place.
 */
export async function* innerJoinIndexingFrame1(frame1: RecordBatch[], frame1Errors: ErrorRecord[], frame2: ChunkStream, shape: JoinShape): ChunkStream {
  const swapped: JoinShape = { keys: { left: shape.keys.right, right: shape.keys.left }, how: 'inner', left: shape.right, right: shape.left, schema: shape.schema };
  const build = buildSideOf(frame1, swapped);
  const frame1Rows = new IndexBuffer(1024);
  const kept: Data[][] = [];
  const errors = [...frame1Errors];
  const matchedRows = new IndexBuffer(1024);
  for await (const chunk of frame2) {
    errors.push(...chunk.errors);
    const batch = chunk.batch;
    const n = batch.numRows;
    if (n === 0) continue;
    const firstMatches = build.index.firstMatches(swapped.keys.left.map((chain) => nestedColumn(batch.data.children as Data[], chain)), n);
    const next = build.index.next;
    matchedRows.clear();
    for (let i = 0; i < n; i++) {
      for (let row = firstMatches[i]; row >= 0; row = next[row]) {
        frame1Rows.push(row);
        matchedRows.push(i);
      }
    }
    if (matchedRows.length > 0) {
      const rows = matchedRows.view();
      kept.push((batch.data.children as Data[]).map((c) => takeData(c, rows)));
    }
  }
  const total = frame1Rows.length;
  const order = stableOrderBy(frame1Rows.view(), build.rows);
  const pairs = frame1Rows.view();
  const frame2Columns = shape.right.fields.map((_, k) => (kept.length ? concatData(kept.map((cols) => cols[k])) : undefined));
  kept.length = 0;
  const firstRows = new Int32Array(total);
  for (let k = 0; k < total; k++) firstRows[k] = pairs[order[k]];
  if (errors.length > 0) yield { batch: emptyBatch(shape.schema), errors };
  for (let start = 0; start < total; start += OUTPUT_BATCH_ROWS) {
    const end = Math.min(total, start + OUTPUT_BATCH_ROWS);
    const rows1 = firstRows.subarray(start, end);
    const rows2 = order.subarray(start, end);
    const columns = [...build.columns.map((c) => takeData(c, rows1)), ...frame2Columns.map((c) => takeData(c as Data, rows2))];
    yield { batch: makeBatch(shape.schema, columns, end - start), errors: [] };
  }
}

/** Positions 0..n-1 of `keys` ordered by key (keys in [0, range)), equal keys in their order: a counting sort. */
function stableOrderBy(keys: Int32Array, range: number): Int32Array {
  const starts = new Int32Array(range + 1);
  for (let k = 0; k < keys.length; k++) starts[keys[k] + 1]++;
  for (let r = 0; r < range; r++) starts[r + 1] += starts[r];
  const order = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) order[starts[keys[k]]++] = k;
  return order;
}
