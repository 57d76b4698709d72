import { SluiceError, type SluiceErrorDetails, type Widening } from './ErrorRecord.js';

/**
 * Raised by a reader whose schema was inferred (no user schema) when a value after the sampled
 * head does not fit its column's type: rather than make the row an error record, the run widens
 * the column (int32 → int64 → float64, or a choice for incompatible types) and reads again before
 * anything is published (exec/widening.ts). A user-declared schema never raises it: there a misfit
 * stays an error record.
 */
export class WidenSignal extends SluiceError {
  constructor(readonly widening: Widening, where: string, details: SluiceErrorDetails = {}) {
    super(`${where}: column ${widening.column} must widen to ${widening.type} (a value after the sampled rows does not fit; writes, collect, count and stream read again with it)`, { ...details, widen: widening });
    this.name = 'WidenSignal';
  }
}

/** The widening an error asks for: a WidenSignal, or an error carrying one from a worker thread. */
export function wideningOf(error: unknown): Widening | undefined {
  return error instanceof SluiceError ? error.details.widen : undefined;
}
