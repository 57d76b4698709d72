import { DataType, type Data, type RecordBatch, type Schema, type Struct } from 'apache-arrow';
import type { ChunkStream } from '../../src/exec/Kernel.js';
import { concatData } from '../../src/columns/concat.js';
import { makeBatch, takeData } from '../../src/columns/take.js';
import { nullColumn } from '../../src/columns/nullColumn.js';
import { takeNullable } from '../../src/columns/takeNullable.js';
import { nestedColumn } from '../paths/nestedColumn.js';
import type { JoinType } from '../types.js';
import { buildJoinIndex, type JoinIndex } from './hashIndex.js';
import { IndexBuffer } from './indexBuffer.js';

/** What a join needs to know about its inputs, fixed when the kernel is prepared. */
export interface JoinShape {
  /** Key column index chains of frame1 (probe) and frame2 (build). */
  keys: { left: number[][]; right: number[][] };
  how: JoinType;
  left: Schema;
  right: Schema;
  /** The output schema (joinSchema). */
  schema: Schema;
}

/** frame2's rows in memory, one Data per column, with the hash index over its keys. */
export interface BuildSide {
  columns: Data[];
  index: JoinIndex;
  rows: number;
}

/** Gathers build batches into one column each and indexes their keys. */
export function buildSideOf(batches: RecordBatch[], shape: JoinShape): BuildSide {
  const nonEmpty = batches.filter((b) => b.numRows > 0);
  const rows = nonEmpty.reduce((n, b) => n + b.numRows, 0);
  const columns = shape.right.fields.map((f, k) =>
    nonEmpty.length ? concatData(nonEmpty.map((b) => b.data.children[k] as Data)) : nullColumn(f.type, 0));
  const index = buildJoinIndex(shape.keys.right.map((chain) => nestedColumn(columns, chain)), rows, probeKeyTypes(shape));
  return { columns, index, rows };
}

export function probeKeyTypes(shape: JoinShape): DataType[] {
  return shape.keys.left.map((chain) => typeAt(shape.left, chain));
}

/**
 * Streams the probe side (frame1) through an in-memory build side: for each probe batch its
 * joined rows in probe order (matches of one row in build order), then, for right and outer
 * joins, the build rows no probe row matched, in build order.
 */
export async function* probeJoin(probe: ChunkStream, build: BuildSide, shape: JoinShape): ChunkStream {
  const { keys, how, left, schema } = shape;
  const matched = how === 'right' || how === 'outer' ? new Uint8Array(build.rows) : null;
  const leftRows = new IndexBuffer(1024);
  const rightRows = new IndexBuffer(1024);
  const everyRowMatched = how === 'inner' || how === 'right';
  const keysInProbe = everyRowMatched ? buildKeysInProbe(shape) : undefined;
  for await (const chunk of probe) {
    const batch = chunk.batch;
    const n = batch.numRows;
    const firstMatches = build.index.firstMatches(keys.left.map((chain) => nestedColumn(batch.data.children as Data[], chain)), n);
    leftRows.clear();
    rightRows.clear();
    const next = build.index.next;
    if (oneRowEach(how, firstMatches, build.index.unique ? null : next, n)) {
      // The usual foreign-key join: each probe row once, in place; only the build side is gathered.
      if (matched) for (let i = 0; i < n; i++) if (firstMatches[i] >= 0) matched[firstMatches[i]] = 1;
      yield { batch: joinedBatch(schema, batch, null, build.columns, firstMatches, keysInProbe), errors: chunk.errors };
      continue;
    }
    for (let i = 0; i < n; i++) {
      let row = firstMatches[i];
      if (how === 'semi' || how === 'anti') {
        if ((row >= 0) === (how === 'semi')) leftRows.push(i);
        continue;
      }
      if (row < 0) {
        if (how === 'left' || how === 'outer') (leftRows.push(i), rightRows.push(-1));
        continue;
      }
      for (; row >= 0; row = next[row]) {
        leftRows.push(i);
        rightRows.push(row);
        if (matched) matched[row] = 1;
      }
    }
    yield { batch: joinedBatch(schema, batch, leftRows.view(), build.columns, how === 'semi' || how === 'anti' ? null : rightRows.view()), errors: chunk.errors };
  }
  if (matched) {
    const unmatched = new IndexBuffer(1024);
    for (let row = 0; row < build.rows; row++) if (!matched[row]) unmatched.push(row);
    if (unmatched.length > 0) {
      const rows = unmatched.view();
      const nulls = left.fields.map((f) => nullColumn(f.type, rows.length));
      const columns = [...nulls, ...build.columns.map((c) => takeData(c, rows))];
      yield { batch: makeBatch(schema, columns, rows.length), errors: [] };
    }
  }
}

/**
 * True when the join gives each probe row exactly one output row, in probe order: every row has
 * at most one match, and (inner and right joins) at least one. Semi and anti joins never are.
 * `next` is the build rows' chains, or null when no key has two build rows.
 */
function oneRowEach(how: JoinType, firstMatches: Int32Array, next: Int32Array | null, n: number): boolean {
  if (how === 'semi' || how === 'anti') return false;
  const unmatchedKept = how === 'left' || how === 'outer';
  if (!next) {
    if (!unmatchedKept) for (let i = 0; i < n; i++) if (firstMatches[i] < 0) return false;
    return true;
  }
  for (let i = 0; i < n; i++) {
    const row = firstMatches[i];
    if (row < 0 ? !unmatchedKept : next[row] >= 0) return false;
  }
  return true;
}

/**
 * The joined rows: probe rows `leftRows` (null: every row, in order) beside build rows
 * `rightRows`. `keysInProbe` (every probe row in place, each matched) maps build key columns to
 * the probe key column holding the same values, which then stands in for the gathered one.
 */
function joinedBatch(schema: Schema, probe: RecordBatch, leftRows: Int32Array | null, buildColumns: Data[], rightRows: Int32Array | null, keysInProbe?: Map<number, number>): RecordBatch {
  const probeColumns = probe.data.children as Data[];
  const columns = leftRows ? probeColumns.map((c) => takeData(c, leftRows)) : [...probeColumns];
  if (rightRows) {
    buildColumns.forEach((c, k) => {
      const same = keysInProbe?.get(k);
      columns.push(same === undefined ? takeNullable(c, rightRows) : probeColumns[same]);
    });
  }
  return makeBatch(schema, columns, leftRows ? leftRows.length : probe.numRows);
}

/**
 * Build key columns that a matched probe row holds equal values for: top-level integer (or
 * date) keys of one type on both sides, by build column → probe column. Equal integers of one
 * type are the same value, so the probe's column can stand in for the gathered build column.
 */
function buildKeysInProbe(shape: JoinShape): Map<number, number> {
  const same = new Map<number, number>();
  shape.keys.right.forEach((chain, k) => {
    const probeChain = shape.keys.left[k];
    if (chain.length !== 1 || probeChain.length !== 1) return;
    const buildType = shape.right.fields[chain[0]].type;
    const probeType = shape.left.fields[probeChain[0]].type;
    if ((DataType.isInt(buildType) || DataType.isDate(buildType)) && String(buildType) === String(probeType)) same.set(chain[0], probeChain[0]);
  });
  return same;
}

/** The type of the (possibly nested) column at a chain of field indices. */
export function typeAt(schema: Schema, chain: number[]): DataType {
  let field = schema.fields[chain[0]];
  for (let k = 1; k < chain.length; k++) field = (field.type as Struct).children[chain[k]];
  return field.type;
}

export function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => nullColumn(f.type, 0)), 0);
}
