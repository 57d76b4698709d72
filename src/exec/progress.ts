import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';

/** What a long job has done so far, for progress bars and metrics. */
export interface ProgressSnapshot {
  splitsDone: number;
  splitsTotal: number;
  bytesDone: number;
  bytesTotal: number;
  rowsWritten: number;
  /** Rows each plan node produced (by its label); a node's rows in are its inputs' rows out. */
  nodeRows: Record<string, number>;
  /** What filter push-down let each scan (by its label) skip; scans with a predicate only. */
  pruning: Record<string, ScanPruning>;
  elapsedMs: number;
}

/** Partitions and Parquet row groups a scan skipped because its predicate could not hold there. */
export interface ScanPruning {
  /**
   * Partitions the scan knew of and skipped. A path read pruned while listing counts each folder
   * it never listed once (a pruned `year=2023` is one, whatever it holds), plus the leaf
   * partitions it listed.
   */
  partitions: number;
  partitionsSkipped: number;
  /** A path read pruned while listing: the folders it listed (one readdir / delimited S3 listing each). */
  foldersListed?: number;
  rowGroups: number;
  rowGroupsSkipped: number;
}

/**
 * Progress and cancellation of one job run. The CLI (or an embedding program) runs a job inside
 * `runWithProgress`; the executor reports splits and rows to whatever tracker is current and
 * honours its AbortSignal — so neither has to be threaded through every public API.
 */
export class ProgressTracker {
  private splitsDone = 0;
  private splitsTotal = 0;
  private bytesDone = 0;
  private bytesTotal = 0;
  private rowsWritten = 0;
  private readonly nodeRows: Record<string, number> = {};
  private readonly pruning: Record<string, ScanPruning> = {};
  private readonly startedAt = performance.now();

  constructor(
    private readonly onChange: (snapshot: ProgressSnapshot) => void = () => undefined,
    readonly signal?: AbortSignal,
  ) {}

  /** A parallel stage starts: `count` splits holding `bytes` of input. */
  addSplits(count: number, bytes: number): void {
    this.splitsTotal += count;
    this.bytesTotal += bytes;
    this.changed();
  }

  splitDone(bytes: number): void {
    this.splitsDone++;
    this.bytesDone += bytes;
    this.changed();
  }

  /** An inline scan finished a file: its size counts as bytes read (local files; others skipped). */
  fileRead(path: string): void {
    try {
      this.bytesDone += statSync(path).size;
    } catch {
      // s3:// objects and vanished files: the metrics leave them out
    }
  }

  addRowsWritten(rows: number): void {
    this.rowsWritten += rows;
    this.changed();
  }

  /** Counts rows a node produced (no redraw: this is called per batch). */
  recordRows(label: string, rows: number): void {
    this.nodeRows[label] = (this.nodeRows[label] ?? 0) + rows;
  }

  /** A scan's partition pruning (set, not added: a scan may be bound more than once). */
  partitionsPruned(label: string, partitions: number, skipped: number, foldersListed?: number): void {
    const entry = this.pruningOf(label);
    entry.partitions = partitions;
    entry.partitionsSkipped = skipped;
    if (foldersListed !== undefined) entry.foldersListed = foldersListed;
  }

  /** Row groups one file's read skipped and read (added up over the files read on this thread). */
  rowGroupsPruned(label: string, skipped: number, read: number): void {
    const entry = this.pruningOf(label);
    entry.rowGroups += skipped + read;
    entry.rowGroupsSkipped += skipped;
  }

  private pruningOf(label: string): ScanPruning {
    return (this.pruning[label] ??= { partitions: 0, partitionsSkipped: 0, rowGroups: 0, rowGroupsSkipped: 0 });
  }

  snapshot(): ProgressSnapshot {
    const { splitsDone, splitsTotal, bytesDone, bytesTotal, rowsWritten } = this;
    const pruning = Object.fromEntries(Object.entries(this.pruning).map(([label, entry]) => [label, { ...entry }]));
    return { splitsDone, splitsTotal, bytesDone, bytesTotal, rowsWritten, nodeRows: { ...this.nodeRows }, pruning, elapsedMs: performance.now() - this.startedAt };
  }

  private changed(): void {
    this.onChange(this.snapshot());
  }
}

const current = new AsyncLocalStorage<ProgressTracker>();

/** Runs `fn` with `tracker` as the current job's progress and cancellation. */
export function runWithProgress<T>(tracker: ProgressTracker, fn: () => Promise<T>): Promise<T> {
  return current.run(tracker, fn);
}

/** The tracker of the job this code runs for, if any. */
export function currentProgress(): ProgressTracker | undefined {
  return current.getStore();
}

/** The signal an action should honour: its own, else the current job's. */
export function effectiveSignal(signal?: AbortSignal): AbortSignal | undefined {
  const fromJob = current.getStore()?.signal;
  if (!signal) return fromJob;
  if (!fromJob) return signal;
  return AbortSignal.any([signal, fromJob]);
}
