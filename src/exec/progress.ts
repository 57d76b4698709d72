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
  elapsedMs: number;
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

  snapshot(): ProgressSnapshot {
    const { splitsDone, splitsTotal, bytesDone, bytesTotal, rowsWritten } = this;
    return { splitsDone, splitsTotal, bytesDone, bytesTotal, rowsWritten, nodeRows: { ...this.nodeRows }, elapsedMs: performance.now() - this.startedAt };
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
