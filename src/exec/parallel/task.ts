import type { ExprNode } from '../../expr/ast.js';
import type { WritableFormat } from '../../io/formats/registry.js';
import type { MessagePort } from 'node:worker_threads';
import { SluiceError, type ErrorRecord } from '../../types/ErrorRecord.js';
import { writerOptionsOf, type WriteSpec } from '../WriteSpec.js';
import type { RangeBoundaries, Split } from './splits.js';

/** What a worker does with its split's batches. */
export type TaskMode = 'batches' | 'partial' | 'write';

/** A Join's build side, computed once by the driver: one Arrow IPC stream in shared memory. */
export interface Broadcast {
  id: string;
  buffer: SharedArrayBuffer;
  byteLength: number;
}

export interface WireStep {
  name: string;
  params: Record<string, unknown>;
  label: string;
  broadcast?: Broadcast;
}

export interface WriteTarget {
  /** This split's own folder inside the job's staging folder. */
  root: string;
  /** Names its part files (the job's run id + the split number, so names never collide). */
  jobRunId: string;
  format: WritableFormat;
  partitionKeys: string[];
  maxRowsPerFile?: number;
  maxBytesPerFile?: number;
  writerOptions: Record<string, unknown>;
}

/** Where and how a worker writes part of `spec`: into `root`, its files named by `jobRunId`. */
export function writeTargetOf(spec: WriteSpec, root: string, jobRunId: string): WriteTarget {
  return {
    root,
    jobRunId,
    format: spec.format,
    partitionKeys: spec.partitionKeys ?? [],
    maxRowsPerFile: spec.maxRowsPerFile,
    maxBytesPerFile: spec.maxBytesPerFile,
    writerOptions: writerOptionsOf(spec),
  };
}

/**
 * One split's work, as structured-clone-able data: JSON plan fragment and split, schemas as IPC
 * bytes, shared buffers (broadcast, cancel flag) shared rather than copied.
 */
export interface RegionTask {
  mode: TaskMode;
  split: Split;
  scan: {
    format: string;
    formatOptions: Record<string, unknown>;
    batchSize?: number;
    label: string;
    /** Every file column (the read schema); `readColumns` projects it. */
    dataSchema: Uint8Array;
    /** The partition columns the scan produces, and where each is among a file's values. */
    partitionSchema: Uint8Array;
    partitionIndex: number[];
    readColumns?: string[];
    /** Columns given as nulls, not read (ScanNode.stubColumns), and then the file columns given, in order. */
    stubColumns?: string[];
    givenColumns?: string[];
    /** Only the row count is wanted: batches without columns. */
    rowsOnly: boolean;
    /** The scan's pushed-down filter: the reader may skip row groups where it cannot hold. */
    predicate?: ExprNode;
    /** Set when the scan's schema was inferred: which columns may widen (exec/scan.ts). */
    inference?: { key: string; widenable: string[] };
  };
  steps: WireStep[];
  /**
   * The movable ends of the split's byte range, shared with the neighbouring splits' tasks when
   * both may run at once (io/formats/rangeBoundary.ts; made by dispatch.ts).
   */
  rangeBoundaries?: RangeBoundaries;
  /** Int32Array(1): non-zero once the job is cancelled; the worker checks it before every batch. */
  cancel: SharedArrayBuffer;
  /** mode 'partial': the transform whose partial form each split computes. */
  partial?: { transform: string; params: Record<string, unknown> };
  write?: WriteTarget;
}

/**
 * A write whose rows come from the driver: one input that cannot be cut into splits (a gzip file)
 * is read and transformed on the driver while a worker encodes and writes (writeOffThread.ts).
 * Batches arrive through `port` (OffloadMessage), and the worker acknowledges each one it takes.
 */
export interface OffloadedWriteTask {
  kind: 'offloadedWrite';
  port: MessagePort;
  write: WriteTarget;
}

/** Driver → worker on an offloaded write's port. */
export type OffloadMessage = { type: 'batch'; ipc: Uint8Array } | { type: 'end' } | { type: 'fail'; message: string };

export interface TaskSuccess {
  ok: true;
  /** Error records raised by each node of the chain (scan first), for the driver's error budgets. */
  stageErrors: number[];
  /** mode 'batches': the output in order; a null batch carries only errors. */
  chunks?: { batch: Uint8Array | null; errors: ErrorRecord[] }[];
  /** mode 'partial': the split's saved partial state (see TransformDef's PartialAccumulator). */
  partial?: unknown;
  /** modes 'partial' and 'write': every error record of the split, in order. */
  errors?: ErrorRecord[];
  /** mode 'write' (and an offloaded write): staged files relative to the split's root. */
  written?: { files: string[]; rows: number; bytes: number };
  /**
   * Parquet row groups the split's reads skipped by their statistics and read (a worker has no
   * progress tracker: the driver adds these to its own, as the inline scan reports them).
   */
  rowGroups?: { skipped: number; read: number };
}

export interface TaskFailure {
  ok: false;
  error: { name: string; message: string; details?: Partial<ErrorRecord> };
}

export type TaskResult = TaskSuccess | TaskFailure;

/** A task's failure as data, so the driver keeps the error's class name and details (file, line…). */
export function taskFailure(error: unknown): TaskFailure {
  const e = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { name: e.name, message: e.message, ...(error instanceof SluiceError ? { details: error.details } : {}) } };
}

/** Thrown inside a worker when the job's cancel flag is set. */
export class TaskCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'TaskCancelled';
  }
}
