import type { Data, DataType, RecordBatch, Schema, Struct } from 'apache-arrow';
import type { Chunk, ChunkStream, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { makeBatch, takeData } from '../src/columns/take.js';
import type { ErrorRecord } from '../src/types/ErrorRecord.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { concatData } from '../src/columns/concat.js';
import { buildJoinIndex, type JoinIndex } from './join/hashIndex.js';
import { IndexBuffer } from './join/indexBuffer.js';
import { JOIN_TYPES, joinSchema, resolveKeys } from './join/joinSchema.js';
import { nullColumn } from '../src/columns/nullColumn.js';
import { takeNullable } from '../src/columns/takeNullable.js';
import { nestedColumn } from './paths/nestedColumn.js';
import type { JoinType, TransformInfo } from './types.js';

export interface JoinParams { keys1: string[]; keys2: string[]; how?: JoinType }

/**
 * Glue's Join (equality join on keys1 = keys2), with Spark's join types: inner (default), left,
 * right, outer, semi, anti. A hash join: frame2 is read fully into a hash index, then frame1
 * streams through batch by batch, so frame2 should be the smaller side. Output order: frame1's
 * order (matches of one row in frame2's order), then for right and outer joins frame2's
 * unmatched rows. Null keys never match; int32 meets int64, composite keys pair up in order.
 */
export const joinKernel: TransformKernel<JoinParams> = {
  name: 'Join',
  prepare([left, right], { keys1, keys2, how = 'inner' }) {
    if (!JOIN_TYPES.includes(how)) throw new SluiceError(`unknown join type '${how}'; use one of ${JOIN_TYPES.join(', ')}`);
    const keys = resolveKeys(left, right, keys1, keys2);
    const schema = joinSchema(left, right, how);
    return {
      schema,
      run: ([probe, build]) => hashJoin(probe, build, keys, how, left, right, schema),
    };
  },
};

interface BuildSide { columns: Data[]; index: JoinIndex; rows: number; errors: ErrorRecord[] }

async function readBuildSide(stream: ChunkStream, right: Schema, keyChains: number[][], probeKeyTypes: DataType[]): Promise<BuildSide> {
  const chunks: Chunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  const batches = chunks.map((c) => c.batch).filter((b) => b.numRows > 0);
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = right.fields.map((f, k) =>
    batches.length ? concatData(batches.map((b) => b.data.children[k] as Data)) : nullColumn(f.type, 0));
  const index = buildJoinIndex(keyChains.map((chain) => nestedColumn(columns, chain)), rows, probeKeyTypes);
  return { columns, index, rows, errors: chunks.flatMap((c) => c.errors) };
}

async function* hashJoin(probe: ChunkStream, buildStream: ChunkStream, keys: { left: number[][]; right: number[][] },
  how: JoinType, left: Schema, right: Schema, schema: Schema): ChunkStream {
  const probeKeyTypes = keys.left.map((chain) => typeAt(left, chain));
  const build = await readBuildSide(buildStream, right, keys.right, probeKeyTypes);
  if (build.errors.length) yield { batch: emptyBatch(schema), errors: build.errors };
  const matched = how === 'right' || how === 'outer' ? new Uint8Array(build.rows) : null;
  const leftRows = new IndexBuffer(1024);
  const rightRows = new IndexBuffer(1024);
  for await (const chunk of probe) {
    const batch = chunk.batch;
    const n = batch.numRows;
    const firstMatches = build.index.firstMatches(keys.left.map((chain) => nestedColumn(batch.data.children as Data[], chain)), n);
    leftRows.clear();
    rightRows.clear();
    const next = build.index.next;
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

function joinedBatch(schema: Schema, probe: RecordBatch, leftRows: Int32Array, buildColumns: Data[], rightRows: Int32Array | null): RecordBatch {
  const columns = (probe.data.children as Data[]).map((c) => takeData(c, leftRows));
  if (rightRows) for (const c of buildColumns) columns.push(takeNullable(c, rightRows));
  return makeBatch(schema, columns, leftRows.length);
}

/** The type of the (possibly nested) column at a chain of field indices. */
function typeAt(schema: Schema, chain: number[]): DataType {
  let field = schema.fields[chain[0]];
  for (let k = 1; k < chain.length; k++) field = (field.type as Struct).children[chain[k]];
  return field.type;
}

function emptyBatch(schema: Schema): RecordBatch {
  return makeBatch(schema, schema.fields.map((f) => nullColumn(f.type, 0)), 0);
}

export const Join = {
  name: 'Join',
  kernel: joinKernel,
  apply(args: { frame1: DataFrame<Row>; frame2: DataFrame<Row>; keys1: string[]; keys2: string[]; how?: JoinType } & TransformInfo): DataFrame<Row> {
    const how = args.how ?? 'inner';
    if (!JOIN_TYPES.includes(how)) throw new SluiceError(`unknown join type '${how}'; use one of ${JOIN_TYPES.join(', ')}`);
    return args.frame1.derive('Join', { keys1: [...args.keys1], keys2: [...args.keys2], how }, [args.frame2], args);
  },
};
