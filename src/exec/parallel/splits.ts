import { stat } from 'node:fs/promises';
import { isCompressed } from '../../io/input.js';
import { openBoundary } from '../../io/formats/rangeBoundary.js';
import type { SplitStrategy } from '../../io/formats/FormatDef.js';
import { formatDef } from '../../io/formats/registry.js';
import type { PartitionedFile } from '../../io/partitioning/discoverPartitions.js';

/**
 * One piece of one input file, as plain JSON so it can travel to a worker (or a Lambda):
 * the whole file, a byte range cut at record boundaries, or some row groups, as the format's
 * definition says it splits (io/formats/FormatDef.ts).
 *
 * A byte range [start, end) owns the records that start in (start, end] — or at 0 for the first
 * range: its reader skips to just after the first '\n' at or after `start` (unless start is 0) and
 * reads through the first '\n' at or after `end`. Neighbouring ranges therefore meet exactly, and
 * a record longer than a range belongs to the range its first byte is in.
 */
export interface SplitPart {
  file: string;
  /** The file's Hive partition values (as decoded from its path), in partition-key order. */
  partitionValues: (string | null)[];
  kind: 'file' | 'byteRange' | 'rowGroups';
  start?: number;
  end?: number;
  rowGroups?: number[];
  /** Bytes of input behind this part (file size, range length or compressed row groups). */
  bytes: number;
  /**
   * The options this file is read with when its format decided them on the driver (a sniffed CSV
   * dialect: FormatDef's `resolveFile`); the scan's options otherwise.
   */
  formatOptions?: Record<string, unknown>;
}

/**
 * A unit of work for one task. Small files are grouped (Glue's groupFiles / groupSize) so that
 * 10,000 tiny files do not become 10,000 tasks: a split holds one large part, or several small
 * whole files in listing order. Splits keep the input order, so results concatenated in split
 * order equal a single-threaded read.
 */
export interface Split {
  index: number;
  parts: SplitPart[];
  bytes: number;
}

export interface SplitPlanOptions {
  format: string;
  formatOptions: Record<string, unknown>;
  /** Target bytes of input per split (default 64 MiB). */
  splitSize: number;
}

export const DEFAULT_SPLIT_SIZE = 64 * 1024 * 1024;

/** Shared cells of a one-range split's movable start and end (io/formats/rangeBoundary.ts). */
export interface RangeBoundaries {
  start?: SharedArrayBuffer;
  end?: SharedArrayBuffer;
}

/**
 * A movable boundary between each two neighbouring splits that are one byte range each of the
 * same file, by split index: whichever of the two threads gets there first decides where one ends
 * and the next begins, so neither idles while the other reads (a worker starts later than the
 * driver). Cells are made per run, outside the plain-data splits.
 */
export function rangeBoundaries(splits: Split[]): Map<number, RangeBoundaries> {
  const byIndex = new Map<number, RangeBoundaries>();
  const range = (split: Split) => (split.parts.length === 1 && split.parts[0].kind === 'byteRange' ? split.parts[0] : undefined);
  for (let i = 1; i < splits.length; i++) {
    const lower = range(splits[i - 1]);
    const upper = range(splits[i]);
    if (!lower || !upper || lower.file !== upper.file || lower.end !== upper.start) continue;
    const cell = openBoundary(lower.start!);
    byIndex.set(splits[i - 1].index, { ...byIndex.get(splits[i - 1].index), end: cell });
    byIndex.set(splits[i].index, { ...byIndex.get(splits[i].index), start: cell });
  }
  return byIndex;
}

/** Cuts a scan's files into splits of about `splitSize` bytes, in input order. */
export async function planSplits(files: PartitionedFile[], options: SplitPlanOptions): Promise<Split[]> {
  const splitSize = Math.max(1, Math.floor(options.splitSize));
  const sizes = await Promise.all(files.map(async (f) => (await stat(f.path)).size));
  const split = formatDef(options.format).read.split;
  const parts: SplitPart[] = [];
  for (let i = 0; i < files.length; i++) {
    const { path: file, values: partitionValues } = files[i];
    const size = sizes[i];
    if (size <= splitSize) {
      parts.push({ file, partitionValues, kind: 'file', bytes: size });
    } else if (split.kind === 'byteRange' && !isCompressed(file)) { // a compressed stream cannot be entered in the middle
      // Byte ranges need records that end at every '\n' with the file's options (CSV without multiLine, JSON lines).
      // Decided once here (a sniffed dialect), the options travel with every range of the file.
      const resolved = split.resolveFile ? await split.resolveFile(file, options.formatOptions) : undefined;
      const readWith = resolved ?? options.formatOptions;
      const own = resolved ? { formatOptions: resolved } : {};
      if (split.splittable(readWith) && (await fileIsByteSplittable(split, file, readWith))) {
        const count = Math.ceil(size / splitSize);
        for (let k = 0; k < count; k++) {
          const start = Math.floor((size * k) / count);
          const end = Math.floor((size * (k + 1)) / count);
          parts.push({ file, partitionValues, kind: 'byteRange', start, end, bytes: end - start, ...own });
        }
      } else {
        parts.push({ file, partitionValues, kind: 'file', bytes: size, ...own });
      }
    } else if (split.kind === 'rowGroups') {
      parts.push(...(await rowGroupParts(await split.rowGroups(file), file, partitionValues, size, splitSize)));
    } else {
      parts.push({ file, partitionValues, kind: 'file', bytes: size });
    }
  }
  return groupParts(parts, splitSize);
}

/** The format's look at the file itself (JSON: plain JSON lines, not concatenated or pretty-printed objects). */
async function fileIsByteSplittable(split: SplitStrategy, file: string, formatOptions: Record<string, unknown>): Promise<boolean> {
  return split.kind !== 'byteRange' || !split.splittableFile || split.splittableFile(file, formatOptions);
}

/** Consecutive row groups gathered until they hold about `splitSize` compressed bytes. */
function rowGroupParts(groups: { index: number; compressedBytes: number }[], file: string, partitionValues: (string | null)[], size: number, splitSize: number): SplitPart[] {
  if (groups.length <= 1) return [{ file, partitionValues, kind: 'file', bytes: size }];
  const parts: SplitPart[] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const group of groups) {
    current.push(group.index);
    bytes += group.compressedBytes;
    if (bytes >= splitSize) {
      parts.push({ file, partitionValues, kind: 'rowGroups', rowGroups: current, bytes });
      current = [];
      bytes = 0;
    }
  }
  if (current.length) parts.push({ file, partitionValues, kind: 'rowGroups', rowGroups: current, bytes });
  return parts.length === 1 ? [{ file, partitionValues, kind: 'file', bytes: size }] : parts;
}

/** Packs consecutive small parts into splits of up to `groupSize` bytes; large parts stand alone. */
function groupParts(parts: SplitPart[], groupSize: number): Split[] {
  const splits: Split[] = [];
  let current: SplitPart[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length) splits.push({ index: splits.length, parts: current, bytes });
    current = [];
    bytes = 0;
  };
  for (const part of parts) {
    if (part.kind !== 'file') {
      flush();
      splits.push({ index: splits.length, parts: [part], bytes: part.bytes });
      continue;
    }
    if (bytes > 0 && bytes + part.bytes > groupSize) flush();
    current.push(part);
    bytes += part.bytes;
  }
  flush();
  return splits;
}

/** Where a split reads from, for error messages: `a.csv bytes 0–1048576`, `b.parquet row groups 2, 3`. */
export function describeSplit(split: Split): string {
  const first = split.parts[0];
  if (!first) return `split ${split.index} (no input)`;
  let where = first.file;
  if (first.kind === 'byteRange') where += ` bytes ${first.start}–${first.end}`;
  if (first.kind === 'rowGroups') where += ` row groups ${first.rowGroups!.join(', ')}`;
  const more = split.parts.length - 1;
  return `split ${split.index} (${where}${more > 0 ? ` and ${more} more file${more > 1 ? 's' : ''}` : ''})`;
}
