import type { Data, RecordBatch } from 'apache-arrow';
import type { Chunk, ChunkStream } from '../../src/exec/Kernel.js';
import { nestedColumn } from '../paths/nestedColumn.js';
import { usesIntIndex } from './hashIndex.js';
import { keyPartitions } from './keyPartitions.js';
import { buildSideOf, emptyBatch, probeJoin, probeKeyTypes, typeAt, type JoinShape } from './probeJoin.js';
import { PartitionedSpill, SpillFolder } from './spillFiles.js';

/** Spill partitions: a build side up to ~16 × the memory bound joins with each partition within it. */
export const SPILL_PARTITIONS = 16;

/**
 * The Grace hash join, for a build side (frame2) that outgrew the join's memory bound. Both
 * sides are hash-partitioned by join key into Arrow IPC files under
 * `os.tmpdir()/sluice-join-<uuid>` — the build side's batches collected so far, then the rest
 * of it, then the whole probe side — and each partition is joined in memory by probeJoin. Equal
 * keys land in the same partition, so the rows are exactly the in-memory join's; their order is
 * by partition, then probe order within a partition (and, for right and outer joins, each
 * partition's unmatched build rows after its matches). The folder is removed at the end, on
 * error, and when the consumer stops early.
 */
export async function* graceJoin(collected: RecordBatch[], buildRest: AsyncIterator<Chunk>, probe: ChunkStream, shape: JoinShape): ChunkStream {
  const folder = await SpillFolder.create();
  try {
    const smallIntKeys = usesIntIndex(shape.keys.right.map((chain) => typeAt(shape.right, chain)), probeKeyTypes(shape));
    const partitionsOf = (batch: RecordBatch, chains: number[][]) =>
      keyPartitions(chains.map((chain) => nestedColumn(batch.data.children as Data[], chain)), batch.numRows, SPILL_PARTITIONS, smallIntKeys);

    const build = new PartitionedSpill(folder, 'build', SPILL_PARTITIONS);
    for (let k = 0; k < collected.length; k++) {
      await build.append(collected[k], partitionsOf(collected[k], shape.keys.right));
      collected[k] = undefined as never; // spilled: let it go
    }
    collected.length = 0;
    for (let step = await buildRest.next(); !step.done; step = await buildRest.next()) {
      const { batch, errors } = step.value;
      if (errors.length) yield { batch: emptyBatch(shape.schema), errors };
      await build.append(batch, partitionsOf(batch, shape.keys.right));
    }
    await build.close();

    const probeSpill = new PartitionedSpill(folder, 'probe', SPILL_PARTITIONS);
    for await (const { batch, errors } of probe) {
      // The probe's error records go out as they come: the joined rows come later, by partition.
      if (errors.length) yield { batch: emptyBatch(shape.schema), errors };
      await probeSpill.append(batch, partitionsOf(batch, shape.keys.left));
    }
    await probeSpill.close();

    for (let p = 0; p < SPILL_PARTITIONS; p++) {
      const side = buildSideOf(await build.readAll(p), shape);
      yield* probeJoin(chunksOf(probeSpill.stream(p)), side, shape);
    }
  } finally {
    await buildRest.return?.();
    await folder.remove();
  }
}

async function* chunksOf(batches: AsyncIterable<RecordBatch>): ChunkStream {
  for await (const batch of batches) yield { batch, errors: [] };
}
