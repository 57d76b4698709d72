/**
 * A record that could not be read or transformed. Glue keeps these beside the good rows
 * (errorsCount / errorsAsDynamicFrame) instead of failing the job or dropping them silently.
 */
export interface ErrorRecord {
  /** What went wrong, in words a user can act on. */
  message: string;
  /** Where the record came from, when it came from a file. `line` and `column` are 1-based. */
  file?: string;
  line?: number;
  column?: number;
  /** The offending input text (a CSV line, a JSON line), when there is one. */
  raw?: string;
  /** The plan node (transformation ctx or node id) that raised the error. */
  node?: string;
  /** The record as far as it is known, for errors raised by row functions. */
  record?: Record<string, unknown>;
}

/**
 * A column whose inferred type a value read later does not fit, and the type that value has: the
 * run widens the column to the merge of both and reads again (types/WidenSignal.ts).
 */
export interface Widening {
  column: string;
  /** The value's type, as typeName writes it. */
  type: string;
  /** The scan's inference key (exec/scan.ts), added by the scan that saw it. */
  scan?: string;
}

/** Where an error happened, and, for a WidenSignal, what to widen (kept when a worker's error travels to the driver). */
export type SluiceErrorDetails = Partial<ErrorRecord> & { widen?: Widening };

/** Thrown when a job must stop: failFast input, an error threshold passed, a bad option. */
export class SluiceError extends Error {
  constructor(message: string, readonly details: SluiceErrorDetails = {}) {
    super(message);
    this.name = 'SluiceError';
  }
}
