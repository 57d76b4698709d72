import type { RecordBatch } from 'apache-arrow';
import type { Chunk, ChunkStream, TransformKernel } from '../src/exec/Kernel.js';
import type { DataFrame, Row } from '../src/frame/DataFrame.js';
import { batchBytes } from '../src/columns/arrowBytes.js';
import type { ErrorRecord } from '../src/types/ErrorRecord.js';
import { SluiceError } from '../src/types/ErrorRecord.js';
import { parseByteSize } from '../src/types/byteSize.js';
import { graceJoin } from './join/graceJoin.js';
import { JOIN_TYPES, joinSchema, resolveKeys, RIGHT_SUFFIX } from './join/joinSchema.js';
import { buildSideOf, emptyBatch, probeJoin, type JoinShape } from './join/probeJoin.js';
import { innerJoinIndexingFrame1, readSideBySide, replay } from './join/smallerSide.js';
import { stringList } from './paramSchemas.js';
import { topLevel, union } from '../src/plan/columnsUsed.js';
import { defineTransform } from './TransformDef.js';
import type { JoinType, TransformInfo } from './types.js';

export interface JoinParams {
  keys1: string[];
  keys2: string[];
  how?: JoinType;
  /** Arrow bytes of frame2 held in memory before the join spills to disk (default 1 GiB). */
  joinMemoryBytes?: number;
}

/** Default memory bound of a join's build side; env SLUICE_JOIN_MEMORY (`1073741824`, `512MB`) overrides it. */
export const DEFAULT_JOIN_MEMORY_BYTES = 1024 * 1024 * 1024;

/**
 * Glue's Join (equality join on keys1 = keys2), with Spark's join types: inner (default), left,
 * right, outer, semi, anti. A hash join: frame2 is read into a hash index, then frame1 streams
 * through batch by batch. An inner join reads both inputs side by side first and indexes the
 * one that ends first, the smaller (join/smallerSide.ts); either way round the output order is
 * the same. Output order: frame1's order (matches of one row in frame2's order), then for right
 * and outer joins frame2's unmatched rows. (Spark promises no order at all; sluice keeps this
 * one.) Null keys never match; int32 meets int64, composite keys pair up in order.
 *
 * Projection: each input reads only the columns needed above the join that it may hold, plus
 * its keys (joinInputColumns).
 *
 * Memory: once frame2's Arrow buffers pass `joinMemoryBytes` (default 1 GiB, env
 * SLUICE_JOIN_MEMORY) the join spills: a Grace hash join over 16 partitions of Arrow IPC files
 * in `os.tmpdir()/sluice-join-<uuid>` (join/graceJoin.ts), removed at the end. Same rows, but
 * in another order: by key partition, then frame1's order within a partition. Add orderBy when
 * the order matters.
 */
export const joinKernel: TransformKernel<JoinParams> = {
  name: 'Join',
  prepare([left, right], { keys1, keys2, how = 'inner', joinMemoryBytes }) {
    if (!JOIN_TYPES.includes(how)) throw new SluiceError(`unknown join type '${how}'; use one of ${JOIN_TYPES.join(', ')}`);
    const memoryBytes = joinMemoryBytes ?? envJoinMemory() ?? DEFAULT_JOIN_MEMORY_BYTES;
    if (!(typeof memoryBytes === 'number' && memoryBytes >= 0)) {
      throw new SluiceError(`joinMemoryBytes must be a number of bytes >= 0, got ${JSON.stringify(joinMemoryBytes)}`);
    }
    const shape: JoinShape = { keys: resolveKeys(left, right, keys1, keys2), how, left, right, schema: joinSchema(left, right, how) };
    return {
      schema: shape.schema,
      run: ([probe, build]) => hashJoin(probe, build, shape, memoryBytes),
    };
  },
};

function envJoinMemory(): number | undefined {
  const text = process.env.SLUICE_JOIN_MEMORY;
  return text ? parseByteSize(text, 'SLUICE_JOIN_MEMORY') : undefined;
}

async function* hashJoin(probe: ChunkStream, buildStream: ChunkStream, shape: JoinShape, memoryBytes: number): ChunkStream {
  if (shape.how === 'inner') {
    // Inner joins index the smaller input: both are read side by side until one ends.
    const sides = await readSideBySide(probe, buildStream, memoryBytes);
    if (sides.frame1) {
      yield* innerJoinIndexingFrame1(sides.frame1.batches, sides.frame1.errors, replay(sides.buildRead, sides.buildRest), shape);
      return;
    }
    probe = replay(sides.probeRead, sides.probeRest);
    buildStream = replay(sides.buildRead, sides.buildRest);
  }
  const build = await collectBuildSide(buildStream, memoryBytes);
  try {
    if (build.errors.length) yield { batch: emptyBatch(shape.schema), errors: build.errors };
    if (build.rest) yield* graceJoin(build.batches, build.rest, probe, shape);
    else yield* probeJoin(probe, buildSideOf(build.batches, shape), shape);
  } finally {
    await build.rest?.return?.();
  }
}

interface CollectedBuildSide {
  batches: RecordBatch[];
  errors: ErrorRecord[];
  /** Set when the batches passed the memory bound: the build stream, not yet read to its end. */
  rest?: AsyncIterator<Chunk>;
}

/** Reads frame2 until its end or until its Arrow buffers pass `memoryBytes`. */
async function collectBuildSide(stream: ChunkStream, memoryBytes: number): Promise<CollectedBuildSide> {
  const iterator = stream[Symbol.asyncIterator]();
  const batches: RecordBatch[] = [];
  const errors: ErrorRecord[] = [];
  let bytes = 0;
  try {
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      errors.push(...step.value.errors);
      const batch = step.value.batch;
      if (batch.numRows === 0) continue;
      batches.push(batch);
      bytes += batchBytes(batch);
      if (bytes > memoryBytes) return { batches, errors, rest: iterator };
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  return { batches, errors };
}

/**
 * Joins whose output, in frame1's order, is the concatenation of per-split outputs. Right and
 * outer joins add frame2's unmatched rows at the end, which needs every split's matches: inline.
 */
const PROBE_SIDE_JOINS: readonly JoinType[] = ['inner', 'left', 'semi', 'anti'];

export const Join = defineTransform({
  name: 'Join',
  description: "Glue's Join (equality join on keys1 = keys2) with Spark's join types. A hash join: frame2 (the second input) is read into a hash index (an inner join indexes whichever input is smaller); past joinMemoryBytes it spills to disk. Output in frame1's order, then, for right and outer joins, frame2's unmatched rows. Null keys never match.",
  inputs: 'two',
  params: {
    properties: {
      keys1: stringList("the first input's key columns"),
      keys2: stringList("the second input's key columns, paired with keys1 in order"),
      how: { enum: [...JOIN_TYPES], description: 'the join type (default inner)' },
    },
    required: ['keys1', 'keys2'],
  },
  example: { keys1: ['customer_id'], keys2: ['id'], how: 'left' },
  apiParams: ['keys1', 'keys2', 'how', 'joinMemoryBytes'],
  kernel: joinKernel,
  inputColumns: joinInputColumns,
  perSplit: ({ how = 'inner' }) => PROBE_SIDE_JOINS.includes(how),
  apply(args: { frame1: DataFrame<Row>; frame2: DataFrame<Row>; keys1: string[]; keys2: string[]; how?: JoinType; joinMemoryBytes?: number } & TransformInfo): DataFrame<Row> {
    const how = args.how ?? 'inner';
    if (!JOIN_TYPES.includes(how)) throw new SluiceError(`unknown join type '${how}'; use one of ${JOIN_TYPES.join(', ')}`);
    const params: JoinParams = { keys1: [...args.keys1], keys2: [...args.keys2], how };
    if (args.joinMemoryBytes !== undefined) params.joinMemoryBytes = args.joinMemoryBytes;
    return args.frame1.derive('Join', { ...params }, [args.frame2], args);
  },
});

/**
 * Projection through a join: each side reads the required columns it may hold plus its keys.
 * The definition sees names, not schemas, so a required name goes to both sides (a scan drops
 * the names it does not have). A frame2 column is renamed `<name>_right` when frame1 has
 * `<name>`: for a required `<name>_right` both sides keep `<name>` too, so that the renaming
 * stays as it was. Semi and anti joins output frame1's columns: frame2 reads its keys only.
 */
function joinInputColumns({ keys1, keys2, how = 'inner' }: JoinParams, required: ReadonlySet<string> | null): (Set<string> | null)[] {
  const names = (keys: unknown) => Array.isArray(keys) && keys.every((k) => typeof k === 'string');
  if (!required || !names(keys1) || !names(keys2)) return [null, null]; // the kernel reports bad keys
  const renamed = [...required].filter((c) => c.endsWith(RIGHT_SUFFIX)).map((c) => c.slice(0, -RIGHT_SUFFIX.length));
  const left = union(required, renamed, keys1.map(topLevel));
  if (how === 'semi' || how === 'anti') return [left, new Set(keys2.map(topLevel))];
  return [left, union(required, renamed, keys2.map(topLevel))];
}
