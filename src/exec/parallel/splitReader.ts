import { RecordBatch, Schema } from 'apache-arrow';
import { rowsOnlyBatch } from '../../columns/makeBatch.js';
import { formatDef } from '../../io/formats/registry.js';
import type { ReadChunk, ReadOptions } from '../../io/formats/Format.js';
import { appendPartitionColumns } from '../../io/partitioning/discoverPartitions.js';
import { readUnchanged } from '../../io/partitioning/readUnchanged.js';
import { SluiceError } from '../../types/ErrorRecord.js';
import type { ChunkStream } from '../Kernel.js';
import type { ExprNode } from '../../expr/ast.js';
import { signalsOf, withStubColumns, type ScanInference } from '../scan.js';
import { takeUpperShare } from '../../io/formats/rangeBoundary.js';
import type { RangeBoundaries, Split, SplitPart } from './splits.js';

/** What a worker needs to read the scan's splits: the scan node's format and the bound schemas. */
export interface SplitScan {
  format: string;
  formatOptions: Record<string, unknown>;
  /** The file columns (partition columns excluded). */
  dataSchema: Schema;
  /** The partition columns produced (after projection) and where each is among a part's values. */
  partitionSchema: Schema;
  partitionIndex: number[];
  readColumns?: string[];
  /** Columns given as nulls, not read, and the file columns given, in order (scanProjection). */
  stubColumns?: string[];
  givenColumns?: string[];
  rowsOnly: boolean;
  batchSize?: number;
  predicate?: ExprNode;
  /** The scan's inference, when its schema was inferred: misfits there raise WidenSignals (exec/scan.ts). */
  inference?: ScanInference;
  /** Told the row groups each read skipped by the predicate and read (the task counts them for the driver). */
  onPruned?: (skipped: number, read: number) => void;
}

/**
 * Reads a split as the single-threaded scan reads the same bytes: the file columns, then the
 * partition columns of each part's file. `checkCancelled` runs before every batch so a cancelled
 * job stops its workers within one batch. `boundaries`: the ends of a one-range split that its
 * neighbours may move while they run (io/formats/rangeBoundary.ts).
 */
export async function* readSplit(split: Split, scan: SplitScan, checkCancelled: () => void, boundaries?: RangeBoundaries): ChunkStream {
  const read: ReadOptions = {
    schema: scan.dataSchema,
    batchSize: scan.batchSize,
    ...(scan.readColumns ? { columns: scan.readColumns } : {}),
    ...(scan.predicate ? { predicate: scan.predicate, ...(scan.onPruned ? { onPruned: scan.onPruned } : {}) } : {}),
    ...(scan.inference ? { widenable: scan.inference.widenable } : {}),
  };
  const partitioned = scan.partitionSchema.fields.length > 0;
  const stubs = new Set(scan.stubColumns);
  const given = scan.givenColumns ? scan.dataSchema.fields.filter((f) => scan.givenColumns!.includes(f.name)) : undefined;
  for (const part of split.parts) {
    checkCancelled();
    const values = scan.partitionIndex.map((i) => part.partitionValues[i]);
    // A file that changes while its part is read fails the split (io/partitioning/readUnchanged.ts).
    const chunks = readUnchanged(part.file, () => readPart(part, scan, read, boundaries), part.kind === 'byteRange' ? { atLeast: part.end } : {});
    for await (const chunk of signalsOf(scan.inference, chunks)) {
      checkCancelled();
      let batch = chunk.batch;
      if (scan.rowsOnly) batch = withoutColumns(batch);
      else {
        if (given) batch = withStubColumns(batch, given, stubs);
        if (partitioned) batch = appendPartitionColumns(batch, scan.partitionSchema, values);
      }
      yield { batch, errors: chunk.errors };
    }
  }
}

/** A batch with the same number of rows and no columns: all a count needs (as scan.ts). */
function withoutColumns(batch: RecordBatch): RecordBatch {
  return rowsOnlyBatch(batch.numRows);
}

/** A part as its format's definition reads it: the whole file, its row groups, or a byte range. */
function readPart(part: SplitPart, scan: SplitScan, read: ReadOptions, boundaries?: RangeBoundaries): AsyncIterable<ReadChunk> {
  const { reader, split } = formatDef(scan.format).read;
  const options = part.formatOptions ?? scan.formatOptions;
  if (part.kind === 'file') return reader.read(part.file, options as never, read);
  if (part.kind === 'rowGroups' && split.kind === 'rowGroups') return split.readRowGroups(part.file, part.rowGroups!, options, read);
  if (part.kind === 'byteRange' && split.kind === 'byteRange') {
    // Where this range starts is decided now, from how far the range before it has got.
    const start = boundaries?.start ? takeUpperShare(boundaries.start, part.end!) : part.start!;
    return split.readRange(part.file, { start, end: part.end!, ...(boundaries?.end ? { endBoundary: boundaries.end } : {}) }, options, read);
  }
  throw new SluiceError(`format '${scan.format}' cannot be read by ${part.kind === 'byteRange' ? 'byte range' : 'row groups'}`);
}
