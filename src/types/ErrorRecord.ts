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

/** Thrown when a job must stop: failFast input, an error threshold passed, a bad option. */
export class SluiceError extends Error {
  constructor(message: string, readonly details: Partial<ErrorRecord> = {}) {
    super(message);
    this.name = 'SluiceError';
  }
}
